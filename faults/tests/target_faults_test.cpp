// Every target fault: its effect on the wire and in the engine, and I/O that stays correct
// wherever the fault should only slow things down.
#include <gtest/gtest.h>

#include "faults/tests/plan_helpers.hpp"

namespace aoeh::faults {
namespace {

using namespace testing;

const std::string kTimed = R"({"pattern": "random", "read_fraction": 0.5, "size": {"min": "4KiB", "max": "16KiB"},
                               "queue_depth": 4, "duration": "3s", "verify": true})";
// 3 s of I/O over 20 Mbit/s paths, so timed faults meet traffic.
std::string timed_plan(const std::string& faults, const std::string& expect = "", const std::string& target = "") {
  std::string p = patch(small_plan(faults, expect, "", kTimed), R"("paths": [{"name": "a"}, {"name": "b"}])",
                        R"("paths": [{"name": "a", "rate": "20Mbit/s"}, {"name": "b", "rate": "20Mbit/s"}])");
  if (!target.empty()) p = patch(p, R"("capacity": "16MiB")", R"("capacity": "16MiB", )" + target);
  return p;
}

void expect_all_pass(const ScenarioResult& r) {
  for (const auto& e : r.expectations) EXPECT_TRUE(e.passed) << e.text << " [" << e.detail << "]";
}

TEST(TargetFaults, ShortHangStallsThenResumes) {
  const auto r = run_json(timed_plan(R"({"type": "hang", "target": "e1.0", "at": "1s", "for": "1s"})",
                                     R"({"event": "device_down", "absent": true},
                                        {"io_completed": {"min": 1}, "after": "2s"})"));
  expect_clean_io(r);
  expect_all_pass(r);
  EXPECT_GT(stat(r, 0, "requests_ignored"), 0u);
  EXPECT_GT(metric(r, "initiator.retransmits"), 0);
  EXPECT_GT(metric(r, "io.latency_max_us"), 500'000);  // something waited out most of the hang
}

TEST(TargetFaults, CrashLosesUnflushedCacheAndAnnouncesOnReturn) {
  // Writes only, no FLUSH: whatever sat in the cache at 1 s is gone; the final read-back sees it.
  const std::string wl = R"({"pattern": "random", "read_fraction": 0, "size": "4KiB", "queue_depth": 2, "duration": "1500ms",
                              "span": "1MiB", "verify": true})";
  std::string p = patch(small_plan(R"({"type": "crash", "target": "e1.0", "at": "1s", "for": "200ms"})", "", "", wl),
                        R"("capacity": "16MiB")", R"("capacity": "16MiB", "write_cache": true)");
  p = patch(p, R"("paths": [{"name": "a"}, {"name": "b"}])", R"("paths": [{"name": "a", "rate": "10Mbit/s"}, {"name": "b", "rate": "10Mbit/s"}])");
  const auto r = run_json(p);
  expect_clean_io(r);
  EXPECT_EQ(metric(r, "target.e1.0.crashes"), 1);
  EXPECT_EQ(metric(r, "target.e1.0.announcements"), 4);  // 2 ports at start, 2 on restart
  EXPECT_GT(metric(r, "target.e1.0.ignored_while_crashed"), 0);
  EXPECT_GT(r.durability.crash_rolled_back, 0u);         // acknowledged, unflushed, lost: allowed
  EXPECT_EQ(r.durability.violations(), 0u);
}

TEST(TargetFaults, CrashOfAWriteThroughTargetLosesNothing) {
  const std::string wl = R"({"pattern": "random", "read_fraction": 0, "size": "4KiB", "queue_depth": 2, "duration": "1500ms",
                              "span": "1MiB", "verify": true})";
  const auto r = run_json(patch(small_plan(R"({"type": "crash", "target": "e1.0", "at": "1s", "for": "200ms"})", "", "", wl),
                                R"("paths": [{"name": "a"}, {"name": "b"}])",
                                R"("paths": [{"name": "a", "rate": "10Mbit/s"}, {"name": "b", "rate": "10Mbit/s"}])"));
  expect_clean_io(r);
  EXPECT_EQ(metric(r, "target.e1.0.crashes"), 1);
  EXPECT_EQ(r.durability.crash_rolled_back, 0u);
}

TEST(TargetFaults, SlowAnswersRaiseLatencyOnly) {
  // One path: the engine's window (the target's bufcnt) keeps the slow target's queue from overflowing.
  const auto base = run_json(one_path_plan(""));
  const auto r = run_json(one_path_plan(R"({"type": "slow", "target": "e1.0", "delay": "3ms"})"));
  expect_clean_io(r);
  EXPECT_GT(metric(r, "io.latency_mean_us"), metric(base, "io.latency_mean_us") + 3000);
  EXPECT_EQ(metric(r, "target.e1.0.dropped_bufcnt"), 0);
}

TEST(TargetFaults, SlowAnswersOverTwoPathsOverflowTheTargetQueue) {
  // Two paths each get a window of bufcnt: together they overrun a slow target's queue.
  const auto r = run_json(small_plan(R"({"type": "slow", "target": "e1.0", "delay": "3ms"})"));
  expect_clean_io(r);
  EXPECT_GT(metric(r, "target.e1.0.dropped_bufcnt"), 0);
  EXPECT_GT(metric(r, "initiator.retransmits"), 0);
}

TEST(TargetFaults, AoeErrorFailsTheChosenCommandsOnly) {
  const auto r = run_json(small_plan(R"({"type": "aoe_error", "target": "e1.0", "code": 2, "commands": ["write"],
                                         "lbas": "0-8191"})",
                                     R"({"io_errors": {"min": 1}, "status": "aoe_error"})"));
  expect_all_pass(r);
  EXPECT_GT(stat(r, 0, "aoe_errors_sent"), 0u);
  EXPECT_GT(metric(r, "initiator.error_replies.2"), 0);
  EXPECT_EQ(r.durability.violations(), 0u);  // a refused write left the old data: allowed
}

TEST(TargetFaults, AtaErrorsHitTheirLbaRange) {
  const auto r = run_json(small_plan(R"({"type": "ata_error", "target": "e1.0", "error": "unc", "commands": ["read"],
                                         "lbas": "0-4095"})",
                                     R"({"io_errors": {"min": 1}, "status": "ata_error"},
                                        {"io_errors": 0, "status": "aoe_error"})"));
  expect_all_pass(r);
  EXPECT_GT(stat(r, 0, "ata_errors_sent"), 0u);
  EXPECT_EQ(r.durability.violations(), 0u);
}

TEST(TargetFaults, RuntRepliesAreMalformedAndRetried) {
  const auto r = run_json(small_plan(R"({"type": "runt", "target": "e1.0", "probability": 0.1, "length": 30})"));
  expect_clean_io(r);
  EXPECT_GT(stat(r, 0, "runts_sent"), 0u);
  EXPECT_EQ(metric(r, "initiator.malformed"), double(stat(r, 0, "runts_sent")));
  EXPECT_GT(metric(r, "initiator.retransmits"), 0);
}

TEST(TargetFaults, MislabelledRepliesAreIgnored) {
  const std::pair<const char*, const char*> cases[] = {
      {"wrong_tag", "wrong_tags_sent"}, {"wrong_shelf", "wrong_shelves_sent"}, {"wrong_slot", "wrong_slots_sent"}};
  for (const auto& [type, counter] : cases) {
    const auto r = run_json(small_plan(std::string(R"({"type": ")") + type + R"(", "target": "e1.0", "probability": 0.1})"));
    expect_clean_io(r);
    const auto sent = stat(r, 0, counter);
    EXPECT_GT(sent, 0u) << type;
    EXPECT_EQ(metric(r, "initiator.unknown_tags"), double(sent)) << type;
    EXPECT_GT(metric(r, "initiator.retransmits"), 0) << type;
  }
}

TEST(TargetFaults, DuplicateRepliesAreCountedAsDuplicates) {
  // The run goes on for a second so the last delayed copies arrive too.
  const auto r = run_json(small_plan(R"({"type": "duplicate_reply", "target": "e1.0", "probability": 0.2, "gap": "100us"})",
                                     "", R"(, "duration": "1s")"));
  expect_clean_io(r);
  EXPECT_GT(stat(r, 0, "duplicates_sent"), 0u);
  EXPECT_EQ(metric(r, "initiator.duplicate_replies"), double(stat(r, 0, "duplicates_sent")));
  EXPECT_EQ(metric(r, "initiator.retransmits"), 0);
}

TEST(TargetFaults, StaleReplaysNeverPassForCurrentAnswers) {
  const auto r = run_json(small_plan(R"({"type": "stale_replay", "target": "e1.0", "probability": 0.2, "depth": 32})", "",
                                     R"(, "duration": "1s")"));
  expect_clean_io(r);
  const auto sent = stat(r, 0, "stale_replays_sent");
  EXPECT_GT(sent, 0u);
  EXPECT_EQ(metric(r, "initiator.duplicate_replies") + metric(r, "initiator.unknown_tags") +
                metric(r, "initiator.late_replies") + metric(r, "initiator.ignored"),
            double(sent));
}

TEST(TargetFaults, ResizeWhileClosedIsNoticedAtTheNextQuery) {
  const auto r = run_json(small_plan(R"({"type": "resize", "target": "e1.0", "at": "1s", "capacity": "32MiB"})",
                                     R"({"event": "device_resized", "device": "e1.0", "after": "1s", "by": "6s"},
                                        {"capacity": "32MiB", "device": "e1.0", "at": "7s"})"));
  expect_all_pass(r);
}

TEST(TargetFaults, ResizeWhileOpenWaitsForRevalidate) {
  std::string p = timed_plan(R"({"type": "resize", "target": "e1.0", "at": "1s", "capacity": "32MiB"})",
                             R"({"event": "device_resized", "by": "7s", "absent": true},
                                {"event": "device_resized", "after": "7s", "by": "8s"})");
  p = patch(p, R"("duration": "3s")", R"("duration": "8s")");
  p = patch(p, R"("expect": [)", R"("actions": [{"at": "7s", "do": "revalidate", "device": "e1.0"}], "expect": [)");
  const auto r = run_json(p);
  expect_all_pass(r);
  expect_clean_io(r);
}

TEST(TargetFaults, MacChangeShowsUpAsANewPath) {
  const auto r = run_json(timed_plan(R"({"type": "mac_change", "target": "e1.0", "port": 0, "mac": "02:aa:00:00:00:01",
                                          "at": "1s"})",
                                     R"({"event": "path_added", "device": "e1.0", "path": "a", "after": "1s"})"));
  expect_all_pass(r);
  expect_clean_io(r);
}

TEST(TargetFaults, QueryConfigChangesAreNoticed) {
  for (const char* f : {R"({"type": "bufcnt", "target": "e1.0", "bufcnt": 2, "at": "1s", "announce": true})",
                        R"({"type": "config_string", "target": "e1.0", "config": "moved", "at": "1s"})",
                        R"({"type": "firmware", "target": "e1.0", "firmware": 513, "at": "1s"})"}) {
    const auto r = run_json(small_plan(f, R"({"event": "config_changed", "device": "e1.0", "after": "1s", "by": "6s"},
                                            {"event": "config_changed", "by": "999ms", "absent": true})"));
    expect_all_pass(r);
  }
}

TEST(TargetFaults, ReservationByAnotherHostRefusesOurIo) {
  const auto r = run_json(timed_plan(R"({"type": "reserve", "target": "e1.0", "at": "1s"})",
                                     R"({"io_errors": {"min": 1}, "status": "reserved", "after": "1s"},
                                        {"io_errors": 0, "by": "999ms"})"));
  expect_all_pass(r);
  EXPECT_GT(metric(r, "target.e1.0.reserved_refusals"), 0);
  EXPECT_GT(metric(r, "initiator.error_replies.6"), 0);
}

TEST(TargetFaults, MaskListExcludingUsSilencesTheTarget) {
  const auto r = run_json(timed_plan(R"({"type": "mask_list", "target": "e1.0", "at": "1s", "for": "1s"})"));
  expect_clean_io(r);  // shorter than dead_after: a stall, then recovery
  EXPECT_GT(metric(r, "target.e1.0.ignored_masked"), 0);
  EXPECT_GT(metric(r, "initiator.retransmits"), 0);
}

TEST(TargetFaults, SecondTargetClaimingTheAddressBecomesAPathAndCorruptsData) {
  std::string p = timed_plan(R"({"type": "claim_address", "target": "e1.1", "address": "e1.0", "at": "1s"})",
                             R"({"event": "path_added", "device": "e1.0", "after": "1s"},
                                {"violations": {"min": 1}})");
  p = patch(p, R"("targets": [{"address": "e1.0", "capacity": "16MiB"}])",
            R"("targets": [{"address": "e1.0", "count": 2, "capacity": "16MiB"}])");
  p = patch(p, R"("verify": true})", R"("verify": true, "devices": ["e1.0"]})");
  const auto r = run_json(p);
  expect_all_pass(r);
  EXPECT_GT(r.durability.lost + r.durability.phantom, 0u);
}

}  // namespace
}  // namespace aoeh::faults
