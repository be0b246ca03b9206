// The ns-3 plan entry points in a build without ns-3: they say why instead of running.
#include "sim/ns3/ns3_plan.hpp"

namespace aoeh::ns3sim {

std::string unavailable_reason() { return AOEH_NS3_UNAVAILABLE_REASON; }

std::optional<std::string> unsupported(const faults::Plan&) {
  return "the ns-3 backend is not available in this build: " + unavailable_reason();
}

faults::ScenarioResult run_plan(const faults::Plan& plan, const faults::RunOptions&) {
  throw Unsupported(*unsupported(plan));
}

std::unique_ptr<faults::PlanBackend> make_backend(const faults::Plan& plan, std::uint64_t) {
  throw Unsupported(*unsupported(plan));
}

}  // namespace aoeh::ns3sim
