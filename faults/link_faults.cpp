#include "faults/link_faults.hpp"

#include <cmath>

#include "protocol/ata.hpp"
#include "protocol/header.hpp"

namespace aoeh::faults {

Window fault_window(const FaultPlan& f) {
  return Window{f.at, f.duration == sim::kNever ? sim::kNever : f.at + f.duration};
}

bool is_link_impairment(const FaultPlan& f) {
  switch (f.type) {
    case FaultType::Loss:
    case FaultType::BurstLoss:
    case FaultType::Delay:
    case FaultType::Duplicate:
    case FaultType::Reorder:
    case FaultType::CorruptDetected:
    case FaultType::CorruptUndetected:
    case FaultType::RateLimit:
    case FaultType::QueueOverflow:
    case FaultType::BlackHole: return true;
    case FaultType::Mtu: return f.site.kind != FaultSite::Kind::SwitchPort;
    default: return false;
  }
}

std::unique_ptr<LinkFault> make_link_fault(const FaultPlan& f, Window w, sim::Rng r) {
  switch (f.type) {
    case FaultType::Loss: return std::make_unique<LossFault>(w, r, f.probability);
    case FaultType::BurstLoss:
      return std::make_unique<BurstLossFault>(w, r, f.ge_p, f.ge_r, f.ge_loss_good, f.ge_loss_bad);
    case FaultType::Delay:
      return std::make_unique<DelayFault>(w, r, f.delay, f.jitter, f.normal_jitter, f.probability);
    case FaultType::Duplicate: return std::make_unique<DuplicateFault>(w, r, f.probability, f.gap);
    case FaultType::Reorder: return std::make_unique<ReorderFault>(w, r, f.probability, f.delay);
    case FaultType::CorruptDetected:
    case FaultType::CorruptUndetected:
      return std::make_unique<CorruptFault>(w, r, f.probability, f.type == FaultType::CorruptDetected,
                                            f.corrupt_bytes);
    case FaultType::RateLimit:
    case FaultType::QueueOverflow: return std::make_unique<ShaperFault>(w, r, f.rate, f.queue);
    case FaultType::Mtu: return std::make_unique<MtuFault>(w, r, f.mtu);
    case FaultType::BlackHole: return std::make_unique<BlackHoleFault>(w, r);
    default: return nullptr;
  }
}

void LinkFault::add_stats(FaultStats& out) const {
  out["frames_seen"] += seen_;
  for (const auto& [k, v] : counters_) out[k] += v;
}

void LossFault::apply(ImpairContext& f) {
  if (rng().chance(p_)) {
    f.drop();
    count("dropped");
  }
}

void BurstLossFault::apply(ImpairContext& f) {
  if (bad_) {
    if (rng().chance(r_)) bad_ = false;
  } else if (rng().chance(p_)) {
    bad_ = true;
    count("bursts");
  }
  if (rng().chance(bad_ ? loss_bad_ : loss_good_)) {
    f.drop();
    count("dropped");
    if (bad_) count("dropped_in_burst");
  }
}

void DelayFault::apply(ImpairContext& f) {
  if (!rng().chance(p_)) return;
  double d = static_cast<double>(delay_);
  if (jitter_ > 0) {
    if (normal_) {
      // Box-Muller: one standard normal from two uniforms (1 - u keeps the log finite).
      const double u1 = 1.0 - rng().uniform(), u2 = rng().uniform();
      d += static_cast<double>(jitter_) * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    } else {
      d += static_cast<double>(jitter_) * (2.0 * rng().uniform() - 1.0);
    }
  }
  if (jitter_ > 0 && std::fabs(d - static_cast<double>(delay_)) > static_cast<double>(jitter_)) count("beyond_jitter");
  const Nanos extra = d > 0 ? static_cast<Nanos>(d) : 0;
  f.add_delay(extra);
  count("delayed");
  count("delay_total_us", static_cast<std::uint64_t>(extra / 1000));
}

void DuplicateFault::apply(ImpairContext& f) {
  if (rng().chance(p_) && f.duplicate(gap_)) count("duplicated");
}

void ReorderFault::apply(ImpairContext& f) {
  if (rng().chance(p_)) {
    f.add_delay(hold_);
    count("held_back");
  }
}

void CorruptFault::apply(ImpairContext& f) {
  if (!rng().chance(p_)) return;
  if (detected_) {
    f.drop();
    count("fcs_errors");
    return;
  }
  // Only AoE ATA frames carrying sector data: the damage must reach a payload, not a header.
  const auto bytes = f.bytes();
  const auto h = proto::parse_header(bytes);
  if (!h || h->command != static_cast<std::uint8_t>(proto::Command::Ata) || h->is_error()) {
    count("skipped_no_data");
    return;
  }
  const auto body = proto::parse_ata_body(h.value(), bytes, false);
  if (!body || body->data.empty()) {
    count("skipped_no_data");
    return;
  }
  const std::size_t offset = static_cast<std::size_t>(body->data.data() - bytes.data());
  const std::size_t length = body->data.size();
  auto out = f.edit_bytes();
  for (std::uint32_t i = 0; i < bytes_; ++i) {
    const std::size_t at = offset + rng().below(length);
    out[at] ^= static_cast<std::uint8_t>(1 + rng().below(255));  // never a no-op
  }
  count("corrupted");
}

void ShaperFault::apply(ImpairContext& f) {
  const Nanos finish = tx_.admit(f.now(), f.bytes().size(), config_);
  if (finish < 0) {
    f.drop();
    count("queue_drops");
    return;
  }
  const Nanos wait = finish - f.now();
  f.add_delay(wait);
  if (wait > sim::serialisation_delay(f.bytes().size(), config_.bits_per_second)) count("queued");
  count("shaped");
}

void MtuFault::apply(ImpairContext& f) {
  if (f.bytes().size() > std::size_t{mtu_} + proto::kEthernetHeaderSize) {
    f.drop();
    count("mtu_drops");
  }
}

void SwitchIngressMtu::on_frame(ImpairContext& f) {
  if (f.bytes().size() > std::size_t{mtu_} + proto::kEthernetHeaderSize) {
    f.drop();
    ++drops_;
  }
}

void BlackHoleFault::apply(ImpairContext& f) {
  f.drop();
  count("dropped");
}

}  // namespace aoeh::faults
