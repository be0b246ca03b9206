// The full conformance catalogue against the reference target on the embedded simulated shelf:
// wall time per run (the budget is 10 s), with and without a lossy network.
#include <benchmark/benchmark.h>

#include "conformance/runner.hpp"
#include "conformance/selection.hpp"
#include "conformance/sim_shelf.hpp"

namespace {

void run_certify(benchmark::State& state, double loss) {
  const auto tests = aoeh::conformance::select_tests(aoeh::conformance::catalogue(), {});
  std::size_t frames = 0;
  for (auto _ : state) {
    aoeh::conformance::SimShelfOptions so;
    so.loss = loss;
    aoeh::conformance::SimShelf shelf(so);
    aoeh::conformance::RunOptions o;
    o.target = shelf.device();
    o.allow_write = true;
    o.fresh_start = true;
    o.announce_window = aoeh::conformance::SimShelf::kAnnounceWindow;
    if (loss > 0) o.timing.attempts = 6;
    auto out = aoeh::conformance::run_suite(shelf.world(), tests, o);
    if (out.exit_code != 0) state.SkipWithError("the reference target failed a MUST test");
    frames = out.capture.size();
    benchmark::DoNotOptimize(out);
  }
  state.counters["tests"] = static_cast<double>(tests.size());
  state.counters["frames"] = static_cast<double>(frames);
}

void BM_CertifyReferenceTarget(benchmark::State& state) { run_certify(state, 0.0); }
void BM_CertifyReferenceTargetLossy(benchmark::State& state) { run_certify(state, 0.005); }

BENCHMARK(BM_CertifyReferenceTarget)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CertifyReferenceTargetLossy)->Unit(benchmark::kMillisecond);

}  // namespace
