#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "reports/junit_xml.hpp"
#include "reports/tests/python_inspect.hpp"
#include "reports/tests/sample_report.hpp"

namespace aoeh::reports {
namespace {
using testing::sample_report;

// junit.xml as Python's standard XML parser sees it (reports/tests/junit_inspect.py).
nlohmann::json inspect(const Report& report) {
  return testing::inspect_with_python(report, write_junit_xml, "junit.xml", "junit_inspect.py");
}

TEST(JunitXml, ParsesWithTheRightCounts) {
  const auto j = inspect(sample_report());
  ASSERT_FALSE(j.is_null());
  EXPECT_EQ(j["root"], "testsuites");
  ASSERT_EQ(j["suites"].size(), 1u);
  const auto& suite = j["suites"][0];
  for (const auto* attrs : {&j["root_attrib"], &suite["attrib"]}) {
    EXPECT_EQ((*attrs)["tests"], "13");
    EXPECT_EQ((*attrs)["failures"], "3");
    EXPECT_EQ((*attrs)["errors"], "1");
    EXPECT_EQ((*attrs)["skipped"], "2");  // skip + not applicable
  }
  EXPECT_EQ(suite["attrib"]["name"], "aoeh certify e7.3");
  // Jenkins' schema wants properties before the test cases.
  EXPECT_EQ(suite["children"][0], "properties");
  ASSERT_EQ(suite["cases"].size(), 13u);
  int failures = 0, errors = 0, skipped = 0;
  for (const auto& c : suite["cases"]) {
    EXPECT_LE(c["kinds"].size(), 1u) << c["name"];
    for (const auto& k : c["kinds"]) {
      failures += k == "failure";
      errors += k == "error";
      skipped += k == "skipped";
    }
  }
  EXPECT_EQ(failures, 3);
  EXPECT_EQ(errors, 1);
  EXPECT_EQ(skipped, 2);
}

TEST(JunitXml, OneTestcasePerTestWithAreaAsClassname) {
  const Report r = sample_report();
  const auto j = inspect(r);
  ASSERT_FALSE(j.is_null());
  const auto& cases = j["suites"][0]["cases"];
  ASSERT_EQ(cases.size(), r.results.size());
  for (std::size_t i = 0; i < r.results.size(); ++i) {
    EXPECT_EQ(cases[i]["name"], r.results[i].name);
    EXPECT_EQ(cases[i]["classname"], r.results[i].area);
    EXPECT_NEAR(cases[i]["time"].get<double>(), static_cast<double>(r.results[i].duration_ns) / 1e9, 1e-6);
  }
  const auto& tag = cases[1];
  EXPECT_EQ(tag["kinds"][0], "failure");
  EXPECT_EQ(tag["message"], "tag 0xdeadbeef sent, reply carried 0x00000000");
  // The failure body carries the clause and the evidence, with the capture index.
  EXPECT_NE(tag["body"].get<std::string>().find("clause: AoEr11 2.7 (MUST)"), std::string::npos);
  EXPECT_NE(tag["body"].get<std::string>().find("capture #3"), std::string::npos);
  EXPECT_NE(tag["body"].get<std::string>().find("0000  02 00 00 00"), std::string::npos);
  EXPECT_EQ(cases[5]["kinds"][0], "skipped");
  EXPECT_EQ(cases[5]["message"], "not applicable: target has one port");
  EXPECT_EQ(cases[7]["kinds"][0], "error");
  EXPECT_EQ(cases[11]["message"], "SMART aborted (ABRT): optional feature absent");
  EXPECT_NE(cases[1]["system_out"].get<std::string>().find("baseline: pass -> newly failing"), std::string::npos);
}

TEST(JunitXml, DeviceIdentityIsSuiteProperties) {
  const auto j = inspect(sample_report());
  ASSERT_FALSE(j.is_null());
  const auto& p = j["suites"][0]["properties"];
  EXPECT_EQ(p["device.address"], "e7.3");
  EXPECT_EQ(p["device.macs"], "02:00:00:00:07:03 02:00:00:00:07:13");
  EXPECT_EQ(p["device.firmware"], "0x4019");
  EXPECT_EQ(p["device.buffer_count"], "16");
  EXPECT_EQ(p["device.sector_count"], "2");
  EXPECT_EQ(p["device.model"], "aoeh reference target");
  EXPECT_EQ(p["device.capacity_sectors"], "2097152");
  EXPECT_EQ(p["device.config_string"], "rack <4> & \"blue\"");
  EXPECT_EQ(p["run.seed"], "18446744073709551557");
  EXPECT_EQ(p["safety.restore_verified"], "true");
  EXPECT_EQ(p["property.mtu"], "1500");
}

TEST(JunitXml, HostileStringsSurviveExactlyExceptForbiddenControls) {
  const auto j = inspect(sample_report());
  ASSERT_FALSE(j.is_null());
  const auto& evil = j["suites"][0]["cases"][12];
  EXPECT_EQ(evil["name"], testing::kEvilName);
  std::string expected = testing::kEvilMessage;
  expected.replace(expected.find('\x01'), 1, "\xEF\xBF\xBD");  // XML 1.0 cannot carry U+0001
  EXPECT_EQ(evil["message"], expected);  // tab and newline kept through the attribute
  EXPECT_EQ(evil["body"].get<std::string>().substr(0, expected.size()), expected);  // and through element text
}

TEST(JunitXml, EmptyReportIsStillValid) {
  const auto j = inspect(Report{});
  ASSERT_FALSE(j.is_null());
  EXPECT_EQ(j["suites"][0]["attrib"]["tests"], "0");
  EXPECT_EQ(j["suites"][0]["attrib"]["name"], "aoeh certify");
}

}  // namespace
}  // namespace aoeh::reports
