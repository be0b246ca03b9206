#pragma once
// Judging a plan's expectations against what a run observed.
#include <optional>
#include <utility>
#include <vector>

#include "faults/plan.hpp"
#include "faults/plan_workload.hpp"
#include "faults/scenario.hpp"
#include "initiator/types.hpp"

namespace aoeh::faults {

struct ObservedEvent {
  Nanos time = 0;
  initiator::EventKind kind{};
  proto::DeviceAddress device;
  initiator::DeviceState state{};
  proto::MacAddress path;
};

struct DeviceSample {
  bool taken = false;
  std::optional<initiator::DeviceInfo> info;
};

struct Observations {
  std::vector<ObservedEvent> events;  // every engine event except I/O completions
  std::vector<DeviceSample> samples;  // per expectation (those with a device)
  std::vector<std::pair<std::uint64_t, std::uint32_t>> mac_ports;  // target MAC -> plan port index
  const PlanWorkload* workload = nullptr;
  const DurabilityChecker* checker = nullptr;
};

// One result per plan expectation, plus "no durability violations" when the workload verifies
// and the plan gave no violations expectation of its own.
std::vector<ExpectationResult> judge(const Plan& plan, const Observations& obs, const ScenarioResult& result);

// The expectation in words ("e1.0 is closewait by 30s").
std::string describe(const Plan& plan, const ExpectationPlan& e);

}  // namespace aoeh::faults
