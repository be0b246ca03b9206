// Cross-checks: the same plan on the in-process simulator and on ns-3 must complete the same
// workload, leave identical disks, raise the same device events in the same order, and report
// retransmit counts within a stated tolerance.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "protocol/pcap_file.hpp"
#include "sim/ns3/ns3_simulation.hpp"
#include "sim/ns3/tests/plan_runner.hpp"

namespace aoeh::sim::testing {
namespace {

// Retransmit tolerance. Loss decisions come from different random streams (our seeded Rng vs
// ns-3's MRG32k3a), ns-3 judges loss once per trip (with the two-cable probability) where the
// in-process simulator judges each cable, and ns-3 serialises a frame once (SimpleChannel) where
// ours does per cable, so RTT estimates and hence timeout moments differ slightly. Counts are
// therefore equal in distribution, not per frame: allow |a - b| <= max(8, 35% of the larger).
bool retransmits_close(std::uint64_t a, std::uint64_t b) {
  const std::uint64_t hi = std::max(a, b), lo = std::min(a, b);
  return hi - lo <= std::max<std::uint64_t>(8, hi * 35 / 100);
}

void cross_check(const Plan& plan, bool expect_complete_io) {
  const Outcome a = run_in_process(plan);
  const Outcome b = run_ns3(plan);
  std::printf("[%s] sim time in-process=%lld ns3=%lld us; discovery %lld / %lld us\n", plan.name.c_str(),
              static_cast<long long>(a.summary.simulated_time / 1000), static_cast<long long>(b.summary.simulated_time / 1000),
              static_cast<long long>(a.summary.discovery_time / 1000), static_cast<long long>(b.summary.discovery_time / 1000));
  std::printf("[%s] io_complete %d/%d submitted %llu/%llu\n", plan.name.c_str(), a.summary.io_complete,
              b.summary.io_complete, static_cast<unsigned long long>(a.summary.io.submitted),
              static_cast<unsigned long long>(b.summary.io.submitted));
  std::printf("[%s] retransmits in-process=%llu ns3=%llu; completed %llu/%llu failed %llu/%llu\n", plan.name.c_str(),
              static_cast<unsigned long long>(a.summary.retransmits),
              static_cast<unsigned long long>(b.summary.retransmits),
              static_cast<unsigned long long>(a.summary.io.completed),
              static_cast<unsigned long long>(b.summary.io.completed),
              static_cast<unsigned long long>(a.summary.io.failed), static_cast<unsigned long long>(b.summary.io.failed));
  EXPECT_TRUE(a.summary.discovery_complete);
  EXPECT_TRUE(b.summary.discovery_complete);
  EXPECT_EQ(a.summary.devices_up, b.summary.devices_up);
  EXPECT_EQ(a.summary.io_complete, b.summary.io_complete);
  EXPECT_EQ(a.summary.io.submitted, b.summary.io.submitted);
  EXPECT_EQ(a.summary.io.completed, b.summary.io.completed);
  EXPECT_EQ(a.summary.io.failed, b.summary.io.failed);
  EXPECT_EQ(a.summary.io.verify_errors, 0u);
  EXPECT_EQ(b.summary.io.verify_errors, 0u);
  if (expect_complete_io) {
    EXPECT_TRUE(a.summary.io_complete);
    EXPECT_EQ(a.summary.io.failed, 0u);
  } else {
    EXPECT_GT(a.summary.io.failed, 0u);  // the fault must bite
  }
  if (plan.name != "clean") {
    EXPECT_GT(a.summary.retransmits, 0u) << "the fault must bite";
    EXPECT_GT(b.summary.retransmits, 0u) << "the fault must bite";
  }
  EXPECT_EQ(a.disks, b.disks) << "disk contents differ";
  EXPECT_EQ(device_events(a.events), device_events(b.events)) << "device events differ";
  EXPECT_TRUE(retransmits_close(a.summary.retransmits, b.summary.retransmits))
      << a.summary.retransmits << " vs " << b.summary.retransmits;
}

TEST(Ns3CrossCheck, Clean) {
  Plan p{.name = "clean"};
  cross_check(p, true);
}

TEST(Ns3CrossCheck, FivePercentLossOnOnePath) {
  Plan p{.name = "loss5", .loss_path = 0, .loss = 0.05};
  cross_check(p, true);
}

TEST(Ns3CrossCheck, PathDownMidTransfer) {
  Plan p{.name = "path-down", .down_path = 1};
  cross_check(p, true);
}

TEST(Ns3CrossCheck, MtuMismatch) {
  // Both ends' NICs at 9000 on 1500-byte paths: jumbo frames vanish in the network.
  Plan p{.name = "mtu-mismatch", .initiator_mtu = 9000, .target_mtu = 9000};
  cross_check(p, true);
}

TEST(Ns3CrossCheck, TargetHang) {
  // Hangs as the workload starts, so both backends lose the same requests (a hang at a fixed time
  // lands at a different point of the transfer: ns-3 serialises once per trip and runs ahead).
  Plan p{.name = "target-hang", .hang_target = 1, .fault_after = 0};
  cross_check(p, false);
}

// The same capture on both backends: initiator 0's ports, frames sent and received. On a clean
// plan both see exactly the same frames (count and ethertype), and ns-3's count matches the engine.
TEST(Ns3Pcap, SameCaptureAsInProcess) {
  const std::string dir = ::testing::TempDir();
  SimulationConfig c = plan_config(Plan{});
  c.pcap_path = dir + "aoeh_ns3_capture_inproc.pcap";
  { Simulation s(c); s.run(); }
  SimulationConfig n = plan_config(Plan{});
  n.pcap_path = dir + "aoeh_ns3_capture_ns3.pcap";
  SimulationSummary ns;
  { Ns3Simulation s(n); ns = s.run(); }
  std::string error;
  const auto a = proto::read_pcap(c.pcap_path, &error);
  ASSERT_TRUE(a) << error;
  const auto b = proto::read_pcap(n.pcap_path, &error);
  ASSERT_TRUE(b) << error;
  EXPECT_EQ(b->size(), ns.frames_sent + ns.frames_received);
  EXPECT_EQ(a->size(), b->size());
  for (const auto& r : *b) {
    ASSERT_GE(r.bytes.size(), 14u);
    EXPECT_EQ(r.bytes[12], 0x88);
    EXPECT_EQ(r.bytes[13], 0xA2);
  }
  std::remove(c.pcap_path.c_str());
  std::remove(n.pcap_path.c_str());
}

TEST(Ns3Faults, UnsupportedFaultsAreRejectedByName) {
  EXPECT_TRUE(Ns3Simulation::supports_fault("loss"));
  EXPECT_TRUE(Ns3Simulation::supports_fault("link_down"));
  EXPECT_FALSE(Ns3Simulation::supports_fault("duplicate"));
  EXPECT_NE(Ns3Simulation::unsupported_fault_message("duplicate").find("'duplicate'"), std::string::npos);
}

TEST(Ns3Simulation, OnlyOneAtATime) {
  Ns3Simulation first(plan_config(Plan{}));
  EXPECT_THROW(Ns3Simulation second(plan_config(Plan{})), std::logic_error);
}

TEST(Ns3Simulation, SameSeedSameRun) {
  Plan p{.name = "loss5", .loss_path = 0, .loss = 0.05};
  const Outcome a = run_ns3(p);
  const Outcome b = run_ns3(p);
  EXPECT_EQ(a.summary.retransmits, b.summary.retransmits);
  EXPECT_EQ(a.summary.event_hash, b.summary.event_hash);
  EXPECT_EQ(a.summary.simulated_time, b.summary.simulated_time);
}

}  // namespace
}  // namespace aoeh::sim::testing
