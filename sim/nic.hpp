#pragma once
// A host's network interface: MAC, MTU (the largest payload after the 14-byte Ethernet header),
// up/down, and counters. Oversize frames are refused on send and dropped on receive; unless
// promiscuous, a NIC accepts only frames addressed to its MAC or to a group address.
#include <cstdint>
#include <string>

#include "protocol/mac_address.hpp"

namespace aoeh::sim {

using HostId = std::uint32_t;
using NicId = std::uint32_t;

struct NicConfig {
  std::string name;
  proto::MacAddress mac;
  std::uint32_t mtu = 1500;
  bool up = true;
  bool promiscuous = false;
};

struct NicCounters {
  std::uint64_t tx_frames = 0, tx_bytes = 0;
  std::uint64_t rx_frames = 0, rx_bytes = 0;
  std::uint64_t tx_dropped_down = 0;     // sent while down
  std::uint64_t tx_dropped_mtu = 0;      // larger than MTU + 14
  std::uint64_t tx_dropped_runt = 0;     // shorter than an Ethernet header
  std::uint64_t tx_unconnected = 0;      // no link attached
  std::uint64_t rx_dropped_down = 0;
  std::uint64_t rx_dropped_mtu = 0;
  std::uint64_t rx_filtered = 0;         // unicast for another MAC
};

inline constexpr std::uint32_t kEthernetHeader = 14;

}  // namespace aoeh::sim
