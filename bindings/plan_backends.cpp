#include "bindings/plan_backends.hpp"

#include <pybind11/pybind11.h>

#include <regex>

#ifdef AOEH_HAVE_NS3_PLANS
#include "sim/ns3/ns3_plan.hpp"
#endif

namespace aoeh::bindings {
namespace {

#ifdef AOEH_HAVE_NS3_PLANS
// "... at faults[5] ..." -> "faults[5]": the field a backend refused, for PlanError.path.
std::string field_named(const std::string& message) {
  static const std::regex field(R"((faults\[\d+\]))");
  std::smatch m;
  return std::regex_search(message, m, field) ? m.str(1) : std::string();
}
#endif

}  // namespace

void check_plan_backend(const std::string& backend) {
  if (backend != "sim" && backend != "ns3")
    throw pybind11::value_error("backend must be 'sim' or 'ns3', got '" + backend + "'");
}

std::string backend_unavailable(const std::string& backend) {
  if (backend == "sim") return "";
#ifdef AOEH_HAVE_NS3_PLANS
  return ns3sim::unavailable_reason();
#else
  return "this build has no ns-3 plan runner (sim/ns3/ns3_plan.hpp)";
#endif
}

faults::ScenarioResult run_plan_on(const std::string& backend, const faults::Plan& plan,
                                   const faults::RunOptions& options) {
  if (backend == "sim") return faults::run_plan(plan, options);
#ifdef AOEH_HAVE_NS3_PLANS
  try {
    return ns3sim::run_plan(plan, options);
  } catch (const ns3sim::Unsupported& e) {
    throw PlanBackendError(e.what(), field_named(e.what()));
  } catch (const std::logic_error& e) {  // ns-3 is process-global: another run is in progress
    throw std::runtime_error(std::string("ns3 backend: ") + e.what());
  }
#else
  throw PlanBackendError("the ns3 backend cannot run fault plans in this build (no ns-3 plan runner)", "");
#endif
}

}  // namespace aoeh::bindings
