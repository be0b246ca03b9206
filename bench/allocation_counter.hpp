#pragma once
// Counts heap allocations in a benchmark binary that links allocation_counter.cpp (it replaces the
// global operator new). Use AllocationCount around a timed loop to report `allocs_per_iter`.
#include <benchmark/benchmark.h>

#include <cstdint>

namespace aoeh::bench {

// Number of operator new calls (every form) since the program started.
std::uint64_t allocation_count();

class AllocationCount {
 public:
  explicit AllocationCount(benchmark::State& state) : state_(state), start_(allocation_count()) {}
  // Call after the timed loop: sets the counter allocs_per_iter.
  void report() {
    const auto n = allocation_count() - start_;
    state_.counters["allocs_per_iter"] =
        benchmark::Counter(static_cast<double>(n) / static_cast<double>(state_.iterations()));
  }

 private:
  benchmark::State& state_;
  std::uint64_t start_;
};

}  // namespace aoeh::bench
