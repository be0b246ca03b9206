#pragma once
// The per-link-direction impairment hook. Every frame entering a link direction passes through
// that direction's impairments (in the order they were added) before it is queued; each may drop,
// delay, duplicate, truncate or corrupt it. Fault injection (faults/) plugs its models in here.
#include <cstdint>
#include <span>

#include "sim/frame_pool.hpp"
#include "sim/rng.hpp"
#include "sim/time.hpp"

namespace aoeh::sim {

using LinkId = std::uint32_t;
enum class Direction : std::uint8_t { AtoB = 0, BtoA = 1 };

class ImpairContext {
 public:
  static constexpr int kMaxDuplicates = 4;

  ImpairContext(FramePool& pool, FrameHandle& frame, Nanos now, LinkId link, Direction dir)
      : pool_(pool), frame_(frame), now_(now), link_(link), dir_(dir) {}

  Nanos now() const { return now_; }
  LinkId link() const { return link_; }
  Direction direction() const { return dir_; }
  std::span<const std::uint8_t> bytes() const { return pool_.bytes(frame_); }

  // Writable bytes of this frame (copied first if other receivers share it, e.g. a flood).
  std::span<std::uint8_t> edit_bytes() {
    frame_ = pool_.make_unique(frame_);
    edited_ = true;
    return pool_.mutable_bytes(frame_);
  }
  void truncate(std::size_t length) {
    frame_ = pool_.make_unique(frame_);
    pool_.truncate(frame_, length);
    edited_ = true;
  }
  void drop() { dropped_ = true; }
  // Extra delay on top of queueing, serialisation and propagation (may reorder frames).
  void add_delay(Nanos extra) { delay_ += extra; }
  // One more copy of the frame, arriving `after` later than the original (returns false when full).
  bool duplicate(Nanos after = 0) {
    if (duplicates_ == kMaxDuplicates) return false;
    duplicate_after_[duplicates_++] = after;
    return true;
  }

  bool dropped() const { return dropped_; }
  bool edited() const { return edited_; }
  Nanos delay() const { return delay_; }
  int duplicates() const { return duplicates_; }
  Nanos duplicate_after(int i) const { return duplicate_after_[i]; }

 private:
  FramePool& pool_;
  FrameHandle& frame_;
  Nanos now_;
  LinkId link_;
  Direction dir_;
  bool dropped_ = false;
  bool edited_ = false;
  Nanos delay_ = 0;
  int duplicates_ = 0;
  Nanos duplicate_after_[kMaxDuplicates] = {};
};

class Impairment {
 public:
  virtual ~Impairment() = default;
  virtual void on_frame(ImpairContext& frame) = 0;
};

// Drops each frame independently with probability `p`, drawing from its own seeded stream.
class RandomLoss final : public Impairment {
 public:
  RandomLoss(Rng rng, double p) : rng_(rng), p_(p) {}
  void on_frame(ImpairContext& frame) override {
    ++seen_;
    if (rng_.chance(p_)) {
      ++dropped_;
      frame.drop();
    }
  }
  std::uint64_t seen() const { return seen_; }
  std::uint64_t dropped() const { return dropped_; }

 private:
  Rng rng_;
  double p_;
  std::uint64_t seen_ = 0, dropped_ = 0;
};

}  // namespace aoeh::sim
