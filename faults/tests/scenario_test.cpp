// The plan runner end to end: a clean run, determinism, expectations that can fail.
#include <gtest/gtest.h>

#include "faults/tests/plan_helpers.hpp"

namespace aoeh::faults {
namespace {

using namespace testing;

TEST(Scenario, CleanPlanRunsItsWorkloadAndPasses) {
  const auto r = run_json(small_plan(""));
  for (const auto& e : r.expectations) EXPECT_TRUE(e.passed) << e.text << " [" << e.detail << "]";
  EXPECT_TRUE(r.passed);
  expect_clean_io(r);
  EXPECT_GE(r.workload.bytes_read + r.workload.bytes_written, 2u << 20);
  EXPECT_GT(r.workload.final_reads, 0u);
  EXPECT_EQ(sum_links(r, "impairment_drops"), 0);
  ASSERT_EQ(r.devices.size(), 1u);
  EXPECT_EQ(r.devices[0].state, "up");
}

}  // namespace
}  // namespace aoeh::faults
