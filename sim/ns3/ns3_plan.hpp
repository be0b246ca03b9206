#pragma once
// Fault plans (faults/README.md) on the ns-3 backend. The runner and hosts are the in-process
// ones, unchanged (faults::run_plan over a faults::PlanBackend: the engine host, the faulty
// reference targets, the plan workload and durability checker, the expectations judge); the
// network is ns-3's: one learning BridgeNetDevice per path, every NIC
// cabled to it over its own SimpleChannel with the path's rate, queue and latency, and link faults
// as ns-3 error models, rates and queues. Link faults ns-3 cannot express here (e.g. duplicate,
// reorder, jittered delay, undetected corruption) are rejected by name before anything runs.
// This header is always available; without libns3-dev, run_plan throws Unsupported saying why.
#include <optional>
#include <stdexcept>
#include <string>

#include <memory>

#include "faults/plan.hpp"
#include "faults/plan_backend.hpp"
#include "faults/scenario.hpp"

namespace aoeh::ns3sim {

// Empty when this build has the ns-3 backend, else the reason (e.g. "libns3-dev not found").
std::string unavailable_reason();

// Why `plan` cannot run on ns-3, naming the first fault that cannot (its type and index:
// "fault 'duplicate' at faults[5] is not supported by the ns3 backend: ..."), or nullopt.
std::optional<std::string> unsupported(const faults::Plan& plan);

// The backend is unavailable or the plan has a fault ns-3 cannot express.
struct Unsupported : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// Runs `plan` on ns-3 and returns the same result as faults::run_plan (metrics keep their names
// where ns-3 has the counter; "sim.events" counts ns-3 events). Deterministic per seed. Throws
// Unsupported (above) or std::runtime_error (environment, e.g. the pcap cannot be written).
// ns-3 is process-global: one run at a time per process (a concurrent call throws std::logic_error).
faults::ScenarioResult run_plan(const faults::Plan& plan, const faults::RunOptions& options = {});

// The ns-3 network of `plan` alone, for callers that bring their own hosts (bench_ns3 compares the
// two networks with trivial hosts). It holds ns-3 until destroyed: one at a time per process, like
// run_plan (std::logic_error otherwise). Link faults are left to the caller (add_link_fault).
// Throws Unsupported without libns3-dev.
std::unique_ptr<faults::PlanBackend> make_backend(const faults::Plan& plan, std::uint64_t seed);

}  // namespace aoeh::ns3sim
