// The four named plans of the mission's fault families pass, and a sweep of the mixed-fault plan
// finds no violations while the same plan with undetected corruption does.
#include <gtest/gtest.h>

#include <string>

#include "faults/plan_parser.hpp"
#include "faults/report.hpp"
#include "faults/scenario.hpp"
#include "faults/soak.hpp"

namespace aoeh::faults {
namespace {

std::string plan_path(const std::string& name) { return std::string(AOEH_PLANS_DIR) + "/" + name + ".json"; }

Plan load(const std::string& name) {
  const auto r = load_plan(plan_path(name));
  EXPECT_TRUE(r.ok()) << r.error.to_string();
  return r.ok() ? *r.plan : Plan{};
}

class NamedPlan : public ::testing::TestWithParam<const char*> {};

TEST_P(NamedPlan, Passes) {
  const Plan plan = load(GetParam());
  const auto r = run_plan(plan);
  for (const auto& e : r.expectations) EXPECT_TRUE(e.passed) << e.text << " [" << e.detail << "]";
  if (!r.passed) print_timeline(std::cerr, r);
  EXPECT_TRUE(r.passed);
  EXPECT_GT(r.durability.sectors_checked, 0u);
}
INSTANTIATE_TEST_SUITE_P(Plans, NamedPlan, ::testing::Values("timeouts", "failed_states", "resizing", "mtu_mismatch"));

TEST(NamedPlans, AnotherSeedIsADifferentRunThatStillPasses) {
  const Plan plan = load("timeouts");
  RunOptions a, b;
  a.seed = 2;
  b.seed = 3;
  const auto ra = run_plan(plan, a), rb = run_plan(plan, b);
  EXPECT_TRUE(ra.passed);
  EXPECT_TRUE(rb.passed);
  EXPECT_NE(ra.event_hash, rb.event_hash);
  EXPECT_EQ(run_plan(plan, a).event_hash, ra.event_hash);  // and the same seed is the same run
}

TEST(MixedSweep, FindsNoViolations) {
  const Plan plan = load("mixed");
  const auto r = run_soak(plan, shard_seeds({1, 30}, {1, 1}), 2);  // 150 more in ctest soak.mixed
  ASSERT_EQ(r.outcomes.size(), 30u);
  for (const auto& o : r.outcomes) {
    EXPECT_TRUE(o.passed) << "seed " << o.seed << ": " << (o.failures.empty() ? "" : o.failures[0]) << " "
                          << o.first_violation;
    EXPECT_GT(o.sectors_checked, 0u);
  }
  EXPECT_EQ(r.violations(), 0u);
}

TEST(MixedSweep, WithUndetectedCorruptionTheCheckerReportsViolations) {
  const Plan plan = load("mixed_undetected_corruption");
  const auto r = run_soak(plan, shard_seeds({1, 10}, {1, 1}), 2);
  EXPECT_GT(r.failed(), 5u);
  EXPECT_GT(r.violations(), 0u);
  for (const auto& o : r.outcomes) {
    if (!o.passed) {
      EXPECT_FALSE(o.first_violation.empty()) << o.seed;
    }
  }
}

}  // namespace
}  // namespace aoeh::faults
