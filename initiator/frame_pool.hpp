#pragma once
// Frame slots: one per ATA command in flight (queued for retransmission, outstanding, or waiting
// to retry). Slots are recycled first-in first-out so a slot's previous tags stay recognisable
// (as duplicates) for as long as possible; the pool only grows when more frames are live at once
// than ever before.
#include <cstdint>
#include <limits>
#include <vector>

#include "initiator/ring.hpp"
#include "initiator/tag.hpp"
#include "initiator/types.hpp"

namespace aoeh::initiator {

inline constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

enum class FrameState : std::uint8_t {
  Free,
  Ready,        // waiting in its device's ready queue for a window slot (new IDENTIFY, retransmission)
  Outstanding,  // on the wire, counted in its path's window
  Waiting,      // AoE Error 3 (device unavailable): resent at `deadline`, not in any window
};

enum class FrameKind : std::uint8_t { Io, Identify };

// How a reply's tag relates to a slot.
enum class TagMatch : std::uint8_t {
  Current,    // the latest transmission of a live frame
  Earlier,    // an earlier transmission of a live frame (late reply)
  Finished,   // a transmission of a frame that already completed (duplicate)
  Cancelled,  // a transmission of a frame cancelled with its failed request
  Unknown,
};

struct Frame {
  FrameState state = FrameState::Free;
  FrameKind kind = FrameKind::Io;
  bool cancelled = false;        // for Free slots: the last occupant was cancelled, not answered
  std::uint8_t sectors = 0;      // data sectors (0: FLUSH; IDENTIFY: 1)
  std::uint8_t backoff = 0;      // consecutive timeouts of this frame
  std::uint8_t error_retries = 0;  // AoE Error 3 replies so far
  std::uint16_t path = 0;        // path index in its device (last transmission)
  std::uint16_t way = 0;         // way index in that path
  std::uint16_t first_path = 0;  // path of the first transmission (its late reply is that path's RTT sample)
  std::uint32_t device = kNone;
  std::uint32_t request = kNone; // request slot; kNone for IDENTIFY
  std::uint32_t epoch = 0;       // occupancy counter: queue entries name (slot, epoch)
  std::uint32_t first_gen = 0;   // transmissions of this occupant: first_gen..gen
  std::uint32_t gen = 0;         // slot's transmission counter (never reused within a slot)
  std::uint64_t lba = 0;
  Nanos sent_at = 0;             // latest transmission
  Nanos first_sent_at = 0;       // first transmission (an RTT sample when its late reply comes)
  Nanos deadline = kNever;

  std::uint32_t tag(std::uint32_t slot) const { return tag::make(slot, gen); }
  bool live() const { return state != FrameState::Free; }
};

// A reference to one occupancy of a slot, for queues that may outlive it.
struct FrameRef {
  std::uint32_t slot = 0;
  std::uint32_t epoch = 0;
};

class FramePool {
 public:
  // Returns a slot index in state Ready, or kNone when the tag space is exhausted.
  std::uint32_t allocate() {
    std::uint32_t slot;
    if (!free_.empty()) {
      slot = free_.pop_front();
    } else {
      if (frames_.size() >= tag::kMaxSlots) return kNone;
      slot = static_cast<std::uint32_t>(frames_.size());
      frames_.emplace_back();
    }
    Frame& f = frames_[slot];
    const std::uint32_t gen = f.gen;
    const std::uint32_t epoch = f.epoch + 1;
    f = Frame{};
    f.gen = gen;
    f.epoch = epoch;
    f.first_gen = gen + 1;  // the first transmission increments gen to this
    f.state = FrameState::Ready;
    ++live_;
    return slot;
  }

  void release(std::uint32_t slot, bool cancelled) {
    Frame& f = frames_[slot];
    f.state = FrameState::Free;
    f.cancelled = cancelled;
    f.deadline = kNever;
    --live_;
    free_.push_back(slot);
  }

  // Classifies a reply tag (the tool bit already excluded). `answered_gen` receives the slot
  // transmission the tag names (meaningful for Current and Earlier).
  TagMatch match(std::uint32_t reply_tag, std::uint32_t* answered_gen = nullptr) const {
    const std::uint32_t slot = tag::slot_of(reply_tag);
    if (slot >= frames_.size()) return TagMatch::Unknown;
    const Frame& f = frames_[slot];
    if (f.gen == 0) return TagMatch::Unknown;  // never transmitted
    // Distance back from the slot's latest transmission, modulo the tag's generation bits.
    const std::uint32_t back = (f.gen - tag::gen_of(reply_tag)) & tag::kGenMask;
    if (answered_gen != nullptr) *answered_gen = f.gen - back;
    const std::uint32_t sent_by_occupant = f.live() && f.gen >= f.first_gen ? f.gen - f.first_gen + 1 : 0;
    if (back < sent_by_occupant) return back == 0 ? TagMatch::Current : TagMatch::Earlier;
    // Older transmissions of this slot (within half the generation space, to stay unambiguous).
    if (back >= f.gen || back > tag::kGenMask / 2) return TagMatch::Unknown;
    if (!f.live() && f.cancelled && f.gen - back >= f.first_gen) return TagMatch::Cancelled;
    return TagMatch::Finished;
  }

  bool is(FrameRef r, FrameState s) const {
    return r.slot < frames_.size() && frames_[r.slot].epoch == r.epoch && frames_[r.slot].state == s;
  }

  Frame& operator[](std::uint32_t slot) { return frames_[slot]; }
  const Frame& operator[](std::uint32_t slot) const { return frames_[slot]; }
  std::uint32_t size() const { return static_cast<std::uint32_t>(frames_.size()); }
  std::uint32_t live() const { return live_; }

 private:
  std::vector<Frame> frames_;
  Ring<std::uint32_t> free_{64};
  std::uint32_t live_ = 0;
};

}  // namespace aoeh::initiator
