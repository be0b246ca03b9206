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

// snake_case names used in plans and results.json.
const char* event_name(std::uint8_t engine_event_kind);      // initiator::EventKind
const char* io_status_key(std::uint8_t engine_io_status);    // initiator::IoStatus

}  // namespace aoeh::faults
