// The same work on both backends in one run, reported as request/response exchanges (replies the
// engine received) per wall second for each backend and their ratio (goal: in-process >= 10x).
// - BM_SamePlan: one fault plan (bench_plan below: 2 paths, 16 targets, 1 KiB requests, 2 s of
//   simulated I/O) through faults::run_plan and ns3sim::run_plan: the same hosts, workload and
//   plan machinery on both sides, only the network and the scheduler differ.
// - BM_SameNetwork: the plan's network alone on both backends (faults::PlanBackend), with trivial
//   hosts: an initiator keeps a few frames in flight to every target port and each target answers
//   at once, half the exchanges 60-byte requests with 1060-byte answers and half the reverse (as
//   the mixed plan's reads and writes). This is the two network simulators compared, without the
//   engine, targets, stores and workload that BM_SamePlan runs identically on both sides.
// - BM_SameConfigSimulation: sim::Simulation vs sim::Ns3Simulation on one SimulationConfig.
#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <vector>

#include "bench/bounce_hosts.hpp"
#include "bench/cpu_time.hpp"
#include "faults/plan_backend.hpp"
#include "faults/plan_parser.hpp"
#include "faults/scenario.hpp"
#include "sim/ns3/ns3_plan.hpp"
#include "sim/ns3/ns3_simulation.hpp"
#include "sim/simulation.hpp"
#include "sim/topology.hpp"

namespace {

// Large enough that setup does not dominate: ~570k exchanges per run. 50 us cables keep the number
// of exchanges per simulated second (and so ns-3's wall time) reasonable. A 1 MiB span per device:
// over the whole 64 MiB the target's sparse store (map lookups, identical on both sides) took more
// than half of the in-process time and hid what differs.
constexpr const char* kBenchPlan = R"({
  "name": "bench_ns3",
  "topology": {
    "paths": [{"name": "a", "rate": "1Gbit/s", "latency": "50us"}, {"name": "b", "rate": "1Gbit/s", "latency": "50us"}],
    "targets": [{"address": "e1.0", "count": 16, "capacity": "64MiB"}]
  },
  "workload": {"pattern": "random", "read_fraction": 0.5, "size": "1KiB", "queue_depth": 4, "duration": "2s",
               "span": "1MiB", "verify": false},
  "capture": "none",
  "expect": [{"io_errors": 0}, {"workload_complete": true}]
})";

// reads_only: the same plan with read_fraction 1 (nothing is ever written, so the target's store
// costs next to nothing and the ratio is closer to that of the two networks and schedulers).
const aoeh::faults::Plan& bench_plan(bool reads_only) {
  static const auto make = [](bool reads) {
    auto r = aoeh::faults::parse_plan(kBenchPlan);
    if (!r.ok()) throw std::runtime_error("bench plan: " + r.error.to_string());
    if (reads) r.plan->workload.read_fraction = 1.0;
    return *r.plan;
  };
  static const aoeh::faults::Plan mixed = make(false), reads = make(true);
  return reads_only ? reads : mixed;
}

struct Rate {
  double per_second = 0;      // per wall second
  double per_cpu_second = 0;  // per second of this thread's CPU time: less sensitive to a busy host
  double exchanges = 0;
};


template <typename Run>
Rate measure(Run run, bool reads_only) {
  aoeh::faults::RunOptions o;
  o.timeline = false;
  const auto t0 = std::chrono::steady_clock::now();
  const double c0 = aoeh::bench::thread_cpu_seconds();
  const auto r = run(bench_plan(reads_only), o);
  const double cpu = aoeh::bench::thread_cpu_seconds() - c0;
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!r.passed) return {};  // shows up as 0/s
  const double x = r.metrics.at("initiator.frames_received");
  return {x / wall, x / cpu, x};
}

// Both backends' rates summed over a benchmark's iterations, reported as its counters.
struct Comparison {
  Rate sim, ns3;
  void add(const Rate& a, const Rate& b) {
    sim.per_second += a.per_second, sim.per_cpu_second += a.per_cpu_second, sim.exchanges = a.exchanges;
    ns3.per_second += b.per_second, ns3.per_cpu_second += b.per_cpu_second, ns3.exchanges = b.exchanges;
  }
  void report(benchmark::State& state) const {
    const double n = static_cast<double>(state.iterations());
    state.counters["inproc_exchanges/s"] = sim.per_second / n;
    state.counters["ns3_exchanges/s"] = ns3.per_second / n;
    state.counters["ratio"] = ns3.per_second > 0 ? sim.per_second / ns3.per_second : 0;
    state.counters["inproc_exchanges/cpu_s"] = sim.per_cpu_second / n;
    state.counters["ns3_exchanges/cpu_s"] = ns3.per_cpu_second / n;
    state.counters["ratio_cpu"] = ns3.per_cpu_second > 0 ? sim.per_cpu_second / ns3.per_cpu_second : 0;
    state.counters["exchanges_inproc"] = sim.exchanges;
    state.counters["exchanges_ns3"] = ns3.exchanges;
  }
};

// Argument 0: the plan as written (half reads, half writes); 1: reads only.
void BM_SamePlan(benchmark::State& state) {
  const bool reads_only = state.range(0) != 0;
  Comparison c;
  for (auto _ : state)
    c.add(measure([](const auto& p, const auto& o) { return aoeh::faults::run_plan(p, o); }, reads_only),
          measure([](const auto& p, const auto& o) { return aoeh::ns3sim::run_plan(p, o); }, reads_only));
  c.report(state);
}
BENCHMARK(BM_SamePlan)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(2);

// ---------------------------------------------------------------- the networks alone

// The bench plan's topology with Pinger and Echo hosts on `backend`; the answers it got.
double exchange_on(aoeh::faults::PlanBackend& backend, const aoeh::faults::Plan& plan) {
  using aoeh::proto::MacAddress;
  const aoeh::faults::Nanos stop = plan.workload.duration;
  std::vector<MacAddress> imacs;
  for (std::uint32_t k = 0; k < plan.initiator_ports.size(); ++k)
    imacs.push_back(plan.initiator_ports[k].mac.value_or(aoeh::sim::initiator_mac(0, k)));
  std::vector<aoeh::bench::Pinger::Peer> peers;
  std::vector<std::vector<MacAddress>> tmacs;
  for (std::uint32_t t = 0; t < plan.targets.size(); ++t) {
    tmacs.emplace_back();
    for (std::uint32_t k = 0; k < plan.targets[t].ports.size(); ++k) {
      const auto& port = plan.targets[t].ports[k];
      tmacs.back().push_back(port.mac.value_or(aoeh::sim::target_mac(t, k)));
      for (std::uint32_t i = 0; i < plan.initiator_ports.size(); ++i)
        if (plan.initiator_ports[i].path == port.path) peers.push_back({i, tmacs.back().back()});
    }
  }
  // Half 60-byte requests with 1060-byte answers, half the reverse: the mixed plan's reads and writes.
  constexpr std::size_t kLarge = 1060;
  auto pinger = std::make_unique<aoeh::bench::Pinger>(imacs, peers, 2, std::vector<std::size_t>{aoeh::bench::kSmallFrame, kLarge}, stop);
  aoeh::bench::Pinger* p = pinger.get();
  backend.add_host(std::move(pinger), plan.initiator_ports, imacs);
  for (std::uint32_t t = 0; t < plan.targets.size(); ++t)
    backend.add_host(std::make_unique<aoeh::bench::Echo>(tmacs[t], kLarge), plan.targets[t].ports, tmacs[t]);
  backend.start();
  backend.run_until([] { return false; }, stop + aoeh::faults::Nanos{10'000'000});
  backend.finish();
  return static_cast<double>(p->answers());
}

template <typename Make>
Rate measure_network(Make make) {
  const auto& plan = bench_plan(false);
  const auto t0 = std::chrono::steady_clock::now();
  const double c0 = aoeh::bench::thread_cpu_seconds();
  double x = 0;
  {
    auto backend = make(plan);
    x = exchange_on(*backend, plan);
  }
  const double cpu = aoeh::bench::thread_cpu_seconds() - c0;
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return {x / wall, x / cpu, x};
}

void BM_SameNetwork(benchmark::State& state) {
  Comparison c;
  for (auto _ : state)
    c.add(measure_network([](const auto& p) { return aoeh::faults::make_sim_backend(p, 1); }),
          measure_network([](const auto& p) { return aoeh::ns3sim::make_backend(p, 1); }));
  c.report(state);
}
BENCHMARK(BM_SameNetwork)->Unit(benchmark::kMillisecond)->Iterations(2);

aoeh::sim::SimulationConfig config() {
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
  Backend b(config());
  const auto s = b.run();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!s.io_complete || s.io.failed != 0 || s.io.verify_errors != 0) return 0;  // shows up as 0/s
  *exchanges = s.frames_received;
  return static_cast<double>(s.frames_received) / wall;
}

void BM_SameConfigSimulation(benchmark::State& state) {
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
BENCHMARK(BM_SameConfigSimulation)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
