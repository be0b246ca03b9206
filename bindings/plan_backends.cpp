#include "bindings/plan_backends.hpp"

#include <pybind11/pybind11.h>

namespace aoeh::bindings {

void check_plan_backend(const std::string& backend) {
  if (backend != "sim" && backend != "ns3")
    throw pybind11::value_error("backend must be 'sim' or 'ns3', got '" + backend + "'");
}

faults::ScenarioResult run_plan_on(const std::string& backend, const faults::Plan& plan,
                                   const faults::RunOptions& options) {
  if (backend == "ns3")
    throw PlanBackendError("the ns3 backend cannot run fault plans in this build (no ns-3 plan runner)", "");
  return faults::run_plan(plan, options);
}

}  // namespace aoeh::bindings
