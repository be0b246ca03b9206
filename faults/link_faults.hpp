#pragma once
// Link-direction fault models, plugged into the simulator's per-direction Impairment hook. Each
// acts only inside its time window, draws from its own seeded stream, and counts what it did.
// (Down, flap and partition are link state changes, scheduled by the scenario, not impairments.)
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>

#include "faults/plan.hpp"
#include "sim/impairment.hpp"
#include "sim/link.hpp"
#include "sim/rng.hpp"

namespace aoeh::faults {

using sim::ImpairContext;
using sim::Nanos;

// Named counters of one fault, summed over every place it acts (ordered: stable output).
using FaultStats = std::map<std::string, std::uint64_t>;

struct Window {
  Nanos start = 0;
  Nanos end = sim::kNever;  // exclusive
  bool contains(Nanos t) const { return t >= start && t < end; }
};

// When a plan fault acts: from its `at`, for its duration (kNever: to the end of the run).
Window fault_window(const FaultPlan& f);

class LinkFault : public sim::Impairment {
 public:
  LinkFault(Window w, sim::Rng rng) : window_(w), rng_(rng) {}
  void on_frame(ImpairContext& frame) final {
    if (!window_.contains(frame.now())) return;
    ++seen_;
    apply(frame);
  }
  // Adds this instance's counters (and "frames_seen") into `out`.
  void add_stats(FaultStats& out) const;

 protected:
  virtual void apply(ImpairContext& frame) = 0;
  void count(const char* what, std::uint64_t n = 1) { counters_[what] += n; }
  // Counters that show (as 0) even when nothing happened, so plans can expect them.
  void declare(std::initializer_list<const char*> names) {
    for (const char* n : names) counters_[n] += 0;
  }
  sim::Rng& rng() { return rng_; }

 private:
  Window window_;
  sim::Rng rng_;
  std::uint64_t seen_ = 0;
  std::map<std::string, std::uint64_t> counters_;
};

// Independent loss with probability p.
class LossFault final : public LinkFault {
 public:
  LossFault(Window w, sim::Rng rng, double p) : LinkFault(w, rng), p_(p) { declare({"dropped"}); }
  void apply(ImpairContext& f) override;

 private:
  double p_;
};

// Gilbert-Elliott burst loss: a good and a bad state, p = P(good -> bad), r = P(bad -> good) per
// frame, and a loss probability in each state (classically 0 and 1).
class BurstLossFault final : public LinkFault {
 public:
  BurstLossFault(Window w, sim::Rng rng, double p, double r, double loss_good, double loss_bad)
      : LinkFault(w, rng), p_(p), r_(r), loss_good_(loss_good), loss_bad_(loss_bad) {
    declare({"bursts", "dropped", "dropped_in_burst"});
  }
  void apply(ImpairContext& f) override;

 private:
  double p_, r_, loss_good_, loss_bad_;
  bool bad_ = false;
};

// Extra delay: `delay` plus jitter, uniform in [-jitter, +jitter] or normal with sd `jitter`,
// never below zero. Independent per frame, so jitter reorders (like netem).
class DelayFault final : public LinkFault {
 public:
  DelayFault(Window w, sim::Rng rng, Nanos delay, Nanos jitter, bool normal, double p)
      : LinkFault(w, rng), delay_(delay), jitter_(jitter), normal_(normal), p_(p) {
    declare({"delayed"});
  }
  void apply(ImpairContext& f) override;

 private:
  Nanos delay_, jitter_;
  bool normal_;
  double p_;
};

// With probability p, a second copy arrives `gap` after the first.
class DuplicateFault final : public LinkFault {
 public:
  DuplicateFault(Window w, sim::Rng rng, double p, Nanos gap) : LinkFault(w, rng), p_(p), gap_(gap) {
    declare({"duplicated"});
  }
  void apply(ImpairContext& f) override;

 private:
  double p_;
  Nanos gap_;
};

// With probability p, a frame is held back by `hold` so the frames behind it overtake it.
class ReorderFault final : public LinkFault {
 public:
  ReorderFault(Window w, sim::Rng rng, double p, Nanos hold) : LinkFault(w, rng), p_(p), hold_(hold) {
    declare({"held_back"});
  }
  void apply(ImpairContext& f) override;

 private:
  double p_;
  Nanos hold_;
};

// Bit errors. Detected: the receiver's FCS check fails and the frame is discarded (counted as
// fcs_errors). Undetected: `bytes` bytes of the frame's AoE sector data are changed (the FCS was
// recomputed, e.g. by a faulty switch) and the frame is delivered; frames without sector data
// pass untouched.
class CorruptFault final : public LinkFault {
 public:
  CorruptFault(Window w, sim::Rng rng, double p, bool detected, std::uint32_t bytes)
      : LinkFault(w, rng), p_(p), detected_(detected), bytes_(bytes) {
    declare({detected ? "fcs_errors" : "corrupted"});
  }
  void apply(ImpairContext& f) override;

 private:
  double p_;
  bool detected_;
  std::uint32_t bytes_;
};

// A bottleneck queue in front of the link direction: a FIFO served at `rate` holding at most
// `queue` frames. Frames wait their turn (delayed); frames that find it full are dropped.
class ShaperFault final : public LinkFault {
 public:
  ShaperFault(Window w, sim::Rng rng, std::uint64_t rate, std::uint32_t queue)
      : LinkFault(w, rng), config_{rate, 0, queue} {
    declare({"shaped", "queued", "queue_drops"});
  }
  void apply(ImpairContext& f) override;

 private:
  sim::LinkConfig config_;
  sim::Transmitter tx_;
};

// Frames whose payload (after the 14-byte Ethernet header) exceeds `mtu` are dropped.
class MtuFault final : public LinkFault {
 public:
  MtuFault(Window w, sim::Rng rng, std::uint32_t mtu) : LinkFault(w, rng), mtu_(mtu) { declare({"mtu_drops"}); }
  void apply(ImpairContext& f) override;

 private:
  std::uint32_t mtu_;
};

// A switch port's MTU on ingress: real switches drop giants arriving on a port as well as those
// leaving it (the simulator's switch checks egress only). Always installed; the MTU may change.
class SwitchIngressMtu final : public sim::Impairment {
 public:
  explicit SwitchIngressMtu(std::uint32_t mtu) : mtu_(mtu) {}
  void on_frame(ImpairContext& f) override;
  void set_mtu(std::uint32_t mtu) { mtu_ = mtu; }
  std::uint32_t mtu() const { return mtu_; }
  std::uint64_t drops() const { return drops_; }

 private:
  std::uint32_t mtu_;
  std::uint64_t drops_ = 0;
};

// Everything is silently discarded (one direction only: the link stays up).
class BlackHoleFault final : public LinkFault {
 public:
  BlackHoleFault(Window w, sim::Rng rng) : LinkFault(w, rng) { declare({"dropped"}); }
  void apply(ImpairContext& f) override;
};

// The faults that are one LinkFault per cable direction of their site: loss, burst_loss, delay,
// duplicate, reorder, corrupt, rate_limit, queue_overflow, black_hole, and mtu on a link (on a
// switch port, mtu changes the port's own MTU). Down, flap and partition change the link's state;
// the rest act on targets or initiator ports.
bool is_link_impairment(const FaultPlan& f);
// The impairment a fault of those types stands for, acting in `w`; null for any other type.
std::unique_ptr<LinkFault> make_link_fault(const FaultPlan& f, Window w, sim::Rng rng);

}  // namespace aoeh::faults
