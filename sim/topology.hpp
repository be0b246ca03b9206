#pragma once
// Builds the usual AoE test network: one switch per path, N initiators and K targets whose ports
// are spread over the paths. Initiator port i and target port j plug into the switch of path
// (i mod M) and (j mod M), so a two-port target on two paths is reachable over both. Hosts are
// made by caller-supplied factories (engine, reference target, raw endpoint, ...).
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "protocol/device_address.hpp"
#include "protocol/mac_address.hpp"
#include "sim/simulator.hpp"

namespace aoeh::sim {

struct PathSpec {
  std::uint32_t mtu = 1500;     // every switch port on this path
  LinkConfig link;              // every cable into this path's switch
  Nanos forwarding_delay = 0;
};

struct TopologySpec {
  std::uint32_t initiators = 1;
  std::uint32_t initiator_ports = 2;
  std::uint32_t initiator_mtu = 0;   // NIC MTU; 0: the MTU of the port's path
  std::vector<PathSpec> paths = {PathSpec{}, PathSpec{}};
  std::uint32_t targets = 4;
  std::uint32_t target_ports = 1;
  std::uint32_t target_mtu = 0;      // NIC MTU; 0: the MTU of the port's path
  // Target t is shelf first_shelf + t / slots_per_shelf, slot t % slots_per_shelf.
  std::uint16_t first_shelf = 1;
  std::uint16_t slots_per_shelf = 16;
};

struct HostPorts {
  HostId host = 0;
  std::vector<NicId> nics;
  std::vector<LinkId> links;        // nics[k] is cabled by links[k]; AtoB leaves the host
  std::vector<std::uint32_t> paths; // nics[k] is on path paths[k]
};

struct Topology {
  std::vector<SwitchId> switches;   // one per path
  std::vector<HostPorts> initiators;
  std::vector<HostPorts> targets;
};

// Locally administered MACs 02:RR:XX:XX:XX:PP (RR role, XXXXXX index, PP port).
proto::MacAddress initiator_mac(std::uint32_t index, std::uint32_t port);
proto::MacAddress target_mac(std::uint32_t index, std::uint32_t port);
proto::MacAddress probe_mac(std::uint32_t index);
proto::DeviceAddress target_address(const TopologySpec& spec, std::uint32_t index);

// Makes host number `index`; `nics` (names, MACs, MTUs) are attached after construction, in order.
using HostFactory = std::function<std::unique_ptr<Host>(std::uint32_t index, const std::vector<NicConfig>& nics)>;

// Throws std::invalid_argument on an impossible spec (no paths, zero ports, too many hosts).
Topology build_topology(Simulator& sim, const TopologySpec& spec, const HostFactory& make_initiator,
                        const HostFactory& make_target);

}  // namespace aoeh::sim
