#include "protocol/device_address.hpp"

#include <charconv>

namespace aoeh::proto {

std::optional<DeviceAddress> DeviceAddress::parse(std::string_view text) {
  if (!text.empty() && text.front() == 'e') text.remove_prefix(1);
  const auto dot = text.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 >= text.size()) return std::nullopt;
  unsigned shelf = 0, slot = 0;
  auto a = text.substr(0, dot), b = text.substr(dot + 1);
  auto r1 = std::from_chars(a.data(), a.data() + a.size(), shelf);
  auto r2 = std::from_chars(b.data(), b.data() + b.size(), slot);
  if (r1.ec != std::errc{} || r1.ptr != a.data() + a.size()) return std::nullopt;
  if (r2.ec != std::errc{} || r2.ptr != b.data() + b.size()) return std::nullopt;
  if (shelf > 0xFFFF || slot > 0xFF) return std::nullopt;
  return DeviceAddress{static_cast<std::uint16_t>(shelf), static_cast<std::uint8_t>(slot)};
}

std::string DeviceAddress::to_string() const {
  return "e" + std::to_string(shelf) + "." + std::to_string(slot);
}

}  // namespace aoeh::proto
