#include "sim/topology.hpp"

#include <gtest/gtest.h>

#include <set>

#include "sim/raw_host.hpp"
#include "sim/tests/test_hosts.hpp"

namespace aoeh::sim {
namespace {

HostFactory raw_factory(std::vector<RawHost*>& out) {
  return [&out](std::uint32_t, const std::vector<NicConfig>&) {
    auto h = std::make_unique<RawHost>();
    out.push_back(h.get());
    return h;
  };
}

TEST(Topology, SpreadsPortsOverPathSwitches) {
  Simulator sim;
  TopologySpec spec;
  spec.initiators = 1;
  spec.initiator_ports = 2;
  spec.paths = {PathSpec{1500, {}, 0}, PathSpec{9000, {}, 0}};
  spec.targets = 3;
  spec.target_ports = 2;
  std::vector<RawHost*> inits, targets;
  const Topology t = build_topology(sim, spec, raw_factory(inits), raw_factory(targets));
  ASSERT_EQ(t.switches.size(), 2u);
  ASSERT_EQ(t.initiators.size(), 1u);
  ASSERT_EQ(t.targets.size(), 3u);
  EXPECT_EQ(sim.switch_at(t.switches[0]).ports.size(), 4u);  // 1 initiator port + 3 target ports
  EXPECT_EQ(sim.switch_at(t.switches[1]).ports.size(), 4u);
  EXPECT_EQ(t.initiators[0].paths, (std::vector<std::uint32_t>{0, 1}));
  EXPECT_EQ(sim.nic_config(t.targets[2].nics[1]).mtu, 9000u);
  EXPECT_EQ(sim.nic_config(t.targets[2].nics[0]).mtu, 1500u);
  EXPECT_EQ(sim.nic_config(t.targets[2].nics[1]).name, "t2p1");
  std::set<proto::MacAddress> macs;
  for (NicId n = 0; n < sim.nic_count(); ++n) macs.insert(sim.nic_config(n).mac);
  EXPECT_EQ(macs.size(), sim.nic_count());

  // A broadcast from initiator port 1 reaches every target on its port 1 only.
  inits[0]->send(1, testing::raw_frame(proto::MacAddress::broadcast(), initiator_mac(0, 1), 60));
  sim.run_until_idle();
  for (auto* h : targets) {
    ASSERT_EQ(h->received().size(), 1u);
    EXPECT_EQ(h->received()[0].port, 1u);
  }
}

TEST(Topology, SinglePortTargetsSitOnTheFirstPath) {
  Simulator sim;
  TopologySpec spec;  // defaults: 1 initiator x 2 ports, 2 paths, 4 single-port targets
  std::vector<RawHost*> inits, targets;
  const Topology t = build_topology(sim, spec, raw_factory(inits), raw_factory(targets));
  EXPECT_EQ(sim.switch_at(t.switches[0]).ports.size(), 5u);
  EXPECT_EQ(sim.switch_at(t.switches[1]).ports.size(), 1u);
  inits[0]->send(1, testing::raw_frame(proto::MacAddress::broadcast(), initiator_mac(0, 1), 60));
  sim.run_until_idle();
  for (auto* h : targets) EXPECT_TRUE(h->received().empty());
}

TEST(Topology, AddressesAndMacs) {
  TopologySpec spec;
  spec.first_shelf = 3;
  spec.slots_per_shelf = 16;
  EXPECT_EQ(target_address(spec, 0), (proto::DeviceAddress{3, 0}));
  EXPECT_EQ(target_address(spec, 17), (proto::DeviceAddress{4, 1}));
  EXPECT_EQ(target_mac(0x010203, 4).to_string(), "02:02:01:02:03:04");
  EXPECT_EQ(initiator_mac(1, 0).to_string(), "02:01:00:00:01:00");
  EXPECT_NE(probe_mac(1), target_mac(1, 0));
}

TEST(Topology, RejectsImpossibleSpecs) {
  std::vector<RawHost*> a, b;
  Simulator sim;
  TopologySpec no_paths;
  no_paths.paths.clear();
  EXPECT_THROW(build_topology(sim, no_paths, raw_factory(a), raw_factory(b)), std::invalid_argument);
  TopologySpec no_ports;
  no_ports.target_ports = 0;
  EXPECT_THROW(build_topology(sim, no_ports, raw_factory(a), raw_factory(b)), std::invalid_argument);
  TopologySpec too_many;
  too_many.targets = 70000 * 16;
  EXPECT_THROW(build_topology(sim, too_many, raw_factory(a), raw_factory(b)), std::invalid_argument);
}

}  // namespace
}  // namespace aoeh::sim
