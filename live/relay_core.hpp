#pragma once
// The sans-IO heart of `aoeh relay`: frames in (with the time they arrived), frames out when they
// are due. Each frame passes its direction's fault chain (live/relay_faults.hpp), which may drop,
// delay, duplicate or corrupt it; frames then leave in due order (arrival order among equals).
// No sockets and no clock: the driver passes time in, as nanoseconds since the relay started.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "live/relay_faults.hpp"
#include "sim/frame_pool.hpp"
#include "sim/time.hpp"

namespace aoeh::live {

struct RelayCounters {
  std::uint64_t received = 0;       // frames that entered this direction
  std::uint64_t forwarded = 0;      // copies handed out (duplicates included)
  std::uint64_t bytes_forwarded = 0;
  std::uint64_t dropped = 0;        // by a fault (loss, down, MTU, queue overflow, ...)
  std::uint64_t duplicated = 0;     // extra copies made
  std::uint64_t delayed = 0;        // frames held back by a fault (delay, reorder, rate limit)
  std::uint64_t corrupted = 0;      // bytes changed by a fault and delivered
};

class RelayCore {
 public:
  explicit RelayCore(RelayFaults faults);

  // A frame that arrived at `now` (non-decreasing between calls) to travel in direction `d`.
  void handle_frame(RelayDirection d, std::span<const std::uint8_t> frame, sim::Nanos now);

  struct Output {
    RelayDirection direction;
    std::span<const std::uint8_t> bytes;  // valid until the next call into the core
  };
  // The next frame due at or before `now`, or nothing.
  std::optional<Output> poll_transmit(sim::Nanos now);
  // When the next held frame is due (sim::kNever when none is held).
  sim::Nanos next_due() const { return queue_.empty() ? sim::kNever : queue_.front().due; }

  const RelayCounters& counters(RelayDirection d) const { return counters_[static_cast<std::size_t>(d)]; }
  const RelayFaults& faults() const { return faults_; }
  // The named counters of one entry of faults().faults ("frames_seen", "dropped", ...).
  faults::FaultStats fault_stats(std::size_t i) const;

 private:
  struct Held {
    sim::Nanos due;
    std::uint64_t seq;
    sim::FrameHandle frame;
    RelayDirection direction;
  };
  struct Later {
    bool operator()(const Held& a, const Held& b) const { return a.due != b.due ? a.due > b.due : a.seq > b.seq; }
  };
  void push(Held h);
  void release_last();

  RelayFaults faults_;
  sim::FramePool pool_;
  std::vector<Held> queue_;  // min-heap on (due, seq)
  std::uint64_t seq_ = 0;
  std::optional<sim::FrameHandle> last_out_;
  RelayCounters counters_[kRelayDirections];
};

}  // namespace aoeh::live
