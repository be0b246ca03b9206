#pragma once
// Ethernet MAC address: parse "02:00:00:00:a0:0a", "02-00-..." or "020000_00a00a"-free 12-hex form.
#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace aoeh::proto {

struct MacAddress {
  std::array<std::uint8_t, 6> bytes{};

  static std::optional<MacAddress> parse(std::string_view text);
  // memcpy: these sit on every frame's path and the byte loops did not get vectorised.
  static MacAddress from(const std::uint8_t* p) {
    MacAddress m;
    std::memcpy(m.bytes.data(), p, 6);
    return m;
  }
  static constexpr MacAddress broadcast() { return MacAddress{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}; }

  void store(std::uint8_t* p) const { std::memcpy(p, bytes.data(), 6); }
  bool is_broadcast() const { return *this == broadcast(); }
  bool is_multicast() const { return (bytes[0] & 1) != 0; }
  bool is_zero() const { return *this == MacAddress{}; }
  std::string to_string() const;         // 02:00:00:00:a0:0a
  std::string to_hex() const;            // 02000000a00a (aoetools style)
  std::uint64_t to_u64() const;

  friend constexpr bool operator==(const MacAddress&, const MacAddress&) = default;
  friend constexpr auto operator<=>(const MacAddress&, const MacAddress&) = default;
};

}  // namespace aoeh::proto
