#pragma once
// The metrics a plan run reports about its hosts (engine counters, workload, durability, NICs,
// targets, faults), whichever
// backend ran it: the in-process simulator and ns-3 must name and compute them identically.
#include <map>
#include <string>

#include "faults/durability.hpp"
#include "faults/plan_workload.hpp"
#include "faults/scenario.hpp"
#include "initiator/types.hpp"
#include "sim/nic.hpp"
#include "sim/target/target.hpp"

namespace aoeh::faults {

// Adds initiator.*, io.* (when `workload`) and durability.* (when `checker`) to `metrics`.
void add_host_metrics(std::map<std::string, double>& metrics, const initiator::Counters& engine,
                      const PlanWorkload* workload, const DurabilityChecker* checker);

// Adds nic.<port>.* for one initiator or target port.
void add_nic_metrics(std::map<std::string, double>& metrics, const std::string& port, const sim::NicCounters& nic);

// Adds target.<name>.* for one reference target (named by its plan address: a claim_address
// fault may have changed the one it answers to).
void add_target_metrics(std::map<std::string, double>& metrics, const std::string& name, const target::Target& target);

// Adds fault.<index>.<stat> for every fault's counters.
void add_fault_metrics(std::map<std::string, double>& metrics, const std::vector<FaultSummary>& faults);

}  // namespace aoeh::faults
