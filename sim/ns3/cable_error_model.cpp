#include "sim/ns3/cable_error_model.hpp"

#include <ns3/packet.h>
#include <ns3/simulator.h>

namespace aoeh::sim::ns3app {

ns3::TypeId GilbertElliottErrorModel::GetTypeId() {
  static ns3::TypeId tid =
      ns3::TypeId("aoeh::GilbertElliottErrorModel").SetParent<ns3::ErrorModel>().SetGroupName("aoeh");
  return tid;
}

void GilbertElliottErrorModel::configure(double p, double r, double loss_good, double loss_bad,
                                         ns3::Ptr<ns3::RandomVariableStream> rng, faults::FaultStats* stats) {
  p_ = p, r_ = r, loss_good_ = loss_good, loss_bad_ = loss_bad;
  rng_ = rng;
  stats_ = stats;
  for (const char* k : {"bursts", "dropped", "dropped_in_burst"}) (*stats_)[k] += 0;
}

bool GilbertElliottErrorModel::DoCorrupt(ns3::Ptr<ns3::Packet>) {
  // The state moves first, then the frame is judged in the state it meets (as in-process).
  if (bad_) {
    if (rng_->GetValue() < r_) bad_ = false;
  } else if (rng_->GetValue() < p_) {
    bad_ = true;
    ++(*stats_)["bursts"];
  }
  const bool drop = rng_->GetValue() < (bad_ ? loss_bad_ : loss_good_);
  if (drop) {
    ++(*stats_)["dropped"];
    if (bad_) ++(*stats_)["dropped_in_burst"];
  }
  return drop;
}

ns3::TypeId CableErrorModel::GetTypeId() {
  static ns3::TypeId tid = ns3::TypeId("aoeh::CableErrorModel").SetParent<ns3::ErrorModel>().SetGroupName("aoeh");
  return tid;
}

void CableErrorModel::add_stage(Stage stage) {
  (*stage.stats)["frames_seen"] += 0;
  if (stage.what) (*stage.stats)[stage.what] += 0;
  stages_.push_back(stage);
}

bool CableErrorModel::DoCorrupt(ns3::Ptr<ns3::Packet> p) {
  ++frames;
  if (down) return ++down_drops, true;
  const std::uint32_t size = p->GetSize();
  if (port_mtu != 0 && size > port_mtu) return ++mtu_drops, true;
  const Nanos now = ns3::Simulator::Now().GetNanoSeconds();
  for (Stage& s : stages_) {
    if (!s.window.contains(now)) continue;
    ++(*s.stats)["frames_seen"];
    const bool drop = s.mtu != 0 ? size > s.mtu : s.model ? s.model->IsCorrupt(p) : true;
    if (drop) {
      if (s.what) ++(*s.stats)[s.what];
      ++impairment_drops;
      return true;
    }
  }
  ++delivered;
  return false;
}

}  // namespace aoeh::sim::ns3app
