#pragma once
// Byte-vector helpers for hand-written frames: hex("02 00 | 88 a2"), zeros(24), cat({a, b}).
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace aoeh::proto::testing {

using Bytes = std::vector<std::uint8_t>;

// Hex digits two per byte; spaces, newlines and '|' separate fields and are ignored. Throws
// std::invalid_argument on anything else (a typo in a test vector must not pass silently).
Bytes hex(std::string_view text);
Bytes zeros(std::size_t n);
// n bytes of a recognisable pattern: (i * 7 + seed) mod 256.
Bytes pattern(std::size_t n, std::uint8_t seed = 0);
Bytes cat(std::initializer_list<Bytes> parts);
// "02 00 00 ..." for readable test failures.
std::string to_hex(std::span<const std::uint8_t> bytes);

}  // namespace aoeh::proto::testing
