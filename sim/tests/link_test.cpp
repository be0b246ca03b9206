#include <gtest/gtest.h>

#include "sim/raw_host.hpp"
#include "sim/simulator.hpp"
#include "sim/tests/test_hosts.hpp"

namespace aoeh::sim {
namespace {

const proto::MacAddress kMacA{{2, 0, 0, 0, 0, 0xA}};
const proto::MacAddress kMacB{{2, 0, 0, 0, 0, 0xB}};

struct Pair {
  Simulator sim;
  RawHost* a = nullptr;
  RawHost* b = nullptr;
  LinkId link = 0;
  explicit Pair(LinkConfig config, std::uint32_t mtu = 1500) {
    auto ha = std::make_unique<RawHost>();
    auto hb = std::make_unique<RawHost>();
    a = ha.get();
    b = hb.get();
    sim.add_host(std::move(ha), {NicConfig{"a", kMacA, mtu}});
    sim.add_host(std::move(hb), {NicConfig{"b", kMacB, mtu}});
    link = sim.connect_nics(a->nics()[0], b->nics()[0], config);
  }
};

TEST(Link, SerialisationAndPropagationSetArrivalTimes) {
  LinkConfig c;
  c.bits_per_second = 1'000'000'000;
  c.propagation = 5 * kMicrosecond;
  Pair p(c);
  const auto f = testing::raw_frame(kMacB, kMacA, 1000);  // 1000 + 24 wire bytes = 8192 ns at 1 Gb/s
  ASSERT_TRUE(p.a->send(0, f));
  ASSERT_TRUE(p.a->send(0, f));
  p.sim.run_until_idle();
  ASSERT_EQ(p.b->received().size(), 2u);
  EXPECT_EQ(p.b->received()[0].time, 8192 + 5000);
  EXPECT_EQ(p.b->received()[1].time, 2 * 8192 + 5000);  // waited behind the first
  EXPECT_EQ(p.b->received()[0].bytes, f);
}

TEST(Link, ShortFramesOccupyTheMinimumSlot) {
  LinkConfig c;
  c.bits_per_second = 1'000'000'000;
  c.propagation = 0;
  Pair p(c);
  p.a->send(0, testing::raw_frame(kMacB, kMacA, 20));  // padded to 60 + 24 = 84 bytes = 672 ns
  p.sim.run_until_idle();
  ASSERT_EQ(p.b->received().size(), 1u);
  EXPECT_EQ(p.b->received()[0].time, 672);
  EXPECT_EQ(p.b->received()[0].bytes.size(), 20u);  // the NIC does not pad
}

TEST(Link, DirectionsAreIndependent) {
  LinkConfig c;
  c.bits_per_second = 1'000'000'000;
  c.propagation = 1000;
  Pair p(c);
  p.a->send(0, testing::raw_frame(kMacB, kMacA, 1000));
  p.b->send(0, testing::raw_frame(kMacA, kMacB, 1000));
  p.sim.run_until_idle();
  ASSERT_EQ(p.a->received().size(), 1u);
  ASSERT_EQ(p.b->received().size(), 1u);
  EXPECT_EQ(p.a->received()[0].time, 9192);
  EXPECT_EQ(p.b->received()[0].time, 9192);
}

TEST(Link, InfiniteBandwidthHasOnlyPropagation) {
  LinkConfig c;
  c.bits_per_second = 0;
  c.propagation = 777;
  Pair p(c, 9000);
  p.a->send(0, testing::raw_frame(kMacB, kMacA, 9000));
  p.a->send(0, testing::raw_frame(kMacB, kMacA, 9000));
  p.sim.run_until_idle();
  ASSERT_EQ(p.b->received().size(), 2u);
  EXPECT_EQ(p.b->received()[0].time, 777);
  EXPECT_EQ(p.b->received()[1].time, 777);
}

TEST(Link, QueueLimitDropsAndCounts) {
  LinkConfig c;
  c.bits_per_second = 1'000'000'000;
  c.queue_limit = 2;
  Pair p(c);
  const auto f = testing::raw_frame(kMacB, kMacA, 1000);
  for (int i = 0; i < 5; ++i) p.a->send(0, f);
  p.sim.run_until_idle();
  EXPECT_EQ(p.b->received().size(), 2u);
  const auto& k = p.sim.link_counters(p.link, Direction::AtoB);
  EXPECT_EQ(k.queue_drops, 3u);
  EXPECT_EQ(k.frames, 2u);
  EXPECT_EQ(k.max_queue, 2u);
  EXPECT_EQ(p.sim.link_counters(p.link, Direction::BtoA).frames, 0u);
  // Once drained, the queue accepts frames again.
  p.a->send(0, f);
  p.sim.run_until_idle();
  EXPECT_EQ(p.b->received().size(), 3u);
}

TEST(Link, DownLinkDropsWhatIsOffered) {
  Pair p(LinkConfig{});
  p.sim.set_link_up(p.link, false);
  p.a->send(0, testing::raw_frame(kMacB, kMacA, 100));
  p.sim.run_until_idle();
  EXPECT_TRUE(p.b->received().empty());
  EXPECT_EQ(p.sim.link_counters(p.link, Direction::AtoB).down_drops, 1u);
}

TEST(Nic, EnforcesMtuStateAndAddressFilter) {
  Pair p(LinkConfig{}, 1500);
  EXPECT_FALSE(p.a->send(0, testing::raw_frame(kMacB, kMacA, 1515)));  // 1501-byte payload
  EXPECT_TRUE(p.a->send(0, testing::raw_frame(kMacB, kMacA, 1514)));
  EXPECT_FALSE(p.a->send(0, std::vector<std::uint8_t>(10, 0)));  // runt
  const proto::MacAddress other{{2, 0, 0, 0, 0, 0xC}};
  p.a->send(0, testing::raw_frame(other, kMacA, 100));                      // not for b
  p.a->send(0, testing::raw_frame(proto::MacAddress::broadcast(), kMacA, 100));
  p.sim.run_until_idle();
  EXPECT_EQ(p.b->received().size(), 2u);
  const auto& ka = p.sim.nic_counters(p.a->nics()[0]);
  EXPECT_EQ(ka.tx_dropped_mtu, 1u);
  EXPECT_EQ(ka.tx_dropped_runt, 1u);
  EXPECT_EQ(ka.tx_frames, 3u);
  EXPECT_EQ(p.sim.nic_counters(p.b->nics()[0]).rx_filtered, 1u);

  p.sim.set_nic_up(p.b->nics()[0], false);
  p.a->send(0, testing::raw_frame(kMacB, kMacA, 100));
  p.sim.run_until_idle();
  EXPECT_EQ(p.sim.nic_counters(p.b->nics()[0]).rx_dropped_down, 1u);
  EXPECT_FALSE(p.b->send(0, testing::raw_frame(kMacA, kMacB, 100)));
  EXPECT_EQ(p.sim.nic_counters(p.b->nics()[0]).tx_dropped_down, 1u);
}

TEST(Nic, RefusesFramesAboveThePoolLimitEvenWithAHugeMtu) {
  Pair p(LinkConfig{}, 100000);
  EXPECT_FALSE(p.a->send(0, testing::raw_frame(kMacB, kMacA, 70000)));
  EXPECT_EQ(p.sim.nic_counters(p.a->nics()[0]).tx_dropped_mtu, 1u);
  EXPECT_TRUE(p.a->send(0, testing::raw_frame(kMacB, kMacA, 65536)));
}

TEST(Nic, ReceiverDropsFramesAboveItsMtu) {
  Simulator sim;
  auto ha = std::make_unique<RawHost>();
  auto hb = std::make_unique<RawHost>();
  RawHost* b = hb.get();
  RawHost* a = ha.get();
  sim.add_host(std::move(ha), {NicConfig{"a", kMacA, 9000}});
  sim.add_host(std::move(hb), {NicConfig{"b", kMacB, 1500}});
  sim.connect_nics(a->nics()[0], b->nics()[0]);
  a->send(0, testing::raw_frame(kMacB, kMacA, 3000));
  sim.run_until_idle();
  EXPECT_TRUE(b->received().empty());
  EXPECT_EQ(sim.nic_counters(b->nics()[0]).rx_dropped_mtu, 1u);
}

}  // namespace
}  // namespace aoeh::sim
