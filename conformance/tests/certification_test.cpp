// Proof that the suite is right and can fail: the reference target on the embedded simulated shelf
// passes every MUST and SHOULD test, and each named defect of it fails at least one test.
#include <gtest/gtest.h>

#include <string>

#include "conformance/runner.hpp"
#include "conformance/selection.hpp"
#include "conformance/sim_shelf.hpp"
#include "reports/summary.hpp"

namespace aoeh::conformance {
namespace {

using reports::Level;
using reports::Verdict;

RunOutput certify(const SimShelfOptions& so) {
  SimShelf shelf(so);
  RunOptions o;
  o.target = shelf.device();
  o.allow_write = true;
  o.read_only_target = so.read_only;
  o.fresh_start = true;
  o.announce_window = SimShelf::kAnnounceWindow;
  o.seed = so.seed;
  if (so.loss > 0) o.timing.attempts = 6;  // lost frames are the network's doing, not the target's
  return run_suite(shelf.world(), select_tests(catalogue(), {}), o);
}

std::string failures(const RunOutput& run, bool include_may) {
  std::string s;
  for (const auto& r : run.report.results) {
    if (r.verdict != Verdict::Fail && r.verdict != Verdict::Error) continue;
    if (!include_may && r.level == Level::May) continue;
    s += "\n  " + r.name + ": " + r.message;
  }
  return s;
}

TEST(Certification, ReferenceTargetPassesEveryMustAndShouldTest) {
  const auto run = certify({});
  ASSERT_TRUE(run.environment_error.empty()) << run.environment_error;
  EXPECT_EQ(failures(run, false), "");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_TRUE(run.report.safety.restored);
  EXPECT_TRUE(run.report.safety.restore_verified) << run.report.safety.detail;
  EXPECT_GE(reports::summarize(run.report).all.pass, 100u);  // most of the catalogue applies to the reference target
}

TEST(Certification, ReadOnlyReferenceTargetPassesItsTests) {
  SimShelfOptions so;
  so.read_only = true;
  const auto run = certify(so);
  EXPECT_EQ(failures(run, false), "");
  bool ran = false;
  for (const auto& r : run.report.results)
    if (r.name == "AOE.CachePower.ReadOnlyRejectsWrites") ran = r.verdict == Verdict::Pass;
  EXPECT_TRUE(ran);
}

TEST(Certification, ReferenceTargetPassesOverALossyNetwork) {
  SimShelfOptions so;
  so.loss = 0.01;
  so.seed = 7;
  const auto run = certify(so);
  ASSERT_TRUE(run.environment_error.empty()) << run.environment_error;
  EXPECT_EQ(run.exit_code, 0) << failures(run, false);
}

class DefectCaught : public ::testing::TestWithParam<target::Defect> {};

TEST_P(DefectCaught, AtLeastOneTestFails) {
  SimShelfOptions so;
  so.defects.set(GetParam());
  const auto run = certify(so);
  ASSERT_EQ(run.environment_error, "") << "the defective target must still be identified and judged";
  std::size_t failed = 0;
  for (const auto& r : run.report.results) failed += r.verdict == Verdict::Fail ? 1 : 0;
  EXPECT_GT(failed, 0u) << "defect " << target::defect_name(GetParam()) << " went unnoticed";
  EXPECT_TRUE(run.report.safety.restored) << run.report.safety.detail;
}

INSTANTIATE_TEST_SUITE_P(EveryDefect, DefectCaught, ::testing::ValuesIn(target::all_defects().begin(), target::all_defects().end()),
                         [](const auto& info) {
                           std::string n(target::defect_name(info.param));
                           for (auto& ch : n)
                             if (ch == '_') ch = 'X';
                           return n;
                         });

}  // namespace
}  // namespace aoeh::conformance
