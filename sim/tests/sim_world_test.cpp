#include "sim/sim_world.hpp"

#include <gtest/gtest.h>

#include "sim/tests/test_hosts.hpp"
#include "sim/topology.hpp"

namespace aoeh::sim {
namespace {

TEST(SimWorld, ProbesSendAndReceiveRawFrames) {
  Simulator sim(7);
  const SwitchId sw = sim.add_switch({"sw", 0});
  const proto::MacAddress target{{2, 0, 0, 0, 0, 0x77}};
  auto responder = std::make_unique<testing::Responder>(target);
  auto* r = responder.get();
  sim.add_host(std::move(responder), {NicConfig{"target", target, 1500}});
  sim.connect(r->nics()[0], sw, 1500);

  SimWorld world(sim);
  world.add_probe("a", sw, probe_mac(0));
  world.add_probe("b", sw, probe_mac(1), 9000);
  EXPECT_EQ(world.probe_ports(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(world.port_mac("b"), probe_mac(1));
  EXPECT_EQ(world.port_mtu("b"), 9000u);
  EXPECT_THROW(world.port_mac("nope"), std::out_of_range);
  EXPECT_THROW(world.add_probe("a", sw, probe_mac(2)), std::invalid_argument);

  world.send("a", testing::ata_write_request(target, probe_mac(0), 0x1234, 1, 0x5A));
  const Nanos sent_at = world.now();
  std::vector<ReceivedFrame> got;
  EXPECT_TRUE(world.run_until(
      [&] {
        for (auto& f : world.take_received()) got.push_back(std::move(f));
        return !got.empty();
      },
      sent_at + kSecond));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].port, "a");
  EXPECT_GT(got[0].time, sent_at);
  EXPECT_EQ(world.now(), got[0].time);
  auto h = proto::parse_header(got[0].bytes);
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(h->is_response());
  EXPECT_EQ(h->tag, 0x1234u);
  EXPECT_EQ(r->requests, 1u);

  // The unicast reply did not reach b (learned switch + NIC filter); a broadcast from b reaches a.
  world.send("b", testing::raw_frame(proto::MacAddress::broadcast(), probe_mac(1), 60));
  EXPECT_FALSE(world.run_until([] { return false; }, world.now() + kMillisecond));
  auto later = world.take_received();
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].port, "a");
}

TEST(SimWorld, RunUntilStopsAtTheDeadline) {
  Simulator sim;
  const SwitchId sw = sim.add_switch({"sw", 0});
  SimWorld world(sim);
  world.add_probe("p", sw, probe_mac(0));
  EXPECT_FALSE(world.run_until([] { return false; }, 5 * kSecond));
  EXPECT_EQ(world.now(), 5 * kSecond);
  EXPECT_TRUE(world.run_until([] { return true; }, 10 * kSecond));
  EXPECT_EQ(world.now(), 5 * kSecond);
}

}  // namespace
}  // namespace aoeh::sim
