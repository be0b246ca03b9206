// The initiator engine and the reference target, end to end through the simulated network.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "sim/simulation.hpp"

namespace aoeh::sim {
namespace {

SimulationConfig small_config(std::uint32_t targets, std::uint32_t target_ports = 2) {
  SimulationConfig c;
  c.topology.targets = targets;
  c.topology.target_ports = target_ports;
  c.target.capacity_sectors = 1u << 20;
  c.workload.regions_per_device = 8;
  c.workload.sectors = 8;
  c.workload.queue_depth = 4;
  return c;
}

class DiscoverN : public ::testing::TestWithParam<std::uint32_t> {};

TEST_P(DiscoverN, EveryTargetComesUpWithItsIdentity) {
  const std::uint32_t n = GetParam();
  SimulationConfig c = small_config(n);
  c.target.capacity_sectors = 123456;
  Simulation s(c);
  ASSERT_TRUE(s.discover());
  const auto devices = s.initiator().engine().devices();
  ASSERT_EQ(devices.size(), n);
  const auto want = s.target_addresses();
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto d = s.initiator().engine().device(want[i]);
    ASSERT_TRUE(d) << want[i].to_string();
    EXPECT_EQ(d->state, initiator::DeviceState::Up);
    EXPECT_EQ(d->capacity_sectors, 123456u);
    EXPECT_EQ(d->model, s.target(i).target().config().model);
    EXPECT_FALSE(d->serial.empty());
  }
}
INSTANTIATE_TEST_SUITE_P(Counts, DiscoverN, ::testing::Values(1u, 4u, 33u));

TEST(EngineTarget, WriteReadVerifyAcrossTheLba28Boundary) {
  SimulationConfig c = small_config(2);
  c.target.capacity_sectors = (1ull << 28) + (1ull << 20);  // sparse: only written sectors cost memory
  c.workload.first_lba = (1ull << 28) - 64;                 // regions straddle 2^28
  c.workload.regions_per_device = 16;
  Simulation s(c);
  ASSERT_TRUE(s.discover());
  EXPECT_TRUE(s.initiator().engine().device(s.target_addresses()[0])->lba48);
  bool complete = false;
  const auto r = s.run_workload(&complete);
  ASSERT_TRUE(complete);
  EXPECT_EQ(r.failed, 0u);
  EXPECT_EQ(r.verify_errors, 0u);
  EXPECT_EQ(r.regions_done, 2u * 16);
  EXPECT_EQ(r.bytes_written, 2u * 16 * 8 * 512);
  // The bytes landed at the right LBAs on the target itself (an LBA48 write masked to 28 bits
  // would have landed near 0 and still read back "correctly").
  for (std::uint64_t lba : {(1ull << 28) - 64, (1ull << 28) - 1, 1ull << 28, (1ull << 28) + 63}) {
    std::vector<std::uint8_t> got(512);
    ASSERT_TRUE(s.target(1).target().read_sectors(lba, got));
    // fill_pattern covers a region from its first LBA: compare the sector's slice of it.
    std::vector<std::uint8_t> region(8 * 512);
    fill_pattern(c.workload.seed, s.target_addresses()[1], lba - (lba - c.workload.first_lba) % 8, region);
    const std::size_t off = ((lba - c.workload.first_lba) % 8) * 512;
    EXPECT_TRUE(std::equal(got.begin(), got.end(), region.begin() + static_cast<std::ptrdiff_t>(off))) << lba;
  }
  std::vector<std::uint8_t> low(512);
  ASSERT_TRUE(s.target(1).target().read_sectors(0, low));
  EXPECT_EQ(low, std::vector<std::uint8_t>(512, 0));  // nothing wrapped around to LBA 0
}

TEST(EngineTarget, TwoPortTargetIsUsedOverBothPaths) {
  Simulation s(small_config(1, 2));
  ASSERT_TRUE(s.discover());
  const auto d = s.initiator().engine().device(s.target_addresses()[0]);
  ASSERT_TRUE(d);
  ASSERT_EQ(d->paths.size(), 2u);
  bool complete = false;
  const auto r = s.run_workload(&complete);
  ASSERT_TRUE(complete);
  EXPECT_EQ(r.verify_errors, 0u);
  // Data frames crossed both of the initiator's cables.
  const auto& init = s.topology().initiators[0];
  for (int p = 0; p < 2; ++p)
    EXPECT_GT(s.simulator().link_counters(init.links[p], Direction::AtoB).bytes, 10'000u) << "port " << p;
}

struct MtuCase {
  std::uint32_t initiator_mtu, target_mtu, expected_sectors;
};
class PayloadMtu : public ::testing::TestWithParam<MtuCase> {};

TEST_P(PayloadMtu, PayloadFollowsTheSmallestMtu) {
  const MtuCase m = GetParam();
  SimulationConfig c = small_config(1, 2);
  c.topology.paths = {PathSpec{9000, {}, 0}, PathSpec{9000, {}, 0}};
  c.topology.initiator_mtu = m.initiator_mtu;
  c.topology.target_mtu = m.target_mtu;
  c.workload.sectors = 64;
  Simulation s(c);
  ASSERT_TRUE(s.discover());
  const auto d = s.initiator().engine().device(s.target_addresses()[0]);
  ASSERT_TRUE(d);
  for (const auto& p : d->paths) EXPECT_EQ(p.payload_sectors, m.expected_sectors);
  bool complete = false;
  const auto r = s.run_workload(&complete);
  ASSERT_TRUE(complete);
  EXPECT_EQ(r.verify_errors, 0u);
  EXPECT_EQ(r.failed, 0u);
  const auto sum = s.summary();
  EXPECT_EQ(sum.frames_dropped, 0u);
  EXPECT_EQ(sum.retransmits, 0u);
}
INSTANTIATE_TEST_SUITE_P(Mtus, PayloadMtu,
                         ::testing::Values(MtuCase{9000, 9000, 17}, MtuCase{1500, 9000, 2}, MtuCase{9000, 1500, 2},
                                           MtuCase{4000, 9000, 7}));

TEST(EngineTarget, SwitchMtuBelowBothEndsFallsBackToSmallFrames) {
  // Both NICs say 9000, the path only carries 1500: big frames vanish in the switch.
  SimulationConfig c = small_config(1, 1);
  c.topology.paths = {PathSpec{1500, {}, 0}};
  c.topology.initiator_ports = 1;
  c.topology.initiator_mtu = 9000;
  c.topology.target_mtu = 9000;
  c.engine.rto_initial = 20 * kMillisecond;
  c.workload.sectors = 32;
  c.workload.regions_per_device = 4;
  Simulation s(c);
  ASSERT_TRUE(s.discover());
  bool complete = false;
  const auto r = s.run_workload(&complete);
  ASSERT_TRUE(complete);
  EXPECT_EQ(r.verify_errors, 0u);
  EXPECT_EQ(r.failed, 0u);
  EXPECT_GT(s.simulator().switch_at(s.topology().switches[0]).ports[1].counters.mtu_drops +
                s.simulator().switch_at(s.topology().switches[0]).ports[0].counters.mtu_drops,
            0u);
  const auto d = s.initiator().engine().device(s.target_addresses()[0]);
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->paths.at(0).fallback);
  EXPECT_EQ(d->paths.at(0).payload_sectors, 2u);
}

std::vector<char> file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(EngineTarget, SameSeedSameRunDifferentSeedDifferentLosses) {
  const auto dir = std::filesystem::temp_directory_path();
  auto run = [&](std::uint64_t seed, const std::string& pcap) {
    SimulationConfig c = small_config(4);
    c.seed = seed;
    c.loss = 0.05;
    c.engine.rto_initial = 10 * kMillisecond;
    c.pcap_path = pcap;
    Simulation s(c);
    return s.run();
  };
  const std::string p1 = (dir / "aoeh_e2e_1.pcap").string(), p2 = (dir / "aoeh_e2e_2.pcap").string();
  const auto a = run(7, p1), b = run(7, p2), other = run(8, "");
  EXPECT_TRUE(a.discovery_complete);
  EXPECT_TRUE(a.io_complete);
  EXPECT_EQ(a.io.verify_errors, 0u);
  EXPECT_GT(a.frames_dropped, 0u);
  EXPECT_GT(a.retransmits, 0u);
  EXPECT_EQ(a.event_hash, b.event_hash);
  EXPECT_EQ(a.events, b.events);
  EXPECT_EQ(a.retransmits, b.retransmits);
  EXPECT_EQ(a.simulated_time, b.simulated_time);
  const auto f1 = file_bytes(p1);
  EXPECT_GT(f1.size(), 1000u);
  EXPECT_TRUE(f1 == file_bytes(p2)) << "captures differ";
  EXPECT_NE(a.event_hash, other.event_hash);
  EXPECT_NE(a.frames_dropped * 1000003 + a.retransmits, other.frames_dropped * 1000003 + other.retransmits);
  std::filesystem::remove(p1);
  std::filesystem::remove(p2);
}

}  // namespace
}  // namespace aoeh::sim
