// RTT estimate, RTO bounds, exponential backoff, congestion window growth, decrease and caps.
#include <gtest/gtest.h>

#include "initiator/congestion_window.hpp"
#include "initiator/rtt_estimator.hpp"
#include "initiator/tests/harness.hpp"

namespace aoeh::initiator::testing {
namespace {

TEST(Rtt, EstimatorFollowsSamplesAndClampsRto) {
  RttEstimator e;
  EXPECT_EQ(e.rto(200, 1, 5000), 200) << "initial RTO before any sample";
  e.sample(100);
  EXPECT_EQ(e.srtt(), 100);
  EXPECT_EQ(e.rttvar(), 50);
  for (int i = 0; i < 200; ++i) e.sample(1000);
  EXPECT_NEAR(static_cast<double>(e.srtt()), 1000.0, 10.0);
  EXPECT_LT(e.rttvar(), 20);
  EXPECT_GE(e.rto(200, 1, 100000), 2 * e.srtt() - 1) << "never below 2 x srtt";
  EXPECT_EQ(e.rto(200, 5000, 100000), 5000) << "clamped to rto_min";
  EXPECT_EQ(e.rto(200, 1, 1500), 1500) << "clamped to rto_max";
  EXPECT_EQ(RttEstimator::backed_off(100, 0, 10000), 100);
  EXPECT_EQ(RttEstimator::backed_off(100, 3, 10000), 800);
  EXPECT_EQ(RttEstimator::backed_off(100, 30, 10000), 10000);
}

TEST(Rtt, EnginePathRttMatchesTheLink) {
  Harness h(config_with_ports(1));
  h.latency = 2 * kMillisecond;
  FakeTarget t;
  h.connect(t, 0);
  h.bring_up(t);
  std::vector<std::uint8_t> buf;
  for (int i = 0; i < 40; ++i) {
    h.submit({1, 1}, read_request(0, 1, buf));
    h.run_for(10 * kMillisecond);
  }
  const auto p = h.engine.device({1, 1})->paths[0];
  EXPECT_NEAR(static_cast<double>(p.srtt), 2e6, 2e4);
  EXPECT_GE(p.rto, 4 * kMillisecond);
  EXPECT_LE(p.rto, 6 * kMillisecond);
}

TEST(Rtt, TimedOutFrameBacksOffExponentiallyAndNewFramesStartFresh) {
  auto cfg = config_with_ports(1);
  cfg.rto_initial = 100 * kMillisecond;
  cfg.rto_min = 1 * kMillisecond;
  cfg.rto_max = 1 * kSecond;
  cfg.path_unhealthy_after = 100 * kSecond;
  Harness h(cfg);
  FakeTarget t;
  h.connect(t, 0);
  h.bring_up(t);  // one RTT sample of 100 us: RTO = rto_min-clamped 1 ms
  std::uint64_t blocked_lba = 500;
  h.drop_reply = [&](const SentFrame& s, const Bytes&) { return s.ata && s.ata->lba == blocked_lba; };
  std::vector<std::uint8_t> buf;
  h.submit({1, 1}, read_request(500, 1, buf));
  h.run_for(300 * kMillisecond);
  const auto tries = h.sent_ata(proto::ata::kReadSectorsExt);
  ASSERT_GE(tries.size(), 6u);
  std::vector<Nanos> gaps;
  for (std::size_t i = 1; i < tries.size(); ++i) gaps.push_back(tries[i].time - tries[i - 1].time);
  for (std::size_t i = 1; i < gaps.size(); ++i) {
    if (gaps[i] >= cfg.rto_max) break;
    EXPECT_EQ(gaps[i], 2 * gaps[i - 1]) << "gap " << i << " doubles";
  }
  EXPECT_EQ(h.engine.counters().timeouts, tries.size() - 1);
  // Let it succeed; the next frame starts at the un-backed-off RTO again.
  blocked_lba = ~0ull;
  h.run_for(2 * kSecond);
  const auto n = h.sent.size();
  blocked_lba = 900;
  h.submit({1, 1}, read_request(900, 1, buf));
  h.run_for(50 * kMillisecond);
  std::vector<Nanos> fresh;
  for (std::size_t i = n; i < h.sent.size(); ++i)
    if (h.sent[i].ata) fresh.push_back(h.sent[i].time);
  ASSERT_GE(fresh.size(), 2u);
  EXPECT_LE(fresh[1] - fresh[0], gaps[0] * 2) << "backoff is per frame and resets";
}

TEST(Window, SlowStartAdditiveIncreaseHalvingAndCaps) {
  CongestionWindow w;
  w.set_cap(16);
  EXPECT_EQ(w.window(), 1u);
  for (int i = 0; i < 5; ++i) w.on_reply();
  EXPECT_EQ(w.window(), 6u) << "slow start: +1 per reply";
  for (int i = 0; i < 100; ++i) w.on_reply();
  EXPECT_EQ(w.window(), 16u) << "never above the cap";
  w.on_timeout(10, 20);
  EXPECT_EQ(w.window(), 8u) << "halved on timeout";
  EXPECT_EQ(w.ssthresh(), 8u);
  w.on_timeout(15, 21);
  EXPECT_EQ(w.window(), 8u) << "frames sent before the decrease do not decrease it again";
  for (int i = 0; i < 7; ++i) w.on_reply();
  EXPECT_EQ(w.window(), 8u) << "congestion avoidance: +1 per full window";
  w.on_reply();
  EXPECT_EQ(w.window(), 9u);
  w.set_cap(4);
  EXPECT_EQ(w.window(), 4u);
}

TEST(Window, EngineGrowsToBufcntAndNeverExceedsIt) {
  for (std::uint16_t bufcnt : {4, 16}) {
    auto cfg = config_with_ports(1);
    cfg.max_outstanding_per_path = 64;
    Harness h(cfg);
    FakeTarget t;
    t.buffer_count = bufcnt;
    h.connect(t, 0);
    h.bring_up(t);
    // Hold replies so outstanding frames can be counted, release them in batches.
    std::vector<Bytes> held;
    h.drop_reply = [&](const SentFrame&, const Bytes& r) {
      held.push_back(r);
      return true;
    };
    std::vector<std::uint8_t> buf;
    h.submit({1, 1}, read_request(0, 400, buf));
    std::size_t max_batch = 0;
    for (int round = 0; round < 40 && !held.empty(); ++round) {
      max_batch = std::max(max_batch, held.size());
      EXPECT_LE(held.size(), bufcnt);
      EXPECT_LE(h.engine.device({1, 1})->paths[0].outstanding, bufcnt);
      auto batch = std::move(held);
      held.clear();
      for (auto& r : batch) h.deliver(0, r);
    }
    EXPECT_EQ(max_batch, bufcnt) << "the window opens up to bufcnt";
    EXPECT_EQ(h.engine.device({1, 1})->paths[0].cwnd, bufcnt);
  }
}

TEST(Window, ConfiguredMaximumCapsBelowBufcnt) {
  auto cfg = config_with_ports(1);
  cfg.max_outstanding_per_path = 3;
  Harness h(cfg);
  FakeTarget t;
  t.buffer_count = 64;
  h.connect(t, 0);
  h.bring_up(t);
  std::vector<std::uint8_t> buf;
  h.submit({1, 1}, read_request(0, 400, buf));
  std::uint32_t peak = 0;
  h.drop_reply = [&](const SentFrame&, const Bytes&) {
    peak = std::max(peak, h.engine.device({1, 1})->paths[0].outstanding);
    return false;
  };
  h.run_for(kSecond);
  EXPECT_EQ(peak, 3u);
}

TEST(Window, TimeoutHalvesTheEngineWindow) {
  auto cfg = config_with_ports(1);
  cfg.path_unhealthy_after = 100 * kSecond;
  Harness h(cfg);
  FakeTarget t;
  t.buffer_count = 16;
  h.connect(t, 0);
  h.bring_up(t);
  std::vector<std::uint8_t> buf;
  h.submit({1, 1}, read_request(0, 200, buf));
  h.run_for(kSecond);
  EXPECT_EQ(h.engine.device({1, 1})->paths[0].cwnd, 16u);
  bool dropped = false;
  h.drop_reply = [&](const SentFrame& s, const Bytes&) {
    if (dropped || !s.ata) return false;
    dropped = true;
    return true;
  };
  h.submit({1, 1}, read_request(0, 200, buf));
  h.run_for(10 * kMillisecond);  // the lost frame's timeout has fired
  EXPECT_EQ(h.engine.counters().timeouts, 1u);
  const auto p = h.engine.device({1, 1})->paths[0];
  EXPECT_EQ(p.ssthresh, 8u) << "a timeout at a window of 16 halves it";
  EXPECT_LT(p.cwnd, 16u) << "congestion avoidance regrows it by one per window only";
}

// A late reply to a frame's first transmission is an RTT sample of the path that transmission
// took, even when the frame has since been retransmitted on another path.
TEST(Rtt, LateReplySamplesThePathOfTheFirstTransmission) {
  auto cfg = config_with_ports(2);
  cfg.rto_min = 10 * kMillisecond;
  Harness h(cfg);
  FakeTarget a, b;
  b.mac = proto::MacAddress{{0x02, 0, 0, 0, 0x10, 0x02}};
  b.disk = a.disk;
  h.connect(a, 0);
  h.connect(b, 1);
  h.bring_up(a);
  h.run_for(kSecond);
  ASSERT_EQ(h.engine.device({1, 1})->paths.size(), 2u);
  const auto before = h.engine.device({1, 1})->paths;
  // The path the first frame takes answers 30 ms late; the other loses every ATA frame.
  std::optional<proto::MacAddress> slow;
  h.drop_request = [&](const SentFrame& s) {
    if (!s.ata) return false;
    if (!slow) slow = s.dst;
    return s.dst != *slow;
  };
  h.extra_delay = [&](const SentFrame& s) { return s.ata && s.dst == *slow ? 30 * kMillisecond : 0; };
  std::vector<std::uint8_t> buf;
  auto r = h.submit({1, 1}, read_request(0, 1, buf));
  h.run_for(35 * kMillisecond);
  ASSERT_TRUE(h.completion(r.id));
  ASSERT_EQ(h.engine.counters().late_replies, 1u);
  ASSERT_GE(h.engine.counters().retransmits, 1u);
  const auto after = h.engine.device({1, 1})->paths;
  for (std::size_t i = 0; i < 2; ++i) {
    SCOPED_TRACE("path " + std::to_string(i));
    if (after[i].mac == *slow) {
      EXPECT_GT(after[i].srtt, before[i].srtt + 2 * kMillisecond) << "the slow path learned its RTT";
    } else {
      EXPECT_EQ(after[i].srtt, before[i].srtt) << "the other path did not answer: no sample";
    }
  }
}

}  // namespace
}  // namespace aoeh::initiator::testing
