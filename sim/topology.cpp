#include "sim/topology.hpp"

#include <stdexcept>
#include <string>

namespace aoeh::sim {
namespace {
proto::MacAddress make_mac(std::uint8_t role, std::uint32_t index, std::uint32_t port) {
  if (index > 0xFFFFFF || port > 0xFF) throw std::invalid_argument("topology: host index or port out of MAC range");
  return proto::MacAddress{{0x02, role, static_cast<std::uint8_t>(index >> 16), static_cast<std::uint8_t>(index >> 8),
                            static_cast<std::uint8_t>(index), static_cast<std::uint8_t>(port)}};
}

HostPorts add_host(Simulator& sim, const Topology& topo, const TopologySpec& spec, const HostFactory& factory,
                   std::uint32_t index, std::uint32_t ports, std::uint32_t nic_mtu, char role_letter,
                   proto::MacAddress (*mac_of)(std::uint32_t, std::uint32_t)) {
  std::vector<NicConfig> nics;
  std::vector<std::uint32_t> paths;
  for (std::uint32_t p = 0; p < ports; ++p) {
    const std::uint32_t path = p % spec.paths.size();
    NicConfig n;
    n.name = std::string(1, role_letter) + std::to_string(index) + "p" + std::to_string(p);
    n.mac = mac_of(index, p);
    n.mtu = nic_mtu ? nic_mtu : spec.paths[path].mtu;
    nics.push_back(std::move(n));
    paths.push_back(path);
  }
  auto host = factory(index, nics);
  if (!host) throw std::invalid_argument("topology: host factory returned null");
  HostPorts hp;
  hp.host = sim.add_host(std::move(host), nics);
  hp.nics = sim.host(hp.host).nics();
  hp.paths = paths;
  for (std::uint32_t p = 0; p < ports; ++p) {
    const PathSpec& path = spec.paths[paths[p]];
    hp.links.push_back(sim.connect(hp.nics[p], topo.switches[paths[p]], path.mtu, path.link));
  }
  return hp;
}
}  // namespace

proto::MacAddress initiator_mac(std::uint32_t index, std::uint32_t port) { return make_mac(0x01, index, port); }
proto::MacAddress target_mac(std::uint32_t index, std::uint32_t port) { return make_mac(0x02, index, port); }
proto::MacAddress probe_mac(std::uint32_t index) { return make_mac(0x03, index, 0); }

proto::DeviceAddress target_address(const TopologySpec& spec, std::uint32_t index) {
  const std::uint32_t shelf = spec.first_shelf + index / spec.slots_per_shelf;
  return {static_cast<std::uint16_t>(shelf), static_cast<std::uint8_t>(index % spec.slots_per_shelf)};
}

Topology build_topology(Simulator& sim, const TopologySpec& spec, const HostFactory& make_initiator,
                        const HostFactory& make_target) {
  if (spec.paths.empty()) throw std::invalid_argument("topology: at least one path is needed");
  if (spec.initiator_ports == 0 || spec.target_ports == 0)
    throw std::invalid_argument("topology: initiators and targets need at least one port");
  if (spec.slots_per_shelf == 0 || spec.slots_per_shelf > 255)
    throw std::invalid_argument("topology: slots_per_shelf must be 1..255");
  if (spec.targets > 0 &&
      spec.first_shelf + (spec.targets - 1) / spec.slots_per_shelf >= proto::kUnsetShelf)
    throw std::invalid_argument("topology: too many targets for the shelf range");
  Topology topo;
  for (std::uint32_t p = 0; p < spec.paths.size(); ++p) {
    SwitchConfig sc;
    sc.name = "path" + std::to_string(p);
    sc.forwarding_delay = spec.paths[p].forwarding_delay;
    topo.switches.push_back(sim.add_switch(sc));
  }
  for (std::uint32_t i = 0; i < spec.initiators; ++i)
    topo.initiators.push_back(
        add_host(sim, topo, spec, make_initiator, i, spec.initiator_ports, spec.initiator_mtu, 'i', &initiator_mac));
  for (std::uint32_t t = 0; t < spec.targets; ++t)
    topo.targets.push_back(
        add_host(sim, topo, spec, make_target, t, spec.target_ports, spec.target_mtu, 't', &target_mac));
  return topo;
}

}  // namespace aoeh::sim
