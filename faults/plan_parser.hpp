#pragma once
// Strict JSON -> Plan. Unknown keys, wrong types, bad units and references to things that do not
// exist are rejected with the JSON path of the offending field:
//   faults[2].target: unknown target e9.9 (targets: e1.0, e1.1)
#include <optional>
#include <string>
#include <string_view>

#include "faults/plan.hpp"

namespace aoeh::faults {

struct PlanError {
  std::string path;     // "faults[2].target"; "" for the document itself
  std::string message;
  std::string to_string() const { return path.empty() ? message : path + ": " + message; }
};

struct PlanResult {
  std::optional<Plan> plan;
  PlanError error;
  bool ok() const { return plan.has_value(); }
};

PlanResult parse_plan(std::string_view json_text);
// Reads and parses a file; an unreadable file is an error with path "".
PlanResult load_plan(const std::string& file);

// One fault object (the JSON of a plan's faults[i]) against an existing plan's topology, for
// tools that add faults to a world built outside a plan file (the Python bindings). Errors carry
// `where` as the path prefix ("fault.target").
struct FaultParseResult {
  std::optional<FaultPlan> fault;
  PlanError error;
  bool ok() const { return fault.has_value(); }
};
FaultParseResult parse_fault_object(const Plan& topology, std::string_view json_text, const std::string& where = "fault");

// snake_case names used in plans and results.json.
const char* event_name(std::uint8_t engine_event_kind);      // initiator::EventKind
const char* io_status_key(std::uint8_t engine_io_status);    // initiator::IoStatus

}  // namespace aoeh::faults
