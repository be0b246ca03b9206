#include "sim/scheduler.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <tuple>
#include <vector>

namespace aoeh::sim {
namespace {

std::vector<std::uint32_t> drain(Scheduler& s, Nanos deadline = kNever) {
  std::vector<std::uint32_t> order;
  Event e;
  while (s.pop_due(deadline, e)) order.push_back(e.subject);
  return order;
}

TEST(Scheduler, RunsEventsInTimeOrder) {
  Scheduler s;
  s.schedule(EventKind::Action, 300, 3);
  s.schedule(EventKind::Action, 100, 1);
  s.schedule(EventKind::Action, 200, 2);
  EXPECT_EQ(drain(s), (std::vector<std::uint32_t>{1, 2, 3}));
  EXPECT_EQ(s.now(), 300);
  EXPECT_EQ(s.processed(), 3u);
}

TEST(Scheduler, SameTimeRunsInSchedulingOrder) {
  Scheduler s;
  for (std::uint32_t i = 0; i < 100; ++i) s.schedule(EventKind::Action, 50, i);
  s.schedule(EventKind::Action, 10, 1000);
  const auto order = drain(s);
  ASSERT_EQ(order.size(), 101u);
  EXPECT_EQ(order[0], 1000u);
  for (std::uint32_t i = 0; i < 100; ++i) EXPECT_EQ(order[i + 1], i) << "tie-break broken at " << i;
}

TEST(Scheduler, ManyEventsComeOutSorted) {
  Scheduler s;
  std::uint64_t x = 12345;
  for (std::uint32_t i = 0; i < 10000; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    s.schedule(EventKind::Action, static_cast<Nanos>((x >> 33) % 1000), i);
  }
  Event e, prev;
  ASSERT_TRUE(s.pop_due(kNever, prev));
  while (s.pop_due(kNever, e)) {
    ASSERT_TRUE(e.time > prev.time || (e.time == prev.time && e.seq() > prev.seq()));
    prev = e;
  }
}

TEST(Scheduler, DeadlineStopsAndPastEventsRunNow) {
  Scheduler s;
  s.schedule(EventKind::Action, 100, 1);
  s.schedule(EventKind::Action, 500, 2);
  EXPECT_EQ(drain(s, 200), (std::vector<std::uint32_t>{1}));
  s.advance_to(200);
  EXPECT_EQ(s.now(), 200);
  s.schedule(EventKind::Action, 50, 3);  // in the past: runs at 200
  Event e;
  ASSERT_TRUE(s.pop_due(kNever, e));
  EXPECT_EQ(e.subject, 3u);
  EXPECT_EQ(e.time, 200);
}

TEST(Scheduler, AdvanceNeverSkipsAPendingEvent) {
  Scheduler s;
  s.schedule(EventKind::Action, 100, 1);
  s.advance_to(1000);
  EXPECT_EQ(s.now(), 0);
}

TEST(Scheduler, HashDependsOnOrderAndContent) {
  auto run = [](std::vector<std::pair<Nanos, std::uint32_t>> evs, std::uint64_t content = 0) {
    Scheduler s;
    for (auto [t, id] : evs) s.schedule(EventKind::Action, t, id);
    Event e;
    while (s.pop_due(kNever, e)) s.fold_event(e, content);
    return s.hash();
  };
  const auto a = run({{1, 1}, {2, 2}});
  EXPECT_EQ(a, run({{1, 1}, {2, 2}}));
  EXPECT_NE(a, run({{1, 2}, {2, 1}}));
  EXPECT_NE(a, run({{1, 1}, {3, 2}}));
  EXPECT_NE(a, run({{1, 1}, {2, 2}}, 5));
}

// An ordered set of (time, sequence, subject) driven alongside a Scheduler: what it must pop.
struct Reference {
  std::set<std::tuple<Nanos, std::uint64_t, std::uint32_t>> events;
  std::uint64_t seq = 0, x;
  explicit Reference(std::uint64_t seed) : x(seed) {}
  std::uint64_t next() {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    return x >> 20;
  }
  void schedule(Scheduler& s, Nanos t, std::uint32_t subject) {
    s.schedule(EventKind::Action, t, subject);
    events.emplace(std::max(t, s.now()), seq++, subject);
  }
  Nanos first_time() const { return events.empty() ? kNever : std::get<0>(*events.begin()); }
  // `e` is the reference's first event (which it then forgets).
  ::testing::AssertionResult popped(const Event& e) {
    if (events.empty()) return ::testing::AssertionFailure() << "popped " << e.subject << ", expected nothing";
    const auto [t, q, subject] = *events.begin();
    if (e.subject != subject || e.time != t)
      return ::testing::AssertionFailure() << "popped " << e.subject << " at " << e.time << ", expected " << subject
                                           << " at " << t;
    events.erase(events.begin());
    return ::testing::AssertionSuccess();
  }
  void drain(Scheduler& s) {
    Event e;
    while (!events.empty()) {
      ASSERT_TRUE(s.pop_due(kNever, e));
      ASSERT_TRUE(popped(e));
    }
    EXPECT_TRUE(s.empty());
    EXPECT_EQ(s.next_time(), kNever);
  }
};

// Near events live in a timing wheel and far ones in a heap; whichever holds an event, pops must
// follow (time, sequence) exactly. The reference is driven with the same random mix of
// schedules (same instant, within a bucket, across the wheel's wrap, beyond its span, in the past)
// and pops.
TEST(Scheduler, MatchesAnOrderedReferenceAcrossWheelAndHeap) {
  Scheduler s;
  Reference ref(99);
  const Nanos offsets[] = {0, 1, 255, 256, 1000, 70'000, 1'048'575, 1'048'576, 5'000'000, 60'000'000'000};
  Event e;
  for (std::uint32_t i = 0; i < 200'000; ++i) {
    if (ref.next() % 3 != 0 || ref.events.empty()) {
      const Nanos base = offsets[ref.next() % std::size(offsets)];
      ref.schedule(s, s.now() + base + static_cast<Nanos>(ref.next() % 300) - 100, i);  // some in the past
    } else {
      ASSERT_EQ(s.next_time(), ref.first_time());
      ASSERT_TRUE(s.pop_due(kNever, e));
      ASSERT_TRUE(ref.popped(e)) << "pop " << i;
    }
    ASSERT_EQ(s.pending(), ref.events.size());
  }
  ref.drain(s);
}

// The bucket being drained sits in a heap of its own; an event for an earlier bucket (possible
// when a deadline stopped the clock short of it) must still come out first.
TEST(Scheduler, AnEventBeforeTheBucketBeingDrainedComesFirst) {
  Scheduler s;
  s.schedule(EventKind::Action, 1000, 1);
  s.schedule(EventKind::Action, 1001, 2);
  Event e;
  EXPECT_FALSE(s.pop_due(500, e));
  s.advance_to(500);
  s.schedule(EventKind::Action, 600, 3);   // an earlier bucket
  s.schedule(EventKind::Action, 1000, 4);  // the same instant as 1, scheduled later
  EXPECT_EQ(s.next_time(), 600);
  EXPECT_EQ(drain(s), (std::vector<std::uint32_t>{3, 1, 4, 2}));
}

// The reference again, now with pops bounded by random deadlines and the clock advanced to them,
// and crowded buckets (many events within 256 ns, in random order).
TEST(Scheduler, MatchesAnOrderedReferenceWithDeadlines) {
  Scheduler s;
  Reference ref(7);
  Event e;
  for (std::uint32_t i = 0; i < 200'000; ++i) {
    if (ref.next() % 2 == 0) {
      ref.schedule(s, s.now() + static_cast<Nanos>(ref.next() % (ref.next() % 4 == 0 ? 5'000'000 : 2'000)), i);
    } else {
      const Nanos deadline = s.now() + static_cast<Nanos>(ref.next() % 3'000);
      if (s.pop_due(deadline, e)) {
        ASSERT_TRUE(ref.popped(e)) << "pop " << i;
      } else {
        ASSERT_GT(ref.first_time(), deadline) << "pop " << i;
        s.advance_to(deadline);
        ASSERT_EQ(s.next_time(), ref.first_time());
      }
    }
    ASSERT_EQ(s.pending(), ref.events.size());
  }
  ref.drain(s);
}

TEST(Scheduler, DeadlineHoldsForWheelAndHeapEvents) {
  Scheduler s;
  s.schedule(EventKind::Action, 300, 1);            // wheel
  s.schedule(EventKind::Action, 10'000'000, 2);     // heap (beyond the wheel's span)
  Event e;
  EXPECT_FALSE(s.pop_due(299, e));
  ASSERT_TRUE(s.pop_due(300, e));
  EXPECT_EQ(e.subject, 1u);
  EXPECT_FALSE(s.pop_due(9'999'999, e));
  s.advance_to(9'999'999);
  EXPECT_EQ(s.now(), 9'999'999);
  s.schedule(EventKind::Action, 10'000'000, 3);     // same time, now in the wheel: after 2
  ASSERT_TRUE(s.pop_due(10'000'000, e));
  EXPECT_EQ(e.subject, 2u);
  ASSERT_TRUE(s.pop_due(10'000'000, e));
  EXPECT_EQ(e.subject, 3u);
  EXPECT_TRUE(s.empty());
}

}  // namespace
}  // namespace aoeh::sim
