#pragma once
// The 512-byte ATA IDENTIFY DEVICE page: build one for a target, parse one for an initiator.
#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "protocol/parse_result.hpp"

namespace aoeh::proto {

inline constexpr std::size_t kIdentifyPageSize = 512;

// Fixed-capacity text so that parsing never allocates.
template <std::size_t N>
struct FixedString {
  std::array<char, N> chars{};
  std::uint8_t length = 0;

  FixedString() = default;
  FixedString(std::string_view s) { assign(s); }  // NOLINT: implicit, truncates to N
  FixedString(const char* s) { assign(s); }       // NOLINT
  void assign(std::string_view s) {
    length = static_cast<std::uint8_t>(s.size() < N ? s.size() : N);
    for (std::size_t i = 0; i < length; ++i) chars[i] = s[i];
  }
  std::string_view view() const { return {chars.data(), length}; }
  friend bool operator==(const FixedString& a, const FixedString& b) { return a.view() == b.view(); }
};

struct Identity {
  std::uint64_t capacity_sectors = 0;
  bool lba48 = true;
  FixedString<40> model;     // words 27..46
  FixedString<20> serial;    // words 10..19
  FixedString<8> firmware;   // words 23..26
};

// LBA28 pages report min(capacity, 0x0FFFFFFF) in words 60-61; LBA48 pages also set words 83/86
// bit 10 and words 100-103. Strings are space padded and byte-swapped per ATA.
void build_identify(std::span<std::uint8_t, kIdentifyPageSize> page, const Identity& id);

// Capacity from words 100-103 when word 83 or 86 has bit 10, else words 60-61. Strings are
// un-swapped with trailing spaces and NULs trimmed.
Parsed<Identity> parse_identify(std::span<const std::uint8_t> page);

}  // namespace aoeh::proto
