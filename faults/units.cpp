#include "faults/units.hpp"

#include <cstdlib>
#include <cmath>
#include <cstdio>

namespace aoeh::faults {
namespace {

struct Unit {
  std::string_view name;
  double scale;
};

// Splits "12.5ms" into 12.5 and "ms" (spaces between allowed). False when no number leads.
bool split_number(std::string_view text, double& number, std::string_view& unit) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  std::size_t i = 0;
  bool digits = false, dot = false;
  while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || (text[i] == '.' && !dot))) {
    if (text[i] == '.') dot = true; else digits = true;
    ++i;
  }
  if (!digits) return false;
  const std::string num(text.substr(0, i));
  char* end = nullptr;
  number = std::strtod(num.c_str(), &end);
  if (end != num.c_str() + num.size()) return false;
  unit = text.substr(i);
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  return true;
}

template <std::size_t N>
std::optional<double> scaled(std::string_view text, const Unit (&units)[N], bool bare_ok, const char* what,
                             const char* example, std::string* why) {
  double number = 0;
  std::string_view unit;
  if (!split_number(text, number, unit)) {
    if (why) *why = "expected a " + std::string(what) + " like \"" + example + "\", got \"" + std::string(text) + "\"";
    return std::nullopt;
  }
  if (unit.empty() && !bare_ok) {
    if (why) *why = "\"" + std::string(text) + "\" needs a unit";
    return std::nullopt;
  }
  if (unit.empty()) return number;
  for (const auto& u : units)
    if (u.name == unit) return number * u.scale;
  if (why) {
    *why = "unknown " + std::string(what) + " unit \"" + std::string(unit) + "\" (use";
    for (std::size_t k = 0; k < N; ++k) *why += (k ? ", " : " ") + std::string(units[k].name);
    *why += ")";
  }
  return std::nullopt;
}

constexpr Unit kTime[] = {{"ns", 1}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"min", 60e9}, {"h", 3600e9}};
constexpr Unit kSize[] = {{"B", 1},          {"KiB", 1024.0},     {"MiB", 1048576.0}, {"GiB", 1073741824.0},
                          {"TiB", 1099511627776.0}, {"KB", 1e3}, {"MB", 1e6},        {"GB", 1e9},
                          {"TB", 1e12},      {"sectors", 512}};
constexpr Unit kRate[] = {{"bit/s", 1},   {"kbit/s", 1e3}, {"Mbit/s", 1e6}, {"Gbit/s", 1e9}, {"bps", 1},
                          {"kbps", 1e3},  {"Mbps", 1e6},   {"Gbps", 1e9}};

}  // namespace

std::optional<Nanos> parse_duration(std::string_view text, std::string* why) {
  auto v = scaled(text, kTime, false, "duration", "250ms", why);
  if (!v) return std::nullopt;
  if (*v > 1e18) {
    if (why) *why = "duration \"" + std::string(text) + "\" is too long";
    return std::nullopt;
  }
  return static_cast<Nanos>(std::llround(*v));
}

std::optional<std::uint64_t> parse_size(std::string_view text, std::string* why) {
  auto v = scaled(text, kSize, true, "size", "64KiB", why);
  if (!v) return std::nullopt;
  if (*v > 1.8e19 || *v != std::floor(*v)) {
    if (why) *why = "size \"" + std::string(text) + "\" is not a whole number of bytes";
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(*v);
}

std::optional<std::uint64_t> parse_rate(std::string_view text, std::string* why) {
  auto v = scaled(text, kRate, false, "rate", "1Gbit/s", why);
  if (!v) return std::nullopt;
  if (*v < 1 || *v > 1e13) {
    if (why) *why = "rate \"" + std::string(text) + "\" is out of range (1bit/s .. 10Tbit/s)";
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(*v);
}

std::string format_time(Nanos t) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.3fs", static_cast<double>(t) / 1e9);
  return buf;
}

std::string format_duration(Nanos d) {
  char buf[48];
  if (d == sim::kNever) return "forever";
  if (d % sim::kSecond == 0) std::snprintf(buf, sizeof buf, "%llds", static_cast<long long>(d / sim::kSecond));
  else if (d % sim::kMillisecond == 0) std::snprintf(buf, sizeof buf, "%lldms", static_cast<long long>(d / sim::kMillisecond));
  else if (d % sim::kMicrosecond == 0) std::snprintf(buf, sizeof buf, "%lldus", static_cast<long long>(d / sim::kMicrosecond));
  else std::snprintf(buf, sizeof buf, "%lldns", static_cast<long long>(d));
  return buf;
}

std::string format_size(std::uint64_t b) {
  char buf[48];
  if (b >= (1ull << 30) && b % (1ull << 30) == 0) std::snprintf(buf, sizeof buf, "%lluGiB", static_cast<unsigned long long>(b >> 30));
  else if (b >= (1ull << 20) && b % (1ull << 20) == 0) std::snprintf(buf, sizeof buf, "%lluMiB", static_cast<unsigned long long>(b >> 20));
  else if (b >= 1024 && b % 1024 == 0) std::snprintf(buf, sizeof buf, "%lluKiB", static_cast<unsigned long long>(b >> 10));
  else std::snprintf(buf, sizeof buf, "%lluB", static_cast<unsigned long long>(b));
  return buf;
}

}  // namespace aoeh::faults
