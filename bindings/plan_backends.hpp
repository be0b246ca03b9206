#pragma once
// Which engine runs a plan: "sim" (faults::run_plan on the in-process simulator) or "ns3".
// Kept apart from the Python glue so it runs without the GIL.
#include <stdexcept>
#include <string>

#include "faults/scenario.hpp"

namespace aoeh::bindings {

// A plan the backend cannot run (a fault it cannot express, a backend not built): a PlanError.
class PlanBackendError : public std::runtime_error {
 public:
  PlanBackendError(const std::string& message, std::string field_path)
      : std::runtime_error(message), path(std::move(field_path)) {}
  std::string path;
};

// Raises ValueError for an unknown backend name (with the GIL held).
void check_plan_backend(const std::string& backend);
// "" when `backend` can run plans in this build, else why not.
std::string backend_unavailable(const std::string& backend);
faults::ScenarioResult run_plan_on(const std::string& backend, const faults::Plan& plan, const faults::RunOptions& options);

}  // namespace aoeh::bindings
