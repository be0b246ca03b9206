// Every link / switch-port fault: what it changes (its own counters, the link's counters, the
// engine's reaction) and that nothing else changes (other links untouched, I/O still correct).
#include <gtest/gtest.h>

#include "faults/tests/plan_helpers.hpp"

namespace aoeh::faults {
namespace {

using namespace testing;

// A workload that runs for 3 s on 20 Mbit/s paths, so faults with a time window meet traffic.
const std::string kTimed = R"({"pattern": "random", "read_fraction": 0.5, "size": {"min": "4KiB", "max": "16KiB"},
                               "queue_depth": 4, "duration": "3s", "verify": true})";
std::string timed_plan(const std::string& faults, const std::string& expect = "") {
  const std::string p = patch(small_plan(faults, expect, "", kTimed), R"("paths": [{"name": "a"}, {"name": "b"}])",
                              R"("paths": [{"name": "a", "rate": "20Mbit/s"}, {"name": "b", "rate": "20Mbit/s"}])");
  return patch(p, R"("dead_after": "20s")", R"("dead_after": "20s", "path_unhealthy_after": "300ms")");
}

TEST(LinkFaults, BaselineHasNoDropsOrRetransmits) {
  const auto r = run_json(small_plan(""));
  expect_clean_io(r);
  EXPECT_EQ(sum_links(r, "impairment_drops") + sum_links(r, "down_drops") + sum_links(r, "queue_drops"), 0);
  EXPECT_EQ(metric(r, "initiator.retransmits"), 0);
  EXPECT_EQ(sum_links(r, "duplicates"), 0);
}

TEST(LinkFaults, RandomLossDropsOnItsDirectionOnly) {
  const auto r = run_json(small_plan(R"({"type": "loss", "link": "eth0", "direction": "in", "probability": 0.2})"));
  expect_clean_io(r);
  const auto dropped = stat(r, 0, "dropped");
  EXPECT_GT(dropped, 10u);
  EXPECT_NEAR(double(dropped) / double(stat(r, 0, "frames_seen")), 0.2, 0.06);
  EXPECT_EQ(metric(r, "link.eth0.in.impairment_drops"), double(dropped));
  EXPECT_EQ(sum_links(r, "impairment_drops", "link.eth0.in"), 0);
  EXPECT_GT(metric(r, "initiator.retransmits"), 0);
}

TEST(LinkFaults, GilbertElliottLossComesInBursts) {
  const auto r = run_json(small_plan(R"({"type": "burst_loss", "link": "eth0", "direction": "out", "p": 0.02, "r": 0.25})"));
  expect_clean_io(r);
  const auto bursts = stat(r, 0, "bursts"), dropped = stat(r, 0, "dropped");
  EXPECT_GT(bursts, 3u);
  EXPECT_EQ(stat(r, 0, "dropped_in_burst"), dropped);  // loss_good 0: nothing lost outside bursts
  EXPECT_GT(double(dropped) / double(bursts), 2.0);     // mean burst length 1/r = 4 frames
  EXPECT_EQ(metric(r, "link.eth0.out.impairment_drops"), double(dropped));
  EXPECT_EQ(sum_links(r, "impairment_drops", "link.eth0.out"), 0);
}

TEST(LinkFaults, UniformDelayStaysWithinItsJitter) {
  const auto base = run_json(one_path_plan(""));
  const auto r = run_json(one_path_plan(R"({"type": "delay", "link": "e1.0:0", "delay": "2ms", "jitter": "1ms"})"));
  expect_clean_io(r);
  const auto delayed = stat(r, 0, "delayed");
  ASSERT_GT(delayed, 50u);
  const double mean_us = double(stat(r, 0, "delay_total_us")) / double(delayed);
  EXPECT_NEAR(mean_us, 2000, 150);
  EXPECT_EQ(stat(r, 0, "beyond_jitter"), 0u);
  EXPECT_GT(metric(r, "io.latency_mean_us"), metric(base, "io.latency_mean_us") + 1000);
  EXPECT_EQ(sum_links(r, "impairment_drops"), 0);
}

TEST(LinkFaults, NormalDelayHasTails) {
  const auto r = run_json(one_path_plan(R"({"type": "delay", "link": "e1.0:0", "delay": "2ms", "jitter": "500us",
                                         "distribution": "normal"})"));
  expect_clean_io(r);
  const auto delayed = stat(r, 0, "delayed");
  ASSERT_GT(delayed, 50u);
  EXPECT_NEAR(double(stat(r, 0, "delay_total_us")) / double(delayed), 2000, 150);
  // About 32% of a normal distribution lies beyond one standard deviation.
  EXPECT_NEAR(double(stat(r, 0, "beyond_jitter")) / double(delayed), 0.32, 0.1);
}

TEST(LinkFaults, DuplicationDeliversSecondCopies) {
  const auto r = run_json(small_plan(R"({"type": "duplicate", "link": "eth0", "direction": "out", "probability": 0.3})"));
  expect_clean_io(r);
  const auto dup = stat(r, 0, "duplicated");
  EXPECT_GT(dup, 10u);
  EXPECT_EQ(metric(r, "link.eth0.out.duplicates"), double(dup));
  EXPECT_EQ(sum_links(r, "duplicates", "link.eth0.out"), 0);
  EXPECT_GT(metric(r, "initiator.duplicate_replies"), 0);  // the target answered both copies
  EXPECT_EQ(sum_links(r, "impairment_drops"), 0);
}

TEST(LinkFaults, ReorderingHoldsFramesBack) {
  const auto base = run_json(one_path_plan(""));
  const auto r = run_json(one_path_plan(R"({"type": "reorder", "link": "e1.0:0", "direction": "out", "probability": 0.2,
                                         "delay": "1ms"})"));
  expect_clean_io(r);
  EXPECT_GT(stat(r, 0, "held_back"), 10u);
  EXPECT_GT(metric(r, "io.latency_max_us"), metric(base, "io.latency_max_us") + 900);
  EXPECT_EQ(sum_links(r, "impairment_drops"), 0);
}

TEST(LinkFaults, DetectedCorruptionIsAnFcsDrop) {
  const auto r = run_json(small_plan(R"({"type": "corrupt", "link": "eth0", "probability": 0.1})"));
  expect_clean_io(r);
  const auto fcs = stat(r, 0, "fcs_errors");
  EXPECT_GT(fcs, 10u);
  EXPECT_EQ(metric(r, "link.eth0.out.impairment_drops") + metric(r, "link.eth0.in.impairment_drops"), double(fcs));
  EXPECT_EQ(sum_links(r, "edited"), 0);
  EXPECT_GT(metric(r, "initiator.retransmits"), 0);
}

TEST(LinkFaults, UndetectedCorruptionReachesThePayloadAndTheChecker) {
  const auto r = run_json(small_plan(R"({"type": "corrupt", "link": "eth0", "probability": 0.05, "detected": false})"));
  const auto corrupted = stat(r, 0, "corrupted");
  EXPECT_GT(corrupted, 0u);
  EXPECT_EQ(metric(r, "link.eth0.out.edited") + metric(r, "link.eth0.in.edited"), double(corrupted));
  EXPECT_EQ(r.workload.failed, 0u);                     // nothing noticed on the wire
  EXPECT_GT(r.durability.corrupted, 0u);                // but the data is wrong
  EXPECT_FALSE(r.passed);                               // and the implicit expectation says so
  ASSERT_FALSE(r.violations.empty());
  EXPECT_EQ(r.violations[0].kind, Violation::Kind::Corrupted);
  EXPECT_EQ(r.violations[0].seed, 1u);
}

TEST(LinkFaults, RateLimitQueuesWithoutLoss) {
  const auto base = run_json(one_path_plan(""));
  const auto r = run_json(one_path_plan(R"({"type": "rate_limit", "link": "e1.0:0", "direction": "out", "rate": "5Mbit/s"})"));
  expect_clean_io(r);
  EXPECT_GT(stat(r, 0, "queued"), 10u);
  EXPECT_EQ(stat(r, 0, "queue_drops"), 0u);
  EXPECT_GT(r.workload.finished_at - r.workload.started_at, 2 * (base.workload.finished_at - base.workload.started_at));
  EXPECT_EQ(sum_links(r, "impairment_drops"), 0);
}

TEST(LinkFaults, QueueOverflowDropsTheExcess) {
  const auto r = run_json(small_plan(R"({"type": "queue_overflow", "link": "e1.0:0", "direction": "out",
                                         "rate": "10Mbit/s", "queue": 2})"));
  expect_clean_io(r);
  const auto drops = stat(r, 0, "queue_drops");
  EXPECT_GT(drops, 0u);
  EXPECT_EQ(metric(r, "link.e1.0:0.out.impairment_drops"), double(drops));
  EXPECT_EQ(sum_links(r, "impairment_drops", "link.e1.0:0.out"), 0);
}

TEST(LinkFaults, LinkMtuDropsJumboFramesAndTheEngineFallsBack) {
  const auto r = run_json(one_path_plan(R"({"type": "mtu", "link": "e1.0:0", "direction": "in", "mtu": 1500})",
                                        R"({"event": "payload_fallback", "device": "e1.0", "path": "a"},
                                           {"payload_sectors": 2, "device": "e1.0"})", 9000));
  expect_clean_io(r);
  for (const auto& e : r.expectations) EXPECT_TRUE(e.passed) << e.text << " [" << e.detail << "]";
  EXPECT_GT(stat(r, 0, "mtu_drops"), 0u);
  EXPECT_EQ(metric(r, "link.e1.0:0.in.impairment_drops"), double(stat(r, 0, "mtu_drops")));
  EXPECT_EQ(sum_links(r, "impairment_drops", "link.e1.0:0.in"), 0);
}

TEST(LinkFaults, SwitchPortMtuIsCountedByTheSwitch) {
  const auto r = run_json(one_path_plan(R"({"type": "mtu", "switch_port": "e1.0:0", "direction": "egress", "mtu": 1500})",
                                        "", 9000));
  expect_clean_io(r);
  EXPECT_GT(metric(r, "switch.a.e1.0:0.mtu_drops"), 0);
  EXPECT_EQ(metric(r, "switch.a.eth0.mtu_drops"), 0);
  EXPECT_EQ(sum_links(r, "impairment_drops"), 0);
  EXPECT_EQ(metric(r, "initiator.fallbacks"), 1);
}

TEST(LinkFaults, DownLinkDropsBothWaysAndThePathRecovers) {
  const auto r = run_json(timed_plan(R"({"type": "down", "link": "eth0", "at": "500ms", "for": "2s"})",
                                     R"({"event": "path_unhealthy", "device": "e1.0", "path": "a", "after": "500ms"})"));
  expect_clean_io(r);
  EXPECT_GT(metric(r, "link.eth0.out.down_drops"), 0);
  EXPECT_EQ(sum_links(r, "down_drops", "link.eth0.out") - metric(r, "link.eth0.in.down_drops"), 0);
  EXPECT_EQ(sum_links(r, "impairment_drops"), 0);
  EXPECT_TRUE(r.passed) << r.expectations[0].detail;
}

TEST(LinkFaults, FlappingTogglesOncePerPeriod) {
  const auto r = run_json(timed_plan(R"({"type": "flap", "link": "eth1", "period": "1s", "down": "200ms", "at": "500ms",
                                          "for": "2s"})"));
  expect_clean_io(r);
  EXPECT_EQ(stat(r, 0, "flaps"), 2u);
  EXPECT_GT(metric(r, "link.eth1.out.down_drops"), 0);
  EXPECT_EQ(sum_links(r, "down_drops", "link.eth1.out") - metric(r, "link.eth1.in.down_drops"), 0);
}

TEST(LinkFaults, BlackHoleSwallowsOneDirection) {
  const auto r = run_json(timed_plan(R"({"type": "black_hole", "link": "eth0", "direction": "out", "at": "500ms",
                                          "for": "1s"})"));
  expect_clean_io(r);
  const auto dropped = stat(r, 0, "dropped");
  EXPECT_GT(dropped, 0u);
  EXPECT_EQ(dropped, stat(r, 0, "frames_seen"));
  EXPECT_EQ(metric(r, "link.eth0.out.impairment_drops"), double(dropped));
  EXPECT_EQ(sum_links(r, "impairment_drops", "link.eth0.out") + sum_links(r, "down_drops"), 0);
}

TEST(LinkFaults, PartitionCutsEveryCableOfOnePath) {
  const auto r = run_json(timed_plan(R"({"type": "partition", "path": "a", "at": "500ms", "for": "1500ms"})",
                                     R"({"event": "path_unhealthy", "path": "a"}, {"event": "path_unhealthy", "path": "b", "absent": true})"));
  expect_clean_io(r);
  EXPECT_GT(metric(r, "link.eth0.out.down_drops") + metric(r, "link.e1.0:0.out.down_drops"), 0);
  EXPECT_EQ(metric(r, "link.eth1.out.down_drops") + metric(r, "link.e1.0:1.out.down_drops"), 0);
  for (const auto& e : r.expectations) EXPECT_TRUE(e.passed) << e.text << " [" << e.detail << "]";
}

}  // namespace
}  // namespace aoeh::faults
