#pragma once
// The metrics a plan run reports about its hosts (engine counters, workload, durability), whichever
// backend ran it: the in-process simulator and ns-3 must name and compute them identically.
#include <map>
#include <string>

#include "faults/durability.hpp"
#include "faults/plan_workload.hpp"
#include "initiator/types.hpp"

namespace aoeh::faults {

// Adds initiator.*, io.* (when `workload`) and durability.* (when `checker`) to `metrics`.
void add_host_metrics(std::map<std::string, double>& metrics, const initiator::Counters& engine,
                      const PlanWorkload* workload, const DurabilityChecker* checker);

}  // namespace aoeh::faults
