#pragma once
// Runs a plan: builds the world (one switch per path, the initiator engine, reference targets
// with fault hooks), installs the faults, runs discovery, the workload and the scripted actions,
// and judges the expectations. Deterministic: the same plan and seed give the same result.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "faults/durability.hpp"
#include "faults/link_faults.hpp"
#include "faults/plan.hpp"
#include "faults/plan_workload.hpp"

namespace aoeh::faults {

struct TimelineEntry {
  Nanos time = 0;
  std::string what;
};

struct ExpectationResult {
  std::string text;
  bool passed = false;
  std::string detail;  // what was observed
};

struct FaultSummary {
  std::string type;
  std::string site;
  Nanos at = 0;
  Nanos duration = sim::kNever;
  FaultStats stats;
};

struct DeviceSummary {
  std::string address;
  std::string state;  // engine state at the end ("unknown" if never discovered)
  std::uint64_t capacity_sectors = 0;
  std::vector<std::uint32_t> payload_sectors;  // per path
};

struct ScenarioResult {
  std::string plan_name;
  std::uint64_t seed = 0;
  bool passed = false;
  std::vector<TimelineEntry> timeline;
  std::vector<ExpectationResult> expectations;
  std::map<std::string, double> metrics;
  std::vector<FaultSummary> faults;
  std::vector<DeviceSummary> devices;
  std::vector<Violation> violations;  // the first DurabilityChecker::kMaxRecorded
  DurabilityCounters durability;
  WorkloadStats workload;
  bool workload_enabled = false;
  bool workload_complete = false;
  Nanos simulated = 0;
  std::uint64_t events = 0;
  std::uint64_t event_hash = 0;
  double wall_seconds = 0;
  std::string pcap_path;
  std::uint64_t frames_captured = 0;
};

struct RunOptions {
  std::optional<std::uint64_t> seed;  // overrides the plan's
  std::string pcap_path;              // empty: no capture
  bool timeline = true;               // false: skip building timeline text (soak)
};

// Throws std::runtime_error only for environment problems (e.g. the pcap cannot be created).
ScenarioResult run_plan(const Plan& plan, const RunOptions& options = {});

// The same run on another network (faults/plan_backend.hpp): `make_backend(seed)` builds it for
// this plan, empty, with the run's seed.
class PlanBackend;
using BackendFactory = std::function<std::unique_ptr<PlanBackend>(std::uint64_t seed)>;
ScenarioResult run_plan(const Plan& plan, const RunOptions& options, const BackendFactory& make_backend);

}  // namespace aoeh::faults
