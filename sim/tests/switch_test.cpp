#include <gtest/gtest.h>

#include "sim/raw_host.hpp"
#include "sim/simulator.hpp"
#include "sim/tests/test_hosts.hpp"

namespace aoeh::sim {
namespace {

struct Star {
  Simulator sim;
  SwitchId sw = 0;
  std::vector<RawHost*> hosts;
  std::vector<proto::MacAddress> macs;
  explicit Star(int n, std::uint32_t nic_mtu = 9000) {
    sw = sim.add_switch({"sw", 0});
    for (int i = 0; i < n; ++i) {
      auto h = std::make_unique<RawHost>();
      hosts.push_back(h.get());
      macs.push_back(proto::MacAddress{{2, 0, 0, 0, 0, static_cast<std::uint8_t>(i + 1)}});
      sim.add_host(std::move(h), {NicConfig{"h" + std::to_string(i), macs.back(), nic_mtu}});
      sim.connect(hosts.back()->nics()[0], sw, 1500);
    }
  }
  const SwitchPortCounters& port(int i) const { return sim.switch_at(sw).ports[i].counters; }
};

TEST(Switch, FloodsUnknownThenForwardsLearnedUnicast) {
  Star s(3);
  s.hosts[0]->send(0, testing::raw_frame(s.macs[1], s.macs[0], 100));  // 1 unknown: flood
  s.sim.run_until_idle();
  EXPECT_EQ(s.port(1).flooded, 1u);
  EXPECT_EQ(s.port(2).flooded, 1u);
  EXPECT_EQ(s.hosts[1]->received().size(), 1u);
  EXPECT_EQ(s.sim.nic_counters(s.hosts[2]->nics()[0]).rx_filtered, 1u);  // NIC filter, not switch

  s.hosts[1]->send(0, testing::raw_frame(s.macs[0], s.macs[1], 100));  // 0 learned: one port only
  s.hosts[0]->send(0, testing::raw_frame(s.macs[1], s.macs[0], 100));  // 1 learned now too
  s.sim.run_until_idle();
  EXPECT_EQ(s.port(0).tx_frames, 1u);
  EXPECT_EQ(s.port(1).tx_frames, 2u);
  EXPECT_EQ(s.port(2).tx_frames, 1u);  // only the first flood
  EXPECT_EQ(s.hosts[0]->received().size(), 1u);
  EXPECT_EQ(s.hosts[1]->received().size(), 2u);
  EXPECT_EQ(s.sim.switch_at(s.sw).table.size(), 2u);
}

TEST(Switch, FloodsBroadcastToEveryOtherPort) {
  Star s(4);
  s.hosts[2]->send(0, testing::raw_frame(proto::MacAddress::broadcast(), s.macs[2], 60));
  s.sim.run_until_idle();
  for (int i = 0; i < 4; ++i) EXPECT_EQ(s.hosts[i]->received().size(), i == 2 ? 0u : 1u) << i;
  EXPECT_EQ(s.port(2).tx_frames, 0u);
  // Broadcast never becomes a learned destination.
  s.hosts[0]->send(0, testing::raw_frame(proto::MacAddress::broadcast(), s.macs[0], 60));
  s.sim.run_until_idle();
  EXPECT_EQ(s.hosts[2]->received().size(), 1u);
}

TEST(Switch, DropsAndCountsFramesAboveTheEgressMtu) {
  Star s(3);
  s.sim.set_switch_port_mtu(s.sw, 2, 1000);
  s.hosts[0]->send(0, testing::raw_frame(proto::MacAddress::broadcast(), s.macs[0], 14 + 1200));
  s.hosts[0]->send(0, testing::raw_frame(proto::MacAddress::broadcast(), s.macs[0], 14 + 1000));
  s.hosts[0]->send(0, testing::raw_frame(proto::MacAddress::broadcast(), s.macs[0], 14 + 4000));
  s.sim.run_until_idle();
  EXPECT_EQ(s.hosts[1]->received().size(), 2u);  // 1200 and 1000 fit 1500; 4000 does not
  EXPECT_EQ(s.hosts[2]->received().size(), 1u);  // only 1000 fits
  EXPECT_EQ(s.port(1).mtu_drops, 1u);
  EXPECT_EQ(s.port(2).mtu_drops, 2u);
  EXPECT_EQ(s.port(0).rx_frames, 3u);
}

TEST(Switch, LearnsAcrossSwitchesAndFiltersSamePortTraffic) {
  Simulator sim;
  const SwitchId core = sim.add_switch({"core", 0});
  const SwitchId edge = sim.add_switch({"edge", 0});
  sim.connect_switches(core, 1500, edge, 1500);
  std::vector<RawHost*> h;
  std::vector<proto::MacAddress> mac;
  for (int i = 0; i < 3; ++i) {
    auto host = std::make_unique<RawHost>();
    h.push_back(host.get());
    mac.push_back(proto::MacAddress{{2, 0, 0, 0, 1, static_cast<std::uint8_t>(i)}});
    sim.add_host(std::move(host), {NicConfig{"n" + std::to_string(i), mac.back(), 1500}});
    sim.connect(h.back()->nics()[0], i == 2 ? core : edge, 1500);
  }
  // 0 and 1 sit on the edge switch; the core learns both behind its uplink port 0.
  h[0]->send(0, testing::raw_frame(proto::MacAddress::broadcast(), mac[0], 60));
  h[1]->send(0, testing::raw_frame(proto::MacAddress::broadcast(), mac[1], 60));
  sim.run_until_idle();
  EXPECT_EQ(h[2]->received().size(), 2u);
  h[0]->send(0, testing::raw_frame(mac[1], mac[0], 60));
  sim.run_until_idle();
  EXPECT_EQ(h[1]->received().size(), 2u);  // broadcast from 0, then the unicast
  EXPECT_EQ(sim.switch_at(core).ports[0].counters.rx_frames, 2u);  // the unicast never left edge
  // A frame for a MAC learned on its own ingress port goes nowhere.
  h[0]->send(0, testing::raw_frame(mac[0], mac[0], 60));
  sim.run_until_idle();
  EXPECT_EQ(sim.switch_at(edge).ports[1].counters.filtered, 1u);
  EXPECT_EQ(h[1]->received().size(), 2u);
}

TEST(Switch, ForwardingDelayAddsToEveryHop) {
  Simulator sim;
  const SwitchId sw = sim.add_switch({"sw", 250});
  LinkConfig c;
  c.bits_per_second = 0;
  c.propagation = 100;
  std::vector<RawHost*> h;
  for (int i = 0; i < 2; ++i) {
    auto host = std::make_unique<RawHost>();
    h.push_back(host.get());
    sim.add_host(std::move(host), {NicConfig{"n", proto::MacAddress{{2, 0, 0, 0, 2, std::uint8_t(i)}}, 1500}});
    sim.connect(h.back()->nics()[0], sw, 1500, c);
  }
  h[0]->send(0, testing::raw_frame(proto::MacAddress::broadcast(), sim.nic_config(h[0]->nics()[0]).mac, 60));
  sim.run_until_idle();
  ASSERT_EQ(h[1]->received().size(), 1u);
  EXPECT_EQ(h[1]->received()[0].time, 100 + 250 + 100);
}

}  // namespace
}  // namespace aoeh::sim
