#pragma once
// A learning Ethernet switch. It learns source MACs per port, forwards known unicast to one port,
// floods broadcasts, multicasts and unknown unicast to every other port, and drops (counting per
// port) frames whose payload exceeds the egress port's MTU.
#include <cstdint>
#include <string>
#include <vector>

#include "protocol/mac_address.hpp"
#include "sim/hash.hpp"
#include "sim/impairment.hpp"
#include "sim/time.hpp"

namespace aoeh::sim {

using SwitchId = std::uint32_t;

struct SwitchConfig {
  std::string name;
  Nanos forwarding_delay = 0;  // store-and-forward processing time added per frame
};

struct SwitchPortCounters {
  std::uint64_t rx_frames = 0;
  std::uint64_t tx_frames = 0;
  std::uint64_t mtu_drops = 0;      // too large for this (egress) port
  std::uint64_t flooded = 0;        // frames this port sent because of a flood
  std::uint64_t filtered = 0;       // arrived for a MAC learned on the same port
  std::uint64_t runts = 0;          // shorter than an Ethernet header
};

struct SwitchPort {
  std::uint32_t mtu = 1500;
  LinkId link = 0;
  Direction out = Direction::AtoB;  // the link direction this port transmits on
  bool connected = false;
  SwitchPortCounters counters;
};

// MAC -> port, open addressing with linear probing (only lookups, so iteration order never leaks).
class MacTable {
 public:
  static constexpr std::uint32_t kUnknown = 0xFFFFFFFF;
  std::uint32_t find(std::uint64_t mac) const {
    if (keys_.empty()) return kUnknown;
    for (std::size_t i = mix64(mac) & mask_;; i = (i + 1) & mask_) {
      if (keys_[i] == mac) return values_[i];
      if (keys_[i] == kEmpty) return kUnknown;
    }
  }
  void learn(std::uint64_t mac, std::uint32_t port) {
    if ((size_ + 1) * 2 > keys_.size()) grow();
    for (std::size_t i = mix64(mac) & mask_;; i = (i + 1) & mask_) {
      if (keys_[i] == mac) {
        values_[i] = port;
        return;
      }
      if (keys_[i] == kEmpty) {
        keys_[i] = mac;
        values_[i] = port;
        ++size_;
        return;
      }
    }
  }
  std::size_t size() const { return size_; }

 private:
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};
  void grow() {
    std::vector<std::uint64_t> old_keys(keys_.empty() ? 16 : keys_.size() * 2, kEmpty);
    std::vector<std::uint32_t> old_values(old_keys.size());
    old_keys.swap(keys_);
    old_values.swap(values_);
    mask_ = keys_.size() - 1;
    size_ = 0;
    for (std::size_t i = 0; i < old_keys.size(); ++i)
      if (old_keys[i] != kEmpty) learn(old_keys[i], old_values[i]);
  }
  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t> values_;
  std::size_t mask_ = 0, size_ = 0;
};

struct Switch {
  SwitchConfig config;
  std::vector<SwitchPort> ports;
  MacTable table;
};

}  // namespace aoeh::sim
