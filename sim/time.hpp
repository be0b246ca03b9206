#pragma once
// Simulated time: a plain signed nanosecond count, the same unit the engine and target use.
#include <cstdint>
#include <limits>

#include "sim/world.hpp"

namespace aoeh::sim {

inline constexpr Nanos kNever = std::numeric_limits<Nanos>::max();
inline constexpr Nanos kMicrosecond = 1'000;
inline constexpr Nanos kMillisecond = 1'000'000;
inline constexpr Nanos kSecond = 1'000'000'000;

}  // namespace aoeh::sim
