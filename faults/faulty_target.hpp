#pragma once
// The reference target as a simulated host, with fault hooks at its frame boundary: requests may
// be swallowed (hang) or answered by an injector (AoE Error N, ATA errors on LBA ranges) before
// the target sees them; ATA replies may be cut short, mislabelled (tag, shelf, slot), duplicated,
// or followed by a replay of an older reply. Faults that are plain settings (resize, crash,
// bufcnt, ...) go straight to target() from the scenario.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "faults/link_faults.hpp"
#include "faults/plan.hpp"
#include "sim/host.hpp"
#include "sim/rng.hpp"
#include "sim/target/target.hpp"

namespace aoeh::faults {

// The target fault types FaultyTargetHost::add_fault takes (hang, aoe_error, ata_error, runt,
// wrong_tag, wrong_shelf, wrong_slot, duplicate_reply, stale_replay): installed once, the host
// acts them out in their window by itself.
bool is_frame_fault(FaultType t);

class FaultyTargetHost final : public sim::Host {
 public:
  explicit FaultyTargetHost(target::TargetConfig config) : target_(std::move(config)) {}

  target::Target& target() { return target_; }
  const target::Target& target() const { return target_; }
  // Sends what the target queued and re-arms the timer: call after changing target() directly.
  void pump();

  // Adds a frame-level fault (hang, aoe_error, ata_error, runt, wrong_*, duplicate_reply,
  // stale_replay) active in `window`. Returns its index for stats().
  std::size_t add_fault(const FaultPlan& plan, Window window, sim::Rng rng);
  void add_stats(std::size_t fault, FaultStats& out) const;

  // Power loss: the target's own crash, plus everything this host held for later (delayed
  // duplicates, the replay history): a rebooted target remembers nothing.
  void crash(Nanos now);

  // Feeds a frame to the target as if it had arrived on `port` (another host's command).
  void inject(std::uint32_t port, std::span<const std::uint8_t> frame);

  void start(Nanos now) override;
  void receive(std::uint32_t port, std::span<const std::uint8_t> frame, Nanos now) override;
  void timer(Nanos now) override;
  void port_changed(std::uint32_t port, bool up, std::uint32_t mtu, Nanos now) override;

 private:
  struct Fault {
    FaultPlan plan;
    Window window;
    sim::Rng rng;
    FaultStats stats;
  };
  struct Delayed {
    Nanos due = 0;
    std::uint32_t port = 0;
    std::vector<std::uint8_t> frame;
  };

  bool intercept(std::uint32_t port, std::span<const std::uint8_t> frame, Nanos now);
  void send_reply(std::uint32_t port, std::span<const std::uint8_t> frame, Nanos now);
  void send_later(Nanos due, std::uint32_t port, std::span<const std::uint8_t> frame);
  void remember(std::uint32_t port, std::span<const std::uint8_t> frame);
  void drain(Nanos now);
  void rearm();

  target::Target target_;
  std::vector<Fault> faults_;
  std::vector<Delayed> delayed_;         // small; kept sorted by due time
  std::vector<std::vector<std::uint8_t>> history_;  // stale replay ring of ATA replies
  std::vector<std::uint32_t> history_port_;
  std::size_t history_next_ = 0;
  std::size_t history_depth_ = 0;
  std::vector<std::uint8_t> scratch_;
};

}  // namespace aoeh::faults
