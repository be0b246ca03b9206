#pragma once
// Real time for the sans-IO endpoints: the monotonic clock as a plain nanosecond count. The same
// epoch as std::chrono::steady_clock, so an engine deadline converts straight into a timer expiry.
#include <chrono>
#include <cstdint>

namespace aoeh::live {

using Nanos = std::int64_t;

inline Nanos monotonic_now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

inline std::chrono::steady_clock::time_point to_time_point(Nanos t) {
  return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(t));
}

}  // namespace aoeh::live
