#pragma once
// ns-3 error models for one direction of one cable (installed as the receive error model of the
// device at the far end): the cable's down state, the switch port's MTU seen from this direction,
// and the plan's link faults in order, each active in its own time window and counting what it
// did under the fault's names (the same counters faults/link_faults.hpp keeps in-process).
// ns-3 internal: include only from sim/ns3/*.cpp.
#include <ns3/error-model.h>
#include <ns3/random-variable-stream.h>

#include <cstdint>
#include <vector>

#include "faults/link_faults.hpp"

namespace aoeh::sim::ns3app {

// Gilbert-Elliott burst loss (ns-3's BurstErrorModel draws burst lengths, not two Markov states):
// p = P(good -> bad), r = P(bad -> good) per frame, and a loss probability in each state. It counts
// "bursts", "dropped" and "dropped_in_burst" into `stats` itself (the in-process fault's names).
class GilbertElliottErrorModel final : public ns3::ErrorModel {
 public:
  static ns3::TypeId GetTypeId();
  void configure(double p, double r, double loss_good, double loss_bad, ns3::Ptr<ns3::RandomVariableStream> rng,
                 faults::FaultStats* stats);

 private:
  bool DoCorrupt(ns3::Ptr<ns3::Packet> p) override;
  void DoReset() override { bad_ = false; }
  double p_ = 0, r_ = 0, loss_good_ = 0, loss_bad_ = 1;
  bool bad_ = false;
  ns3::Ptr<ns3::RandomVariableStream> rng_;
  faults::FaultStats* stats_ = nullptr;
};

class CableErrorModel final : public ns3::ErrorModel {
 public:
  static ns3::TypeId GetTypeId();

  // One link fault: `model` decides per frame (or, with a zero model, every frame is dropped:
  // black hole; with mtu != 0, frames above it are dropped). Counters go to `stats`: frames seen,
  // and drops under `what` (null: the model counts its own, as GilbertElliottErrorModel does).
  struct Stage {
    faults::Window window;
    ns3::Ptr<ns3::ErrorModel> model;
    std::uint32_t mtu = 0;
    const char* what = "dropped";
    faults::FaultStats* stats = nullptr;
  };
  void add_stage(Stage stage);

  bool down = false;           // the cable is down (overlapping down faults are counted by the runner)
  std::uint32_t port_mtu = 0;  // the switch port's MTU in this direction (0: none)

  // Counters in sim::LinkCounters' terms.
  std::uint64_t frames = 0, delivered = 0, down_drops = 0, mtu_drops = 0, impairment_drops = 0;

 private:
  bool DoCorrupt(ns3::Ptr<ns3::Packet> p) override;
  void DoReset() override {}
  std::vector<Stage> stages_;
};

}  // namespace aoeh::sim::ns3app
