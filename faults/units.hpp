#pragma once
// Human units in fault plans: durations ("250ms", "3s", "2min"), sizes ("64KiB", "1MiB", "4096"),
// bit rates ("100Mbit/s", "1Gbit/s"). Parsers return std::nullopt and fill `why` on bad input, so
// the plan parser can name the offending field.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/time.hpp"

namespace aoeh::faults {

using sim::Nanos;

// "250ms", "3s", "1.5s", "2min", "1h", "10us", "500ns". A bare number is rejected (the unit matters).
std::optional<Nanos> parse_duration(std::string_view text, std::string* why = nullptr);
// Bytes: "512B", "4KiB", "1MiB", "2GiB", "1TiB", "64KB" (1000-based), or a bare integer of bytes.
std::optional<std::uint64_t> parse_size(std::string_view text, std::string* why = nullptr);
// Bits per second: "100Mbit/s", "1Gbit/s", "64kbit/s", "10Gbps", "1.5Gbit/s".
std::optional<std::uint64_t> parse_rate(std::string_view text, std::string* why = nullptr);

// "1.250s", "250ms", "3min 20s" style for the timeline (seconds with millisecond resolution).
std::string format_time(Nanos t);
std::string format_duration(Nanos d);
std::string format_size(std::uint64_t bytes);

}  // namespace aoeh::faults
