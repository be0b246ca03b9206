// The same plan on both backends in one run: the in-process simulator and the ns-3 backend run the
// same engine, reference targets and workload (default topology: 2 paths, 4 two-port targets,
// 1 KiB write/read/verify at queue depth 4). Reported: request/response exchanges (frames the
// engine received) per wall second for each backend, and their ratio (target: in-process >= 10x).
#include <benchmark/benchmark.h>

#include <chrono>

#include "sim/ns3/ns3_simulation.hpp"
#include "sim/simulation.hpp"

namespace {

aoeh::sim::SimulationConfig plan() {
  aoeh::sim::SimulationConfig c;
  c.seed = 5;
  c.workload.regions_per_device = 2048;
  c.workload.sectors = 2;
  c.workload.queue_depth = 4;
  return c;
}

template <typename Backend>
double exchanges_per_wall_second(std::uint64_t* exchanges) {
  const auto t0 = std::chrono::steady_clock::now();
  Backend b(plan());
  const auto s = b.run();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!s.io_complete || s.io.failed != 0 || s.io.verify_errors != 0) return 0;  // shows up as 0/s
  *exchanges = s.frames_received;
  return static_cast<double>(s.frames_received) / wall;
}

void BM_SamePlanInProcessVsNs3(benchmark::State& state) {
  double sim_rate = 0, ns3_rate = 0;
  std::uint64_t sim_x = 0, ns3_x = 0;
  for (auto _ : state) {
    sim_rate += exchanges_per_wall_second<aoeh::sim::Simulation>(&sim_x);
    ns3_rate += exchanges_per_wall_second<aoeh::sim::Ns3Simulation>(&ns3_x);
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["inproc_exchanges/s"] = sim_rate / n;
  state.counters["ns3_exchanges/s"] = ns3_rate / n;
  state.counters["ratio"] = ns3_rate > 0 ? sim_rate / ns3_rate : 0;
  state.counters["exchanges_inproc"] = static_cast<double>(sim_x);
  state.counters["exchanges_ns3"] = static_cast<double>(ns3_x);
}
BENCHMARK(BM_SamePlanInProcessVsNs3)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
