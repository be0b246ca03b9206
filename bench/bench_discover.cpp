// Discovery of 4,096 targets (issue 4: under 2 s wall, memory under 200 MB). A binary of its own
// so getrusage's peak resident size (ru_maxrss, a process-wide high-water mark) is this world's:
// arg 0 runs first and nothing larger runs before it.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <fstream>

#include "sim/simulation.hpp"

namespace aoeh::sim {
namespace {

double resident_mb() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size = 0, resident = 0;
  statm >> size >> resident;
  return static_cast<double>(resident) * 4096 / (1024.0 * 1024.0);
}

double peak_rss_mb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

// 256 shelves x 16 slots on one path: building the world included. The initiator's switch port
// buffers 8,192 frames so the burst of 4,096 Query Config replies is not cut by the default
// 1,000-frame queue (that would leave discovery to the 60 s re-query).
// With `announce` (arg 1) every target also broadcasts its start-up announcement to all others:
// 16.8 M frame deliveries, the cost of a realistic cold start of the whole shelf room.
void BM_Discover4096(benchmark::State& state) {
  const bool announce = state.range(0) != 0;
  double growth = 0;
  for (auto _ : state) {
    const double rss_before = resident_mb();
    SimulationConfig c;
    c.topology.initiator_ports = 1;
    c.topology.paths = {PathSpec{}};
    c.topology.paths[0].link.queue_limit = 8192;
    c.target.announce_on_start = announce;
    c.topology.targets = 4096;
    c.topology.target_ports = 1;
    c.topology.slots_per_shelf = 16;
    c.target.capacity_sectors = 1u << 20;
    Simulation s(c);
    if (!s.discover() || s.devices_up() != 4096) state.SkipWithError("not every target came up");
    growth = std::max(growth, resident_mb() - rss_before);
    state.counters["sim_ms"] = static_cast<double>(s.simulator().now()) / 1e6;
    state.counters["events"] = static_cast<double>(s.simulator().events_processed());
  }
  state.counters["rss_growth_MB"] = growth;       // resident memory added by one world of 4,097 hosts
  state.counters["peak_rss_MB"] = peak_rss_mb();  // the whole process at its peak so far
}
BENCHMARK(BM_Discover4096)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace
}  // namespace aoeh::sim
