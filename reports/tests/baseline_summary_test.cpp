#include <gtest/gtest.h>

#include <algorithm>

#include "reports/baseline.hpp"
#include "reports/summary.hpp"
#include "reports/tests/sample_report.hpp"

namespace aoeh::reports {
namespace {
using testing::sample_baseline;
using testing::sample_report;

const TestResult& find(const Report& r, const std::string& name) {
  const auto it = std::find_if(r.results.begin(), r.results.end(), [&](const TestResult& t) { return t.name == name; });
  if (it == r.results.end()) throw std::runtime_error("no test " + name);
  return *it;
}

TEST(Summary, CountsEveryVerdictByAreaAndLevel) {
  const Summary s = summarize(sample_report());
  EXPECT_EQ(s.all.total(), 13u);
  EXPECT_EQ(s.all.pass, 7u);
  EXPECT_EQ(s.all.fail, 3u);
  EXPECT_EQ(s.all.skip, 1u);
  EXPECT_EQ(s.all.not_applicable, 1u);
  EXPECT_EQ(s.all.error, 1u);
  EXPECT_EQ(s.must_failed, 2u);  // TagEchoed, CountMaxPlusOneError2; the evil failure is a SHOULD
  EXPECT_EQ(s.must_errors, 0u);
  ASSERT_EQ(s.by_area.size(), 6u);
  EXPECT_EQ(s.by_area[0].first, "Header");  // catalogue order, not alphabetical
  EXPECT_EQ(s.by_area[0].second.total(), 4u);
  EXPECT_EQ(s.by_area[0].second.fail, 1u);
  EXPECT_EQ(s.by_area[5].first, "Robustness");
  ASSERT_EQ(s.by_level.size(), 3u);
  EXPECT_EQ(s.by_level[0].first, Level::Must);
  EXPECT_EQ(s.by_level[0].second.total(), 9u);
  EXPECT_EQ(s.by_level[2].second.skip, 1u);
  std::int64_t total = 0;
  for (const auto& t : sample_report().results) total += t.duration_ns;
  EXPECT_EQ(s.total_duration_ns, total);
}

TEST(Baseline, MarksEachTestAgainstTheEarlierRun) {
  const Report r = sample_report();
  EXPECT_EQ(find(r, "AOE.Header.TagEchoed").baseline_verdict, Verdict::Pass);
  EXPECT_EQ(baseline_change(find(r, "AOE.Header.TagEchoed")), BaselineChange::NewlyFailing);
  EXPECT_EQ(baseline_change(find(r, "AOE.QueryConfig.OverlongString")), BaselineChange::NewlyFailing);  // pass -> error
  EXPECT_EQ(baseline_change(find(r, "AOE.ReadWrite.Lba48LastSector")), BaselineChange::NewlyPassing);
  EXPECT_EQ(baseline_change(find(r, "AOE.Cache.SmartOptional")), BaselineChange::Changed);  // pass -> skip
  EXPECT_EQ(baseline_change(find(r, "AOE.Header.VersionAndResponse")), BaselineChange::Unchanged);
  EXPECT_EQ(baseline_change(find(r, "AOE.ReadWrite.CountMaxPlusOneError2")), BaselineChange::Unchanged);  // fail -> fail
  EXPECT_EQ(baseline_change(find(r, testing::kEvilName)), BaselineChange::New);
  EXPECT_FALSE(find(r, testing::kEvilName).baseline_verdict.has_value());

  ASSERT_TRUE(r.baseline.has_value());
  EXPECT_EQ(r.baseline->run_id, "20250301T080000Z");
  EXPECT_EQ(r.baseline->path, "reports/runs/20250301T080000Z/results.json");
  EXPECT_EQ(r.baseline->removed, std::vector<std::string>{"AOE.Header.Retired"});

  const Summary s = summarize(r);
  EXPECT_EQ(s.newly_failing, (std::vector<std::string>{"AOE.Header.TagEchoed", "AOE.QueryConfig.OverlongString"}));
  EXPECT_EQ(s.newly_passing, std::vector<std::string>{"AOE.ReadWrite.Lba48LastSector"});
  EXPECT_EQ(s.changed, std::vector<std::string>{"AOE.Cache.SmartOptional"});
  EXPECT_EQ(s.added, std::vector<std::string>{testing::kEvilName});
}

TEST(Baseline, ReapplyingReplacesEarlierMarks) {
  Report r = sample_report();
  Report same = r;
  same.run_id = "same";
  apply_baseline(r, same);
  EXPECT_EQ(r.baseline->run_id, "same");
  EXPECT_TRUE(r.baseline->removed.empty());
  for (const TestResult& t : r.results) EXPECT_EQ(baseline_change(t), BaselineChange::Unchanged) << t.name;
  EXPECT_TRUE(summarize(r).newly_failing.empty());
}

TEST(Summary, NoBaselineMeansNoChangeLists) {
  Report r = sample_report();
  r.baseline.reset();
  const Summary s = summarize(r);
  EXPECT_TRUE(s.newly_failing.empty());
  EXPECT_TRUE(s.added.empty());
}

TEST(BaselineChangeName, NamesEveryChange) {
  EXPECT_STREQ(baseline_change_name(BaselineChange::NewlyFailing), "newly failing");
  EXPECT_STREQ(baseline_change_name(BaselineChange::NewlyPassing), "newly passing");
  EXPECT_STREQ(baseline_change_name(BaselineChange::New), "new");
}

}  // namespace
}  // namespace aoeh::reports
