// Host timers, scheduled actions and run_until semantics of the Simulator.
#include "sim/simulator.hpp"

#include <gtest/gtest.h>

namespace aoeh::sim {
namespace {

struct Sleeper : Host {
  std::vector<Nanos> fired;
  std::function<void(Sleeper&, Nanos)> on_fire;
  void receive(std::uint32_t, std::span<const std::uint8_t>, Nanos) override {}
  void timer(Nanos now) override {
    fired.push_back(now);
    if (on_fire) on_fire(*this, now);
  }
  void wake(Nanos t) { wake_at(t); }
};

TEST(Simulator, LatestTimerRequestWins) {
  Simulator sim;
  auto s = std::make_unique<Sleeper>();
  auto* h = s.get();
  sim.add_host(std::move(s));
  h->wake(1000);
  h->wake(500);   // earlier: replaces
  h->wake(2000);  // later: replaces again
  sim.run_until_idle();
  EXPECT_EQ(h->fired, (std::vector<Nanos>{2000}));
  h->wake(3000);
  h->wake(kNever);  // cancels
  sim.run_until_idle();
  EXPECT_EQ(h->fired.size(), 1u);
}

TEST(Simulator, TimerCanRearmFromItsCallback) {
  Simulator sim;
  auto s = std::make_unique<Sleeper>();
  auto* h = s.get();
  h->on_fire = [](Sleeper& self, Nanos now) {
    if (self.fired.size() < 5) self.wake(now + 100);
  };
  sim.add_host(std::move(s));
  h->wake(10);
  sim.run_until_idle();
  EXPECT_EQ(h->fired, (std::vector<Nanos>{10, 110, 210, 310, 410}));
}

TEST(Simulator, ActionsRunAtTheirTimeInOrder) {
  Simulator sim;
  std::vector<std::pair<Nanos, int>> log;
  sim.at(200, [&] { log.emplace_back(sim.now(), 2); });
  sim.at(100, [&] {
    log.emplace_back(sim.now(), 1);
    sim.at(100, [&] { log.emplace_back(sim.now(), 3); });  // same instant as a later-scheduled one
  });
  sim.at(200, [&] { log.emplace_back(sim.now(), 4); });
  sim.run_until_idle();
  EXPECT_EQ(log, (std::vector<std::pair<Nanos, int>>{{100, 1}, {100, 3}, {200, 2}, {200, 4}}));
}

TEST(Simulator, RunUntilStopsWhenDoneOrAtDeadline) {
  Simulator sim;
  int n = 0;
  for (int i = 1; i <= 10; ++i) sim.at(i * 100, [&] { ++n; });
  EXPECT_TRUE(sim.run_until([&] { return n == 3; }, kSecond));
  EXPECT_EQ(sim.now(), 300);
  EXPECT_FALSE(sim.run_until([&] { return n == 100; }, 650));
  EXPECT_EQ(n, 6);
  EXPECT_EQ(sim.now(), 650);
  sim.run_for(1000);
  EXPECT_EQ(n, 10);
  EXPECT_EQ(sim.now(), 1650);
}

}  // namespace
}  // namespace aoeh::sim
