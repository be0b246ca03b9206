#pragma once
// The event queue: small POD events ordered by (time, sequence number), so events due at the same
// instant run in the order they were scheduled. Every processed event is
// folded into a 64-bit hash; two runs are identical exactly when their hashes match (in practice).
#include <array>
#include <cstdint>
#include <memory>
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

// Near events (the common case: frames due within about a millisecond) sit in a timing wheel of
// 4,096 buckets of 256 ns, with a two-level bitmap to find the first non-empty bucket in O(1).
// A bucket is an unordered list linked through a pool of nodes (a push is O(1) however many
// events share the bucket); the earliest bucket is moved into one small heap when the clock gets
// there, and events for that bucket go straight to the heap. The pool recycles nodes last-in
// first-out and keeps them in fixed chunks, so the nodes in use stay in cache and a flood of
// millions of events grows it without copies. (A vector-backed heap per bucket, as before, spread
// 1.5 MB over the wheel, and every bucket was a cache miss by the time the clock came round to it
// again; lists kept sorted instead took O(n) per insertion into a crowded bucket.) Events beyond
// the wheel's span (timers, scripted actions) go to one more heap. pop_due takes the smaller of
// the two heaps' heads, so the order is exactly (time, sequence) whichever structure holds an event.
class Scheduler {
 public:
  Scheduler() { head_.fill(kNil); }
  Nanos now() const { return now_; }
  std::uint64_t hash() const { return hash_; }
  std::uint64_t processed() const { return processed_; }
  std::size_t pending() const { return pending_; }
  bool empty() const { return pending_ == 0; }
  Nanos next_time() const {
    Nanos t = kNever;
    if (!current_.empty()) t = current_.front().time;
    else if (listed_ != 0) t = earliest_listed();
    if (!far_.empty() && far_.front().time < t) t = far_.front().time;  // equal times: same answer
    return t;
  }

  // Schedules an event; times in the past run at the current time (never travel backwards).
  void schedule(EventKind kind, Nanos time, std::uint32_t subject, std::uint32_t frame = 0) {
    Event e;
    e.time = time < now_ ? now_ : time;
    e.order = (next_seq_++ << 8) | static_cast<std::uint8_t>(kind);
    e.subject = subject;
    e.frame = frame;
    ++pending_;
    const std::uint64_t bucket = static_cast<std::uint64_t>(e.time) >> kShift;
    if (bucket - base_ >= kBuckets) return heap_push(far_, e);
    if (!current_.empty()) {
      if (bucket == current_bucket_) return heap_push(current_, e);
      // Earlier than the bucket being drained (the clock stopped short of it at a deadline): put
      // that bucket back in the wheel, so the heap only ever holds the earliest bucket.
      if (bucket < current_bucket_) unload_current();
    }
    list_push(static_cast<std::uint32_t>(bucket & kMask), e);
  }

  // Pops the earliest event if it is due at or before `deadline` and advances time to it. The
  // caller then records it with fold_event().
  bool pop_due(Nanos deadline, Event& out) {
    if (pending_ == 0) return false;
    if (current_.empty() && listed_ != 0) {
      const std::uint32_t b = first_bucket();
      const std::uint32_t n = head_[b];
      if (node(n).next != kNil) {
        load_first_bucket(b);
      } else if (far_.empty() || before(node(n).e, far_.front())) {
        // A bucket of one event (the usual case): no heap.
        if (node(n).e.time > deadline) return false;
        out = node(n).e;
        unlink_bucket(b);
        free_node(n);
        --listed_;
        return popped(out);
      }
    }
    if (!current_.empty() && (far_.empty() || before(current_.front(), far_.front()))) {
      if (current_.front().time > deadline) return false;
      out = current_.front();
      heap_pop(current_);
    } else {
      if (far_.front().time > deadline) return false;
      out = far_.front();
      heap_pop(far_);
    }
    return popped(out);
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
    if (time > now_ && next_time() >= time) set_now(time);
  }

 private:
  static constexpr unsigned kShift = 8;            // 256 ns per bucket
  static constexpr std::uint32_t kBuckets = 4096;  // a span of about 1 ms
  static constexpr std::uint32_t kMask = kBuckets - 1;
  static constexpr std::uint32_t kNil = 0xFFFFFFFF;
  static constexpr std::uint32_t kWords = kBuckets / 64;
  static_assert(kWords <= 64, "one summary word covers the bitmap");
  static bool before(const Event& a, const Event& b) {
    __extension__ using u128 = unsigned __int128;  // one branch-free compare of (time, order)
    return ((u128(static_cast<std::uint64_t>(a.time)) << 64) | a.order) <
           ((u128(static_cast<std::uint64_t>(b.time)) << 64) | b.order);
  }

  // Every wheel event lies in the absolute buckets [base_, base_ + kBuckets): it was inside that
  // window when scheduled and is not earlier than now. So, read circularly from base_'s slot, the
  // slots come in time order.
  void set_now(Nanos t) {
    now_ = t;
    base_ = static_cast<std::uint64_t>(t) >> kShift;
  }

  // The first non-empty slot at or after base_'s, circularly (the wheel must not be empty).
  std::uint32_t first_bucket() const {
    const std::uint32_t start = static_cast<std::uint32_t>(base_ & kMask);
    std::uint32_t w = start >> 6;
    const std::uint64_t here = words_[w] & (~std::uint64_t{0} << (start & 63));
    if (here) return (w << 6) | static_cast<std::uint32_t>(__builtin_ctzll(here));
    std::uint64_t later = w + 1 < 64 ? summary_ & (~std::uint64_t{0} << (w + 1)) : 0;
    if (!later) later = summary_;  // wrap around (word w's bits below `start` included)
    w = static_cast<std::uint32_t>(__builtin_ctzll(later));
    return (w << 6) | static_cast<std::uint32_t>(__builtin_ctzll(words_[w]));
  }

  std::uint32_t new_node() {
    std::uint32_t n = free_;
    if (n != kNil) {
      free_ = node(n).next;
      return n;
    }
    if (node_count_ == chunks_.size() << kChunkShift) chunks_.push_back(std::make_unique<Node[]>(kChunkNodes));
    return node_count_++;
  }

  void free_node(std::uint32_t n) {
    node(n).next = free_;
    free_ = n;
  }

  void list_push(std::uint32_t b, const Event& e) {
    const std::uint32_t n = new_node();
    node(n).e = e;
    node(n).next = head_[b];
    if (head_[b] == kNil) {
      words_[b >> 6] |= std::uint64_t{1} << (b & 63);
      summary_ |= std::uint64_t{1} << (b >> 6);
    }
    head_[b] = n;
    ++listed_;
  }

  bool popped(const Event& e) {
    --pending_;
    set_now(e.time);
    ++processed_;
    return true;
  }

  void unlink_bucket(std::uint32_t b) {
    head_[b] = kNil;
    words_[b >> 6] &= ~(std::uint64_t{1} << (b & 63));
    if (words_[b >> 6] == 0) summary_ &= ~(std::uint64_t{1} << (b >> 6));
  }

  // Moves bucket `b`, the first non-empty one, into the (empty) current heap.
  void load_first_bucket(std::uint32_t b) {
    const std::uint32_t base_slot = static_cast<std::uint32_t>(base_ & kMask);
    current_bucket_ = base_ + ((b - base_slot) & kMask);
    for (std::uint32_t n = head_[b]; n != kNil;) {
      heap_push(current_, node(n).e);
      const std::uint32_t next = node(n).next;
      free_node(n);
      n = next;
      --listed_;
    }
    unlink_bucket(b);
  }

  void unload_current() {
    const auto b = static_cast<std::uint32_t>(current_bucket_ & kMask);
    for (const Event& e : current_) list_push(b, e);
    current_.clear();
  }

  // The earliest time in the first non-empty list (only for next_time: lists are unordered).
  Nanos earliest_listed() const {
    Nanos t = kNever;
    for (std::uint32_t n = head_[first_bucket()]; n != kNil; n = node(n).next)
      if (node(n).e.time < t) t = node(n).e.time;
    return t;
  }

  // 4-ary min-heaps in vectors: half the levels of a binary heap.
  static constexpr std::size_t kArity = 4;
  static void heap_push(std::vector<Event>& heap, const Event& e) {
    heap.push_back(e);
    sift_up(heap.data(), heap.size() - 1, e);
  }
  static void sift_up(Event* h, std::size_t i, const Event e) {
    while (i > 0) {
      const std::size_t parent = (i - 1) / kArity;
      if (!before(e, h[parent])) break;
      h[i] = h[parent];
      i = parent;
    }
    h[i] = e;
  }
  // Removes the root. The hole first sinks to a leaf along the smallest children (no comparison
  // with the former last element), then that element rises from there: it usually belongs near
  // the bottom, so this needs fewer comparisons.
  static void heap_pop(std::vector<Event>& heap) {
    const Event e = heap.back();
    heap.pop_back();
    const std::size_t n = heap.size();
    if (n == 0) return;
    Event* h = heap.data();
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
    sift_up(h, i, e);
  }

  struct Node {
    Event e;
    std::uint32_t next = kNil;  // the next node of its bucket, or of the free list
  };
  // Nodes live in fixed chunks, never moved: a flood of millions of events (4,096 targets
  // announcing at once) grows the pool without a vector's copy at twice the size.
  static constexpr unsigned kChunkShift = 14;
  static constexpr std::uint32_t kChunkNodes = 1u << kChunkShift;
  Node& node(std::uint32_t i) { return chunks_[i >> kChunkShift][i & (kChunkNodes - 1)]; }
  const Node& node(std::uint32_t i) const { return chunks_[i >> kChunkShift][i & (kChunkNodes - 1)]; }
  std::vector<std::unique_ptr<Node[]>> chunks_;
  std::uint32_t node_count_ = 0;
  std::uint32_t free_ = kNil;  // free nodes, most recently freed first
  std::array<std::uint32_t, kBuckets> head_;  // first node of each bucket's list (kNil: empty)
  std::size_t listed_ = 0;                    // events in the lists
  std::vector<Event> current_;                // heap: the events of absolute bucket current_bucket_
  std::uint64_t current_bucket_ = 0;
  std::uint64_t words_[kWords] = {};
  std::uint64_t summary_ = 0;
  std::uint64_t base_ = 0;  // now_ >> kShift
  std::vector<Event> far_;  // beyond the wheel
  std::size_t pending_ = 0;
  Nanos now_ = 0;
  std::uint64_t next_seq_ = 0;
  std::uint64_t processed_ = 0;
  std::uint64_t hash_ = 0x5EED5EED5EED5EEDull;
};

}  // namespace aoeh::sim
