#pragma once
// CPU seconds of the calling thread: benchmarks report rates per CPU second too, which is what a
// single-threaded simulator can be held to on a machine shared with other work.
#include <ctime>

namespace aoeh::bench {

inline double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

}  // namespace aoeh::bench
