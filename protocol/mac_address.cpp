#include "protocol/mac_address.hpp"

namespace aoeh::proto {
namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
constexpr char kHex[] = "0123456789abcdef";
}  // namespace

std::optional<MacAddress> MacAddress::parse(std::string_view text) {
  MacAddress m;
  if (text.size() == 12) {  // 02000000a00a
    for (int i = 0; i < 6; ++i) {
      int hi = hex_value(text[2 * i]), lo = hex_value(text[2 * i + 1]);
      if (hi < 0 || lo < 0) return std::nullopt;
      m.bytes[i] = static_cast<std::uint8_t>(hi << 4 | lo);
    }
    return m;
  }
  if (text.size() != 17) return std::nullopt;  // 02:00:00:00:a0:0a or 02-00-...
  const char sep = text[2];
  if (sep != ':' && sep != '-') return std::nullopt;
  for (int i = 0; i < 6; ++i) {
    if (i > 0 && text[3 * i - 1] != sep) return std::nullopt;
    int hi = hex_value(text[3 * i]), lo = hex_value(text[3 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    m.bytes[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return m;
}

std::string MacAddress::to_string() const {
  std::string s(17, ':');
  for (int i = 0; i < 6; ++i) {
    s[3 * i] = kHex[bytes[i] >> 4];
    s[3 * i + 1] = kHex[bytes[i] & 15];
  }
  return s;
}

std::string MacAddress::to_hex() const {
  std::string s(12, '0');
  for (int i = 0; i < 6; ++i) {
    s[2 * i] = kHex[bytes[i] >> 4];
    s[2 * i + 1] = kHex[bytes[i] & 15];
  }
  return s;
}

std::uint64_t MacAddress::to_u64() const {
  std::uint64_t v = 0;
  for (auto b : bytes) v = v << 8 | b;
  return v;
}

}  // namespace aoeh::proto
