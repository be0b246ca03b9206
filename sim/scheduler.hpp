#pragma once
// The event queue: a binary min-heap of small POD events ordered by (time, sequence number), so
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

struct Event {
  Nanos time = 0;
  std::uint64_t seq = 0;
  std::uint32_t subject = 0;
  std::uint32_t frame = 0;
  EventKind kind = EventKind::Action;
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
    heap_.push_back(Event{time < now_ ? now_ : time, next_seq_++, subject, frame, kind});
    sift_up(heap_.size() - 1);
  }

  // Pops the earliest event if it is due at or before `deadline`, advancing time to it and
  // folding (time, kind, subject) into the hash. The caller folds any frame content it delivers.
  bool pop_due(Nanos deadline, Event& out) {
    if (heap_.empty() || heap_.front().time > deadline) return false;
    out = heap_.front();
    const Event last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(last);
    now_ = out.time;
    ++processed_;
    hash_ = fold(fold(hash_, static_cast<std::uint64_t>(out.time)),
                 (std::uint64_t{static_cast<std::uint8_t>(out.kind)} << 32) | out.subject);
    return true;
  }

  void fold_into_hash(std::uint64_t value) { hash_ = fold(hash_, value); }

  // Moves the clock forward to `time` when nothing is due before it (run_until's deadline).
  void advance_to(Nanos time) {
    if (time > now_ && next_time() >= time) now_ = time;
  }

 private:
  static bool before(const Event& a, const Event& b) { return a.time < b.time || (a.time == b.time && a.seq < b.seq); }
  void sift_up(std::size_t i) {
    const Event e = heap_[i];
    while (i > 0) {
      const std::size_t parent = (i - 1) / 2;
      if (!before(e, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }
  // Places `e` (the former last element) starting from the root's hole.
  void sift_down(const Event& e) {
    const std::size_t n = heap_.size();
    std::size_t i = 0;
    for (;;) {
      std::size_t child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && before(heap_[child + 1], heap_[child])) ++child;
      if (!before(heap_[child], e)) break;
      heap_[i] = heap_[child];
      i = child;
    }
    heap_[i] = e;
  }

  std::vector<Event> heap_;
  Nanos now_ = 0;
  std::uint64_t next_seq_ = 0;
  std::uint64_t processed_ = 0;
  std::uint64_t hash_ = 0x5EED5EED5EED5EEDull;
};

}  // namespace aoeh::sim
