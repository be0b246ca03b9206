#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "reports/results_json.hpp"
#include "reports/tests/sample_report.hpp"
#include "reports/tests/temp_dir.hpp"
#include "reports/text_file.hpp"

namespace aoeh::reports {
namespace {
using testing::sample_report;
using testing::TempDir;

std::string parse_error(const std::string& text) {
  std::string error;
  EXPECT_FALSE(parse_results_json(text, &error).has_value()) << text;
  return error;
}

TEST(ResultsJson, FileRoundTripEqualsTheModel) {
  TempDir dir;
  const Report original = sample_report();
  std::string error;
  ASSERT_TRUE(write_results_json(original, dir.path() / "results.json", &error)) << error;
  const auto loaded = load_results(dir.path() / "results.json", &error);
  ASSERT_TRUE(loaded.has_value()) << error;
  EXPECT_EQ(loaded->results.size(), original.results.size());
  EXPECT_EQ(loaded->device, original.device);
  EXPECT_EQ(loaded->safety, original.safety);
  EXPECT_EQ(loaded->baseline, original.baseline);
  EXPECT_EQ(loaded->seed, original.seed);  // a 64-bit value a double would round
  EXPECT_EQ(loaded->rtt_samples_us, original.rtt_samples_us);
  for (std::size_t i = 0; i < original.results.size() && i < loaded->results.size(); ++i)
    EXPECT_EQ(loaded->results[i], original.results[i]) << original.results[i].name;
  EXPECT_TRUE(*loaded == original);
}

TEST(ResultsJson, RoundTripWithoutBaselineOrSeed) {
  Report r = sample_report();
  r.baseline.reset();
  r.seed.reset();
  for (auto& t : r.results) t.baseline_verdict.reset();
  const auto back = parse_results_json(to_results_json(r));
  ASSERT_TRUE(back.has_value());
  EXPECT_TRUE(*back == r);
}

TEST(ResultsJson, DocumentedFieldsAndDerivedSummaryArePresent) {
  const auto j = nlohmann::json::parse(to_results_json(sample_report()));
  EXPECT_EQ(j["schema"], "aoeh-results");
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["device"]["capacity_bytes"], 2'097'152ULL * 512);
  EXPECT_EQ(j["summary"]["verdicts"]["fail"], 3);
  EXPECT_EQ(j["summary"]["verdicts"]["n/a"], 1);
  EXPECT_EQ(j["summary"]["must_failed"], 2);
  EXPECT_EQ(j["summary"]["by_area"]["Header"]["total"], 4);
  EXPECT_EQ(j["summary"]["newly_failing"].size(), 2u);
  EXPECT_EQ(j["tests"][1]["baseline_change"], "newly failing");
  EXPECT_EQ(j["tests"][1]["evidence"][1]["direction"], "received");
  EXPECT_EQ(j["tests"][1]["evidence"][1]["capture_index"], 3);
  EXPECT_TRUE(j["tests"][7]["evidence"][0]["capture_index"].is_null());
}

TEST(ResultsJson, InvalidUtf8BecomesReplacementCharacterNotAnException) {
  Report r = sample_report();
  r.device.model = "bad \xFF\xFE model";
  const std::string text = to_results_json(r);
  const auto back = parse_results_json(text);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->device.model, "bad \xEF\xBF\xBD\xEF\xBF\xBD model");
}

TEST(ResultsJson, NonFiniteRttSamplesAreLeftOut) {
  Report r = sample_report();
  r.rtt_samples_us = {1.5, std::numeric_limits<double>::quiet_NaN(), 2.5, std::numeric_limits<double>::infinity()};
  const auto back = parse_results_json(to_results_json(r));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->rtt_samples_us, (std::vector<double>{1.5, 2.5}));
}

TEST(ResultsJson, MinimalFileUsesDefaults) {
  const auto r = parse_results_json(R"({"schema":"aoeh-results","schema_version":1,
      "tests":[{"name":"AOE.Header.X","verdict":"skip"}]})");
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->results.size(), 1u);
  EXPECT_EQ(r->results[0].verdict, Verdict::Skip);
  EXPECT_EQ(r->results[0].level, Level::Must);
  EXPECT_FALSE(r->baseline.has_value());
}

TEST(ResultsJson, RejectsBadInputWithTheOffendingField) {
  EXPECT_NE(parse_error("{not json").find("not valid JSON"), std::string::npos);
  EXPECT_NE(parse_error("[]").find("$: expected an object"), std::string::npos);
  EXPECT_NE(parse_error(R"({"tests":[]})").find("$.schema: missing"), std::string::npos);
  EXPECT_NE(parse_error(R"({"schema":"junit","tests":[]})").find("expected 'aoeh-results'"), std::string::npos);
  EXPECT_NE(parse_error(R"({"schema":"aoeh-results","schema_version":2,"tests":[]})").find("version 2 is not supported"),
            std::string::npos);
  const std::string head = R"({"schema":"aoeh-results","schema_version":1,)";
  EXPECT_NE(parse_error(head + R"("tests":{}})").find("$.tests: expected an array"), std::string::npos);
  EXPECT_NE(parse_error(head + R"("tests":[{"name":"a","verdict":"pass"},{"name":"b","verdict":"passs"}]})")
                .find("$.tests[1].verdict: unknown verdict 'passs'"),
            std::string::npos);
  EXPECT_NE(parse_error(head + R"("tests":[{"verdict":"pass"}]})").find("$.tests[0].name: missing"), std::string::npos);
  EXPECT_NE(parse_error(head + R"("tests":[{"name":"a","verdict":"pass","level":"must"}]})").find("unknown level 'must'"),
            std::string::npos);
  EXPECT_NE(parse_error(head + R"("tests":[{"name":"a","verdict":"pass","duration_ns":"5"}]})")
                .find("$.tests[0].duration_ns: expected an integer"),
            std::string::npos);
  EXPECT_NE(parse_error(head + R"("device":{"sector_count":300},"tests":[]})").find("$.device.sector_count: number out of range"),
            std::string::npos);
  EXPECT_NE(parse_error(head + R"("tests":[{"name":"a","verdict":"pass","evidence":[{"direction":"up"}]}]})")
                .find("$.tests[0].evidence[0].direction"),
            std::string::npos);
  EXPECT_NE(parse_error(head + R"("properties":{"mtu":1500},"tests":[]})").find("$.properties.mtu: expected a string"),
            std::string::npos);
}

TEST(ResultsJson, LoadNamesTheFileItCouldNotRead) {
  TempDir dir;
  std::string error;
  EXPECT_FALSE(load_results(dir.path() / "missing.json", &error).has_value());
  EXPECT_NE(error.find("missing.json"), std::string::npos);
  EXPECT_NE(error.find("No such file"), std::string::npos);
  ASSERT_TRUE(write_text_file(dir.path() / "bad.json", "{\"schema\":1}"));
  EXPECT_FALSE(load_results(dir.path() / "bad.json", &error).has_value());
  EXPECT_NE(error.find("bad.json: $.schema: expected a string"), std::string::npos) << error;
  EXPECT_FALSE(load_results(dir.path(), &error).has_value());  // a directory, not a file
  EXPECT_NE(error.find(dir.path().string()), std::string::npos);
}

TEST(ResultsJson, WriteFailureIsReported) {
  TempDir dir;
  std::string error;
  EXPECT_FALSE(write_results_json(sample_report(), dir.path() / "no" / "such" / "dir.json", &error));
  EXPECT_NE(error.find("cannot create"), std::string::npos);
}

}  // namespace
}  // namespace aoeh::reports
