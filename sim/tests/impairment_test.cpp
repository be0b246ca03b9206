// The per-link-direction impairment hook: drop, delay, duplicate and corrupt (copy-on-write).
#include <gtest/gtest.h>

#include "sim/raw_host.hpp"
#include "sim/simulator.hpp"
#include "sim/tests/test_hosts.hpp"

namespace aoeh::sim {
namespace {

struct Scripted final : Impairment {
  std::function<void(ImpairContext&)> fn;
  explicit Scripted(std::function<void(ImpairContext&)> f) : fn(std::move(f)) {}
  void on_frame(ImpairContext& c) override { fn(c); }
};

struct Net {
  Simulator sim;
  SwitchId sw;
  std::vector<RawHost*> h;
  std::vector<LinkId> links;
  std::vector<proto::MacAddress> macs;
  Net() {
    sw = sim.add_switch({"sw", 0});
    LinkConfig c;
    c.bits_per_second = 0;
    c.propagation = 1000;
    for (int i = 0; i < 3; ++i) {
      auto host = std::make_unique<RawHost>();
      h.push_back(host.get());
      macs.push_back(proto::MacAddress{{2, 0, 0, 0, 9, std::uint8_t(i)}});
      sim.add_host(std::move(host), {NicConfig{"n", macs.back(), 1500}});
      links.push_back(sim.connect(h.back()->nics()[0], sw, 1500, c));
    }
  }
};

TEST(Impairment, DelayAndDuplicateChangeArrivals) {
  Net n;
  n.sim.add_impairment(n.links[1], Direction::BtoA, std::make_unique<Scripted>([](ImpairContext& c) {
    c.add_delay(500);
    c.duplicate(2000);
  }));
  n.h[0]->send(0, testing::raw_frame(n.macs[1], n.macs[0], 100));
  n.sim.run_until_idle();
  ASSERT_EQ(n.h[1]->received().size(), 2u);
  EXPECT_EQ(n.h[1]->received()[0].time, 2500);
  EXPECT_EQ(n.h[1]->received()[1].time, 4500);
  EXPECT_EQ(n.sim.link_counters(n.links[1], Direction::BtoA).duplicates, 1u);
  EXPECT_EQ(n.sim.link_counters(n.links[1], Direction::BtoA).delivered, 2u);
}

TEST(Impairment, CorruptingAFloodedFrameLeavesOtherCopiesIntact) {
  Net n;
  n.sim.add_impairment(n.links[1], Direction::BtoA, std::make_unique<Scripted>([](ImpairContext& c) {
    c.edit_bytes()[20] ^= 0xFF;
  }));
  const auto f = testing::raw_frame(proto::MacAddress::broadcast(), n.macs[0], 100, 0x11);
  n.h[0]->send(0, f);
  n.sim.run_until_idle();
  ASSERT_EQ(n.h[1]->received().size(), 1u);
  ASSERT_EQ(n.h[2]->received().size(), 1u);
  EXPECT_EQ(n.h[2]->received()[0].bytes, f);
  EXPECT_EQ(n.h[1]->received()[0].bytes[20], 0x11 ^ 0xFF);
  EXPECT_EQ(n.sim.link_counters(n.links[1], Direction::BtoA).edited, 1u);
  EXPECT_EQ(n.sim.frame_pool().live_frames(), 0u);  // every reference returned
}

TEST(Impairment, DropStopsTheChainAndCounts) {
  Net n;
  int second_called = 0;
  n.sim.add_impairment(n.links[0], Direction::AtoB, std::make_unique<Scripted>([](ImpairContext& c) { c.drop(); }));
  n.sim.add_impairment(n.links[0], Direction::AtoB,
                       std::make_unique<Scripted>([&](ImpairContext&) { ++second_called; }));
  n.h[0]->send(0, testing::raw_frame(n.macs[1], n.macs[0], 100));
  n.sim.run_until_idle();
  EXPECT_TRUE(n.h[1]->received().empty());
  EXPECT_EQ(second_called, 0);
  EXPECT_EQ(n.sim.link_counters(n.links[0], Direction::AtoB).impairment_drops, 1u);
  n.sim.clear_impairments(n.links[0], Direction::AtoB);
  n.h[0]->send(0, testing::raw_frame(n.macs[1], n.macs[0], 100));
  n.sim.run_until_idle();
  EXPECT_EQ(n.h[1]->received().size(), 1u);
}

TEST(Impairment, RandomLossDropsRoughlyItsRate) {
  Net n;
  auto loss = std::make_unique<RandomLoss>(n.sim.rng("loss"), 0.25);
  auto* l = loss.get();
  n.sim.add_impairment(n.links[0], Direction::AtoB, std::move(loss));
  for (int i = 0; i < 4000; ++i) n.h[0]->send(0, testing::raw_frame(n.macs[1], n.macs[0], 60));
  n.sim.run_until_idle();
  EXPECT_EQ(l->seen(), 4000u);
  EXPECT_NEAR(static_cast<double>(l->dropped()), 1000.0, 120.0);
  EXPECT_EQ(n.h[1]->received().size(), 4000u - l->dropped());
}

}  // namespace
}  // namespace aoeh::sim
