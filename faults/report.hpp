#pragma once
// How a plan run is shown: the timeline and summary for people, results.json for machines.
#include <nlohmann/json.hpp>

#include <iosfwd>

#include "faults/plan.hpp"
#include "faults/scenario.hpp"

namespace aoeh::faults {

void print_timeline(std::ostream& out, const ScenarioResult& r);
void print_summary(std::ostream& out, const Plan& plan, const ScenarioResult& r);

// results.json: plan, seed, verdict, expectations, timeline, faults, devices, durability
// (counters and violations), workload, metrics, simulation figures.
nlohmann::json result_to_json(const Plan& plan, const ScenarioResult& r);

}  // namespace aoeh::faults
