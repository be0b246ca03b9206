#pragma once
// The event queue: a 4-ary min-heap of small POD events ordered by (time, sequence number), so
// events due at the same instant run in the order they were scheduled. Every processed event is
// folded into a 64-bit hash; two runs are identical exactly when their hashes match (in practice).
#include <cstdint>
#include <vector>

#include "sim/hash.hpp"
#include "sim/time.hpp"

namespace aoeh::sim {

enum class EventKind : std::uint8_t {
  FrameArrival = 1,  // subject: link direction; frame: pool handle
  HostTimer = 2,     // subject: host id
  Action = 3,        // subject: action slot (a scheduled callback)
};

// 24 bytes. `order` is the sequence number shifted left by 8 with the kind in the low byte, so
// (time, order) compares as (time, sequence).
struct Event {
  Nanos time = 0;
  std::uint64_t order = 0;
  std::uint32_t subject = 0;
  std::uint32_t frame = 0;
  EventKind kind() const { return static_cast<EventKind>(order & 0xFF); }
  std::uint64_t seq() const { return order >> 8; }
};

class Scheduler {
 public:
  Nanos now() const { return now_; }
  std::uint64_t hash() const { return hash_; }
  std::uint64_t processed() const { return processed_; }
  std::size_t pending() const { return heap_.size(); }
  bool empty() const { return heap_.empty(); }
  Nanos next_time() const { return heap_.empty() ? kNever : heap_.front().time; }

  // Schedules an event; times in the past run at the current time (never travel backwards).
  void schedule(EventKind kind, Nanos time, std::uint32_t subject, std::uint32_t frame = 0) {
    heap_.push_back(Event{time < now_ ? now_ : time, (next_seq_++ << 8) | static_cast<std::uint8_t>(kind), subject, frame});
    sift_up(heap_.size() - 1);
  }

  // Pops the earliest event if it is due at or before `deadline` and advances time to it. The
  // caller then records it with fold_event().
  bool pop_due(Nanos deadline, Event& out) {
    if (heap_.empty() || heap_.front().time > deadline) return false;
    out = heap_.front();
    const Event last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(last);
    now_ = out.time;
    ++processed_;
    return true;
  }

  // Folds a processed event (time, kind, subject) and `content` (e.g. the frame's hash) into the
  // event-log hash: one finaliser per event, fields kept apart by distinct odd multipliers.
  void fold_event(const Event& e, std::uint64_t content) {
    const std::uint64_t kind_subject = ((e.order & 0xFF) << 32) | e.subject;
    hash_ = mix64(hash_ * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(e.time) * 0xC2B2AE3D27D4EB4Full +
                  kind_subject * 0x165667B19E3779F9ull + content);
  }

  // Moves the clock forward to `time` when nothing is due before it (run_until's deadline).
  void advance_to(Nanos time) {
    if (time > now_ && next_time() >= time) now_ = time;
  }

 private:
  static bool before(const Event& a, const Event& b) {
    __extension__ using u128 = unsigned __int128;  // one branch-free compare of (time, order)
    return ((u128(static_cast<std::uint64_t>(a.time)) << 64) | a.order) <
           ((u128(static_cast<std::uint64_t>(b.time)) << 64) | b.order);
  }
  // A 4-ary heap: half the levels of a binary one, and a node's children share a cache line or two.
  static constexpr std::size_t kArity = 4;
  void sift_up(std::size_t i) {
    const Event e = heap_[i];
    while (i > 0) {
      const std::size_t parent = (i - 1) / kArity;
      if (!before(e, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }
  // Places `e` (the former last element) from the root's hole: the hole first sinks to a leaf
  // along the smallest children (no comparison with `e`), then `e` rises from there. The last
  // element usually belongs near the bottom, so this needs fewer comparisons.
  void sift_down(const Event& e) {
    const std::size_t n = heap_.size();
    Event* h = heap_.data();
    std::size_t i = 0;
    for (;;) {
      const std::size_t first = kArity * i + 1;
      if (first >= n) break;
      std::size_t best = first;
      const std::size_t last = first + kArity < n ? first + kArity : n;
      for (std::size_t c = first + 1; c < last; ++c)
        if (before(h[c], h[best])) best = c;
      h[i] = h[best];
      i = best;
    }
    h[i] = e;
    sift_up(i);
  }

  std::vector<Event> heap_;
  Nanos now_ = 0;
  std::uint64_t next_seq_ = 0;
  std::uint64_t processed_ = 0;
  std::uint64_t hash_ = 0x5EED5EED5EED5EEDull;
};

}  // namespace aoeh::sim
