// The relay's fault handling without sockets or clocks: plans in, frames with times in, what leaves
// and when, and the counters; deterministic for a seed.
#include <gtest/gtest.h>

#include <numeric>
#include <string>
#include <vector>

#include "faults/plan_parser.hpp"
#include "live/relay_core.hpp"

namespace aoeh::live {
namespace {

constexpr sim::Nanos kMs = 1'000'000;

RelayFaults faults_of(const std::string& json, std::uint64_t seed = 1) {
  const auto parsed = faults::parse_plan(json);
  EXPECT_TRUE(parsed.ok()) << parsed.error.to_string();
  if (!parsed.ok()) return {};
  auto built = relay_faults_from_plan(*parsed.plan, seed);
  EXPECT_TRUE(built.faults.has_value()) << built.error;
  return built.faults ? std::move(*built.faults) : RelayFaults{};
}

std::string rejection_of(const std::string& json) {
  const auto parsed = faults::parse_plan(json);
  EXPECT_TRUE(parsed.ok()) << parsed.error.to_string();
  return parsed.ok() ? relay_faults_from_plan(*parsed.plan, 1).error : "(plan did not parse)";
}

std::vector<std::uint8_t> frame(std::uint32_t n, std::size_t size = 60) {
  std::vector<std::uint8_t> f(size);
  for (std::size_t i = 0; i < size; ++i) f[i] = static_cast<std::uint8_t>(n * 31 + i);
  for (std::size_t i = 0; i < 4; ++i) f[i] = static_cast<std::uint8_t>(n >> (8 * i));  // unique per n
  f[12] = 0x88, f[13] = 0xA2;
  return f;
}

struct Out {
  RelayDirection direction;
  std::vector<std::uint8_t> bytes;
};

std::vector<Out> drain(RelayCore& core, sim::Nanos now) {
  std::vector<Out> out;
  while (auto o = core.poll_transmit(now)) out.push_back({o->direction, {o->bytes.begin(), o->bytes.end()}});
  return out;
}

// Which of `n` frames sent a->b at 1 us intervals come out (by index).
std::vector<std::uint32_t> survivors(RelayCore& core, std::uint32_t n) {
  std::vector<std::uint32_t> kept;
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto f = frame(i);
    core.handle_frame(RelayDirection::AtoB, f, i * 1000);
    for (const auto& o : drain(core, i * 1000)) {
      const std::uint32_t k = o.bytes[0] | o.bytes[1] << 8 | o.bytes[2] << 16 | std::uint32_t{o.bytes[3]} << 24;
      EXPECT_EQ(o.bytes, frame(k));
      kept.push_back(k);
    }
  }
  return kept;
}

TEST(RelayCore, WithoutFaultsFramesPassAtOnceInOrderAndUnchanged) {
  RelayCore core(RelayFaults{});
  for (std::uint32_t i = 0; i < 10; ++i) core.handle_frame(i % 2 ? RelayDirection::BtoA : RelayDirection::AtoB, frame(i, 60 + i * 100), 5);
  EXPECT_EQ(core.next_due(), 5);
  const auto out = drain(core, 5);
  ASSERT_EQ(out.size(), 10u);
  for (std::uint32_t i = 0; i < 10; ++i) {
    EXPECT_EQ(out[i].bytes, frame(i, 60 + i * 100));
    EXPECT_EQ(out[i].direction, i % 2 ? RelayDirection::BtoA : RelayDirection::AtoB);
  }
  EXPECT_EQ(core.counters(RelayDirection::AtoB).received, 5u);
  EXPECT_EQ(core.counters(RelayDirection::AtoB).forwarded, 5u);
  EXPECT_EQ(core.counters(RelayDirection::BtoA).forwarded, 5u);
  EXPECT_EQ(core.counters(RelayDirection::AtoB).dropped, 0u);
  EXPECT_EQ(core.next_due(), sim::kNever);
}

TEST(RelayCore, FullLossTowardTheInitiatorDropsOnlyThatDirection) {
  RelayCore core(faults_of(R"({"faults": [{"type": "loss", "link": "eth0", "direction": "in", "probability": 1}]})"));
  for (std::uint32_t i = 0; i < 100; ++i) {
    core.handle_frame(RelayDirection::AtoB, frame(i), i);
    core.handle_frame(RelayDirection::BtoA, frame(i), i);
  }
  const auto out = drain(core, 1000);
  EXPECT_EQ(out.size(), 100u);
  for (const auto& o : out) EXPECT_EQ(o.direction, RelayDirection::AtoB);
  EXPECT_EQ(core.counters(RelayDirection::BtoA).dropped, 100u);
  EXPECT_EQ(core.counters(RelayDirection::BtoA).forwarded, 0u);
  ASSERT_EQ(core.faults().faults.size(), 1u);
  EXPECT_EQ(core.fault_stats(0).at("dropped"), 100u);
}

TEST(RelayCore, DirectionsFollowTheHostOfTheNamedPort) {
  // "out" of the initiator's eth0 is a->b; "out" of the target's port e1.0:0 is b->a.
  const RelayFaults f = faults_of(R"({"faults": [
      {"type": "loss", "link": "eth0", "direction": "out", "probability": 0.5},
      {"type": "loss", "link": "e1.0:0", "direction": "out", "probability": 0.5},
      {"type": "delay", "path": "a", "delay": "1ms"}]})");
  ASSERT_EQ(f.faults.size(), 4u);
  EXPECT_EQ(f.faults[0].direction, RelayDirection::AtoB);
  EXPECT_EQ(f.faults[1].direction, RelayDirection::BtoA);
  EXPECT_EQ(f.faults[2].direction, RelayDirection::AtoB);
  EXPECT_EQ(f.faults[3].direction, RelayDirection::BtoA);
  EXPECT_EQ(f.faults[2].description, "delay 1ms on path a (faults[2])");
  EXPECT_EQ(f.faults[3].description, f.faults[2].description);
}

TEST(RelayCore, LossIsDeterministicForASeedAndNearItsProbability) {
  const std::string plan = R"({"faults": [{"type": "loss", "path": "a", "probability": "20%"}]})";
  RelayCore a(faults_of(plan, 7)), b(faults_of(plan, 7)), c(faults_of(plan, 8));
  const auto kept_a = survivors(a, 2000), kept_b = survivors(b, 2000), kept_c = survivors(c, 2000);
  EXPECT_EQ(kept_a, kept_b);
  EXPECT_NE(kept_a, kept_c);
  const auto dropped = a.counters(RelayDirection::AtoB).dropped;
  EXPECT_EQ(dropped + kept_a.size(), 2000u);
  EXPECT_GT(dropped, 300u);  // 400 expected; sd about 18
  EXPECT_LT(dropped, 500u);
}

TEST(RelayCore, DelayHoldsFramesUntilDueAndJitterReorders) {
  RelayCore core(faults_of(R"({"faults": [{"type": "delay", "link": "eth0", "delay": "10ms"}]})"));
  core.handle_frame(RelayDirection::AtoB, frame(1), 0);
  EXPECT_TRUE(drain(core, 10 * kMs - 1).empty());
  EXPECT_EQ(core.next_due(), 10 * kMs);
  EXPECT_EQ(drain(core, 10 * kMs).size(), 1u);
  EXPECT_EQ(core.counters(RelayDirection::AtoB).delayed, 1u);

  RelayCore jitter(faults_of(R"({"faults": [{"type": "delay", "link": "eth0", "delay": "5ms", "jitter": "5ms"}]})"));
  for (std::uint32_t i = 0; i < 50; ++i) jitter.handle_frame(RelayDirection::BtoA, frame(i), i * 1000);
  const auto out = drain(jitter, 100 * kMs);
  ASSERT_EQ(out.size(), 50u);
  std::size_t out_of_order = 0;
  for (std::size_t i = 0; i < out.size(); ++i) out_of_order += out[i].bytes != frame(static_cast<std::uint32_t>(i));
  EXPECT_GT(out_of_order, 0u) << "jitter of 5 ms on frames 1 us apart must reorder some";
}

TEST(RelayCore, DuplicatesLeaveGapLaterAndAreCounted) {
  RelayCore core(faults_of(R"({"faults": [{"type": "duplicate", "link": "eth0", "direction": "in", "probability": 1, "gap": "2ms"}]})"));
  core.handle_frame(RelayDirection::BtoA, frame(3), 0);
  EXPECT_EQ(drain(core, 0).size(), 1u);
  EXPECT_EQ(core.next_due(), 2 * kMs);
  const auto second = drain(core, 2 * kMs);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].bytes, frame(3));
  EXPECT_EQ(core.counters(RelayDirection::BtoA).duplicated, 1u);
  EXPECT_EQ(core.counters(RelayDirection::BtoA).forwarded, 2u);
}

TEST(RelayCore, FaultsActOnlyInTheirWindow) {
  RelayCore core(faults_of(R"({"faults": [{"type": "down", "link": "eth0", "at": "1s", "for": "1s"}]})"));
  const sim::Nanos s = 1'000'000'000;
  for (const sim::Nanos t : {s / 2, 3 * s / 2, 5 * s / 2}) {
    core.handle_frame(RelayDirection::AtoB, frame(1), t);
    core.handle_frame(RelayDirection::BtoA, frame(2), t);
  }
  EXPECT_EQ(drain(core, 3 * s).size(), 4u);
  EXPECT_EQ(core.counters(RelayDirection::AtoB).dropped, 1u);
  EXPECT_EQ(core.counters(RelayDirection::BtoA).dropped, 1u);
}

TEST(RelayCore, FlapDropsDuringTheDownPartOfEachPeriod) {
  RelayCore core(faults_of(R"({"faults": [{"type": "flap", "path": "a", "period": "100ms", "down": "30ms"}]})"));
  std::uint64_t sent = 0;
  for (sim::Nanos t = 0; t < 1000 * kMs; t += kMs, ++sent) core.handle_frame(RelayDirection::AtoB, frame(0), t);
  EXPECT_EQ(core.counters(RelayDirection::AtoB).dropped, 300u);
  EXPECT_EQ(drain(core, 1000 * kMs).size(), sent - 300);
}

TEST(RelayCore, MtuDropsLargerFrames) {
  RelayCore core(faults_of(R"({"faults": [{"type": "mtu", "link": "eth0", "mtu": 1500}]})"));
  core.handle_frame(RelayDirection::AtoB, frame(1, 1514), 0);
  core.handle_frame(RelayDirection::AtoB, frame(2, 1515), 0);
  EXPECT_EQ(drain(core, 0).size(), 1u);
  EXPECT_EQ(core.counters(RelayDirection::AtoB).dropped, 1u);
}

TEST(RelayCore, RefusesFaultsItCannotApplyByName) {
  EXPECT_NE(rejection_of(R"({"faults": [{"type": "loss", "path": "a", "probability": 0.1},
                                        {"type": "hang", "target": "e1.0"}]})")
                .find("faults[1]: hang on target e1.0: the relay applies link faults only (target faults"),
            std::string::npos);
  EXPECT_NE(rejection_of(R"({"faults": [{"type": "port_down", "initiator_port": "eth1"}]})")
                .find("faults[0]: port_down on initiator port eth1: the relay applies link faults only"),
            std::string::npos);
  EXPECT_EQ(rejection_of(R"({"faults": [{"type": "burst_loss", "path": "a", "p": 0.01, "r": 0.3}]})"), "");
}

}  // namespace
}  // namespace aoeh::live
