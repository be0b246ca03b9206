#pragma once
// AoE device address: shelf (major, 16 bits) and slot (minor, 8 bits), written eS.L.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/constants.hpp"

namespace aoeh::proto {

struct DeviceAddress {
  std::uint16_t shelf = 0;
  std::uint8_t slot = 0;

  // Accepts "e1.2" and "1.2"; shelf 0..65535, slot 0..255.
  static std::optional<DeviceAddress> parse(std::string_view text);
  static constexpr DeviceAddress broadcast() { return {kBroadcastShelf, kBroadcastSlot}; }

  std::string to_string() const;  // e1.2
  bool is_broadcast_shelf() const { return shelf == kBroadcastShelf; }
  bool is_broadcast_slot() const { return slot == kBroadcastSlot; }
  // A target with this address answers a request sent to `to` (shelf/slot broadcast aware).
  bool matches(DeviceAddress to) const {
    return (to.shelf == shelf || to.shelf == kBroadcastShelf) && (to.slot == slot || to.slot == kBroadcastSlot);
  }
  std::uint32_t key() const { return (std::uint32_t{shelf} << 8) | slot; }

  friend constexpr bool operator==(const DeviceAddress&, const DeviceAddress&) = default;
  friend constexpr auto operator<=>(const DeviceAddress&, const DeviceAddress&) = default;
};

}  // namespace aoeh::proto
