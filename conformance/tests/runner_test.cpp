// Runner mechanics against a scripted fake World: identity, verdicts, exit codes, evidence, safety,
// interruption. Real targets (sim/target and its defects) are exercised by the certification tests.
#include "conformance/runner.hpp"

#include <gtest/gtest.h>

#include "conformance/selection.hpp"
#include "conformance/tests/fake_world.hpp"

namespace aoeh::conformance {
namespace {

using reports::Verdict;
using testing::FakeKnobs;
using testing::FakeWorld;

RunOptions options(std::vector<std::string> patterns) {
  RunOptions o;
  o.target = {1, 1};
  o.patterns = std::move(patterns);
  return o;
}

RunOutput run(FakeWorld& world, const RunOptions& o) {
  return run_suite(world, select_tests(catalogue(), o.patterns), o);
}

const reports::TestResult& result(const RunOutput& out, const std::string& name) {
  for (const auto& r : out.report.results)
    if (r.name == name) return r;
  throw std::runtime_error("no result for " + name);
}

TEST(Runner, CollectsDeviceIdentityFirst) {
  FakeWorld world;
  auto out = run(world, options({"AOE.Header.TagEchoed"}));
  EXPECT_EQ(out.exit_code, 0) << out.environment_error;
  EXPECT_EQ(out.report.device.address, "e1.1");
  EXPECT_EQ(out.report.device.buffer_count, 8);
  EXPECT_EQ(out.report.device.sector_count, 2);
  EXPECT_EQ(out.report.device.firmware, 0x4001);
  EXPECT_EQ(out.report.device.capacity_sectors, 4096u);
  EXPECT_EQ(out.report.device.model, "fake");
  ASSERT_EQ(out.report.device.macs.size(), 1u);
  EXPECT_EQ(out.report.device.macs[0], "02:00:00:00:00:99");
}

TEST(Runner, PassingTestRecordsEvidenceThatPointsIntoTheCapture) {
  FakeWorld world;
  auto out = run(world, options({"AOE.Header.TagEchoed"}));
  const auto& r = result(out, "AOE.Header.TagEchoed");
  EXPECT_EQ(r.verdict, Verdict::Pass) << r.message;
  ASSERT_GE(r.evidence.size(), 8u);  // four requests, four replies
  for (const auto& e : r.evidence) {
    ASSERT_TRUE(e.capture_index.has_value());
    ASSERT_LT(*e.capture_index, out.capture.size());
    EXPECT_EQ(out.capture[*e.capture_index].sent, e.sent);
    EXPECT_FALSE(e.hex.empty());
  }
  EXPECT_GT(r.duration_ns, 0);
  EXPECT_FALSE(out.report.rtt_samples_us.empty());
}

TEST(Runner, MangledTagsFailAMustTestAndTheExitCode) {
  FakeKnobs k;
  k.mangle_tags = true;
  FakeWorld world(k);
  auto out = run(world, options({"AOE.Header.TagEchoed"}));
  const auto& r = result(out, "AOE.Header.TagEchoed");
  EXPECT_EQ(r.verdict, Verdict::Fail);
  EXPECT_NE(r.message.find("came back as"), std::string::npos) << r.message;
  EXPECT_EQ(out.exit_code, 1);
}

TEST(Runner, SilentTargetIsAnEnvironmentError) {
  FakeKnobs k;
  k.silent = true;
  FakeWorld world(k);
  auto out = run(world, options({}));
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_NE(out.environment_error.find("did not answer"), std::string::npos);
  EXPECT_TRUE(out.report.results.empty());
}

TEST(Runner, WritingTestsAreSkippedWithoutAllowWrite) {
  FakeWorld world;
  auto out = run(world, options({"AOE.ReadWrite.WritePatternReadBack"}));
  const auto& r = result(out, "AOE.ReadWrite.WritePatternReadBack");
  EXPECT_EQ(r.verdict, Verdict::Skip);
  EXPECT_NE(r.message.find("--allow-write"), std::string::npos);
  EXPECT_EQ(out.exit_code, 0);
  EXPECT_TRUE(out.report.safety.touched.empty());
}

TEST(Runner, UnmetNeedsAreNotApplicableOrSkipped) {
  FakeWorld world;  // LBA28 only, one probe port
  auto out = run(world, options({"AOE.ReadWrite.ReadLba48", "AOE.Multiport.SameIdentityEveryPort"}));
  EXPECT_EQ(result(out, "AOE.ReadWrite.ReadLba48").verdict, Verdict::NotApplicable);
  EXPECT_EQ(result(out, "AOE.Multiport.SameIdentityEveryPort").verdict, Verdict::Skip);
}

TEST(Runner, WritesAreSavedRestoredAndVerified) {
  FakeWorld world;
  auto o = options({"AOE.ReadWrite.WritePatternReadBack"});
  o.allow_write = true;
  const std::uint64_t lba = (4096 / 2 & ~0xFFull) + 2 * 64;  // scratch slot 2
  const auto before0 = world.sector(lba);
  const auto before1 = world.sector(lba + 1);
  auto out = run(world, o);
  const auto& r = result(out, "AOE.ReadWrite.WritePatternReadBack");
  EXPECT_EQ(r.verdict, Verdict::Pass) << r.message;
  EXPECT_EQ(world.sector(lba), before0);
  EXPECT_EQ(world.sector(lba + 1), before1);
  const auto& s = out.report.safety;
  EXPECT_TRUE(s.writes_allowed);
  ASSERT_EQ(s.touched.size(), 1u);
  EXPECT_EQ(s.touched[0], "sectors " + std::to_string(lba) + "-" + std::to_string(lba + 1));
  EXPECT_TRUE(s.restored);
  EXPECT_TRUE(s.restore_verified);
}

TEST(Runner, CtrlCInsideAWritingTestRestoresAndSkipsTheRest) {
  FakeWorld world;
  std::atomic<bool> stop{false};
  auto o = options({"AOE.ReadWrite.WritePatternReadBack", "AOE.Header.*"});
  o.allow_write = true;
  o.stop = &stop;
  // Requests: identity (Query Config, IDENTIFY), then the test's save-read and its write: the flag
  // rises as the write goes out, so the sectors really changed when the run is interrupted.
  world.stop_after(4, &stop);
  const std::uint64_t lba = (4096 / 2 & ~0xFFull) + 2 * 64;
  const auto before = world.sector(lba);
  auto out = run_suite(world, select_tests(catalogue(), o.patterns), o);
  EXPECT_TRUE(out.interrupted);
  const auto& first = out.report.results.front();
  EXPECT_EQ(first.verdict, Verdict::Error);
  EXPECT_NE(first.message.find("interrupted"), std::string::npos) << first.message;
  ASSERT_GT(out.report.results.size(), 1u);
  for (std::size_t i = 1; i < out.report.results.size(); ++i) {
    EXPECT_EQ(out.report.results[i].verdict, Verdict::Skip);
    EXPECT_NE(out.report.results[i].message.find("interrupted"), std::string::npos);
  }
  EXPECT_EQ(world.sector(lba), before);
  EXPECT_TRUE(out.report.safety.restored);
  EXPECT_TRUE(out.report.safety.restore_verified);
  EXPECT_EQ(out.exit_code, 1);  // a MUST test could not complete
}

TEST(Runner, ExitCodeCountsOnlyMustFailuresAndErrors) {
  reports::Report r;
  r.results.resize(2);
  r.results[0].level = reports::Level::Should;
  r.results[0].verdict = Verdict::Fail;
  r.results[1].level = reports::Level::Must;
  r.results[1].verdict = Verdict::Skip;
  EXPECT_EQ(exit_code_for(r), 0);
  r.results[1].verdict = Verdict::Error;
  EXPECT_EQ(exit_code_for(r), 1);
}

}  // namespace
}  // namespace aoeh::conformance
