#include "bindings/impairments.hpp"

#include "protocol/constants.hpp"

namespace aoeh::bindings {

bool FrameMatch::matches(std::span<const std::uint8_t> f) const {
  if (f.size() < min_length) return false;
  if (broadcast_only) {
    if (f.size() < 6) return false;
    for (int i = 0; i < 6; ++i)
      if (f[i] != 0xFF) return false;
  }
  if (command < 0 && response < 0 && ata_command < 0) return true;
  if (f.size() < 24 || f[12] != 0x88 || f[13] != 0xA2) return false;
  if (command >= 0 && f[19] != command) return false;
  if (response >= 0 && ((f[14] & proto::kFlagResponse) != 0) != (response == 1)) return false;
  if (ata_command >= 0 && (f.size() < 28 || f[19] != 0 || f[27] != ata_command)) return false;
  return true;
}

void DropFilter::on_frame(sim::ImpairContext& f) {
  if (!state_->active || f.now() < start_ || f.now() >= end_) return;
  if (!match_.matches(f.bytes())) return;
  ++state_->seen;
  if (budget_ != 0 && state_->dropped >= budget_) return;
  if (!rng_.chance(p_)) return;
  ++state_->dropped;
  f.drop();
}

PythonFilter::~PythonFilter() = default;  // the world (and so this) dies with the GIL held

void PythonFilter::remove() {
  if (!state_->active) return;
  state_->active = false;
  fn_ = py::object();
  --world_.python_hooks;
}

void PythonFilter::on_frame(sim::ImpairContext& f) {
  if (!state_->active) return;
  ++state_->seen;
  try {
    const auto b = f.bytes();
    py::bytes frame(reinterpret_cast<const char*>(b.data()), b.size());
    if (py::bool_(fn_(frame, static_cast<double>(f.now()) / 1e9))) {
      ++state_->dropped;
      f.drop();
    }
  } catch (py::error_already_set& e) {
    world_.hook_failed(e);
  }
}

}  // namespace aoeh::bindings
