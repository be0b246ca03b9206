// Simulator benchmarks: the event core, raw request/response exchanges through NICs, links and
// switches (no protocol endpoints), and - once the engine exists - engine + reference target.
#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

#include "bench/allocation_counter.hpp"
#include "bench/bounce_hosts.hpp"
#include "bench/cpu_time.hpp"
#include "sim/hash.hpp"
#include "sim/scheduler.hpp"
#include "sim/simulator.hpp"
#include "sim/topology.hpp"

namespace aoeh::sim {
namespace {


void BM_SchedulerScheduleAndPop(benchmark::State& state) {
  Scheduler s;
  const auto depth = static_cast<std::uint32_t>(state.range(0));
  std::uint64_t x = 1;
  for (std::uint32_t i = 0; i < depth; ++i) s.schedule(EventKind::Action, static_cast<Nanos>(i), i);
  Event e;
  for (auto _ : state) {
    s.pop_due(kNever, e);
    x = x * 6364136223846793005ull + 1;
    s.schedule(EventKind::Action, e.time + static_cast<Nanos>(x >> 54), e.subject);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SchedulerScheduleAndPop)->Arg(64)->Arg(4096)->UseRealTime();

// Raw request/response exchanges per wall second: 1 KiB requests, 60-byte replies, 2 paths,
// 16 two-port responders, 4 outstanding per responder port, 10 Gb/s links.
void BM_RawExchanges(benchmark::State& state) {
  Simulator sim(1);
  TopologySpec spec;
  spec.initiator_ports = 2;
  spec.targets = 16;
  spec.target_ports = 2;
  bench::Pinger* pinger = nullptr;
  auto macs = [](std::uint32_t ports, proto::MacAddress (*mac)(std::uint32_t, std::uint32_t), std::uint32_t index) {
    std::vector<proto::MacAddress> out;
    for (std::uint32_t p = 0; p < ports; ++p) out.push_back(mac(index, p));
    return out;
  };
  std::vector<bench::Pinger::Peer> peers;
  for (std::uint32_t t = 0; t < spec.targets; ++t)
    for (std::uint32_t p = 0; p < spec.target_ports; ++p) peers.push_back({p, target_mac(t, p)});
  build_topology(
      sim, spec,
      [&](std::uint32_t, const std::vector<NicConfig>&) {
        auto p = std::make_unique<bench::Pinger>(macs(spec.initiator_ports, &initiator_mac, 0), peers, 4,
                                                 std::vector<std::size_t>{14 + 22 + 1024});
        pinger = p.get();
        return p;
      },
      [&](std::uint32_t t, const std::vector<NicConfig>&) {
        return std::make_unique<bench::Echo>(macs(spec.target_ports, &target_mac, t), bench::kSmallFrame);
      });
  sim.start();
  Nanos horizon = 10 * kMillisecond;  // warm-up: pools, queues and wheel buckets reach their size
  sim.run_until_time(horizon);
  const std::uint64_t replies0 = pinger->answers(), events0 = sim.events_processed();
  const Nanos sim0 = sim.now();
  bench::AllocationCount allocations(state);
  const double cpu0 = bench::thread_cpu_seconds();
  for (auto _ : state) {
    horizon += kMillisecond;
    sim.run_until_time(horizon);
  }
  const double cpu = bench::thread_cpu_seconds() - cpu0;
  allocations.report();  // per simulated millisecond: 0 when the hot path never allocates
  state.counters["exchanges/s"] =
      benchmark::Counter(static_cast<double>(pinger->answers() - replies0), benchmark::Counter::kIsRate);
  state.counters["exchanges/cpu_s"] = static_cast<double>(pinger->answers() - replies0) / cpu;
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(sim.events_processed() - events0), benchmark::Counter::kIsRate);
  state.counters["sim_s/wall_s"] = benchmark::Counter(static_cast<double>(sim.now() - sim0) / 1e9, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RawExchanges)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace aoeh::sim

#if __has_include("sim/simulation.hpp") && defined(AOEH_BENCH_ENGINE)
#include "sim/simulation.hpp"

namespace aoeh::sim {
namespace {

// Engine + reference target request/response exchanges per wall second: 2-sector (1 KiB) reads,
// 2 paths, 16 two-port targets, 16 requests outstanding per device, 10 Gb/s links.
void BM_EngineExchanges(benchmark::State& state) {
  SimulationConfig c;
  c.topology.targets = 16;
  c.topology.target_ports = 2;
  c.workload.mode = WorkloadSpec::Mode::ReadOnly;
  c.workload.regions_per_device = 0;  // unbounded
  c.workload.sectors = 2;
  c.workload.queue_depth = static_cast<std::uint32_t>(state.range(0));
  Simulation s(c);
  if (!s.discover()) {
    state.SkipWithError("discovery incomplete");
    return;
  }
  s.initiator().set_keep_log(false);
  std::vector<proto::DeviceAddress> devices = s.target_addresses();
  Workload w(s.initiator(), devices, c.workload);
  s.initiator().set_event_handler([&](const initiator::Event& e) { w.on_event(e); });
  w.start();
  Nanos horizon = s.simulator().now() + 10 * kMillisecond;  // warm-up, as above
  s.simulator().run_until_time(horizon);
  const std::uint64_t frames0 = s.initiator().engine().counters().frames_received;
  const std::uint64_t events0 = s.simulator().events_processed();
  const std::uint64_t completed0 = w.result().completed;
  bench::AllocationCount allocations(state);
  const double cpu0 = bench::thread_cpu_seconds();
  for (auto _ : state) {
    horizon += kMillisecond;
    s.simulator().run_until_time(horizon);
  }
  const double cpu = bench::thread_cpu_seconds() - cpu0;
  allocations.report();
  const auto& r = w.result();
  if (r.failed) state.SkipWithError("I/O failed");
  state.counters["exchanges/s"] = benchmark::Counter(static_cast<double>(r.completed - completed0), benchmark::Counter::kIsRate);
  state.counters["exchanges/cpu_s"] = static_cast<double>(r.completed - completed0) / cpu;
  state.counters["frames_in/s"] = benchmark::Counter(
      static_cast<double>(s.initiator().engine().counters().frames_received - frames0), benchmark::Counter::kIsRate);
  state.counters["retransmits"] = static_cast<double>(s.initiator().engine().counters().retransmits);
  state.counters["events/exchange"] =
      static_cast<double>(s.simulator().events_processed() - events0) / static_cast<double>(r.completed > completed0 ? r.completed - completed0 : 1);
}
BENCHMARK(BM_EngineExchanges)->Arg(16)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

}  // namespace
}  // namespace aoeh::sim
#endif

namespace aoeh::sim {
namespace {
void BM_HashFrame(benchmark::State& state) {
  std::vector<std::uint8_t> frame(static_cast<std::size_t>(state.range(0)), 0x5A);
  for (auto _ : state) {
    frame[20]++;
    benchmark::DoNotOptimize(hash_bytes(frame));
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_HashFrame)->Arg(60)->Arg(1060)->Arg(8740);

// What the frame pool calls: the buffer is padded to 64 bytes, so the last block is read in place.
void BM_HashPaddedFrame(benchmark::State& state) {
  const auto length = static_cast<std::size_t>(state.range(0));
  std::vector<std::uint8_t> buffer((length + 63) / 64 * 64, 0x5A);
  for (auto _ : state) {
    buffer[20]++;
    benchmark::DoNotOptimize(hash_padded(buffer.data(), length));
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_HashPaddedFrame)->Arg(60)->Arg(1060)->Arg(8740);
}  // namespace
}  // namespace aoeh::sim
