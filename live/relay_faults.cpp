#include "live/relay_faults.hpp"

#include "faults/fault_text.hpp"
#include "sim/rng.hpp"

namespace aoeh::live {
namespace {

using faults::FaultPlan;
using faults::FaultSite;
using faults::FaultType;
using faults::Window;

// A cable that goes down for `down` at the start of every `period` (the simulator schedules flaps
// as link state changes; on a relay they are a periodic drop).
class FlapDrop final : public faults::LinkFault {
 public:
  FlapDrop(Window w, sim::Rng rng, sim::Nanos period, sim::Nanos down)
      : LinkFault(w, rng), start_(w.start), period_(period), down_(down) {
    declare({"dropped"});
  }
  void apply(sim::ImpairContext& f) override {
    if (period_ > 0 && (f.now() - start_) % period_ < down_) {
      f.drop();
      count("dropped");
    }
  }

 private:
  sim::Nanos start_, period_, down_;
};

// The directions a site covers, seen from the relay (A: initiator side, B: target side).
std::vector<RelayDirection> directions_of(const faults::Plan& plan, const FaultSite& s) {
  if (s.kind == FaultSite::Kind::Path) return {RelayDirection::AtoB, RelayDirection::BtoA};
  const bool host_on_a = s.index < plan.initiator_ports.size();
  const RelayDirection from_host = host_on_a ? RelayDirection::AtoB : RelayDirection::BtoA;
  const RelayDirection toward_host = host_on_a ? RelayDirection::BtoA : RelayDirection::AtoB;
  std::vector<RelayDirection> out;
  if (s.from_host) out.push_back(from_host);
  if (s.toward_host) out.push_back(toward_host);
  return out;
}

// A fault as the relay applies it: link impairments as the simulator builds them; down, partition
// and flap (link state changes in the simulator) as drops while they last.
std::unique_ptr<faults::LinkFault> make_model(const FaultPlan& f, Window w, sim::Rng r) {
  switch (f.type) {
    case FaultType::Down:
    case FaultType::Partition: return std::make_unique<faults::BlackHoleFault>(w, r);
    case FaultType::Flap: return std::make_unique<FlapDrop>(w, r, f.period, f.down_time);
    default: return faults::make_link_fault(f, w, r);
  }
}

}  // namespace

const char* relay_direction_name(RelayDirection d) { return d == RelayDirection::AtoB ? "a->b" : "b->a"; }

RelayFaultsResult relay_faults_from_plan(const faults::Plan& plan, std::uint64_t seed) {
  RelayFaultsResult result;
  RelayFaults out;
  for (std::size_t i = 0; i < plan.faults.size(); ++i) {
    const FaultPlan& f = plan.faults[i];
    const std::string where = "faults[" + std::to_string(i) + "]";
    const std::string name = faults::fault_type_name(f.type);
    if (f.site.kind == FaultSite::Kind::Target || f.site.kind == FaultSite::Kind::InitiatorPort) {
      result.error = where + ": " + name + " on " + faults::site_name(f.site) + ": the relay applies link faults only" +
                     (f.site.kind == FaultSite::Kind::Target ? " (target faults: aoeh serve --plan)" : "");
      return result;
    }
    const Window w = faults::fault_window(f);
    for (const RelayDirection d : directions_of(plan, f.site)) {
      const std::string stream = "relay:" + where + (d == RelayDirection::AtoB ? ":ab" : ":ba");
      auto model = make_model(f, w, sim::Rng::stream(seed, stream));
      if (!model) {
        result.error = where + ": the relay cannot apply " + name;
        return result;
      }
      out.faults.push_back({faults::describe_fault(f) + " (" + where + ")", d, model.get()});
      out.chains[static_cast<std::size_t>(d)].push_back(std::move(model));
    }
  }
  result.faults = std::move(out);
  return result;
}

}  // namespace aoeh::live
