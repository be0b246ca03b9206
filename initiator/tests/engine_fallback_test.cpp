// MTU-mismatch fallback: large frames time out while small exchanges succeed -> 2-sector frames
// on that path, one event, until revalidate.
#include <gtest/gtest.h>

#include <deque>

#include "initiator/tests/harness.hpp"

namespace aoeh::initiator::testing {
namespace {

struct JumboMismatch {
  explicit JumboMismatch(EngineConfig cfg = config_with_ports(1, 9000)) : h(std::move(cfg)) {
    t.sector_count = 17;
    h.connect(t, 0);
    h.bring_up(t);  // IDENTIFY (548-byte reply) fits any MTU
    t.mtu = 1500;   // a switch in the middle only passes standard frames
  }
  Harness h;
  FakeTarget t;
};

TEST(Fallback, LargeFramesFailingWhileSmallSucceedFallBackToTwoSectors) {
  JumboMismatch s;
  ASSERT_EQ(s.h.engine.device({1, 1})->paths[0].payload_sectors, 17u);
  std::vector<std::uint8_t> buf;
  auto r = s.h.submit({1, 1}, read_request(100, 68, buf));
  s.h.run_for(30 * kSecond);
  auto ev = s.h.events_of(EventKind::PayloadFallback);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].path, s.t.mac);
  EXPECT_EQ(s.h.engine.counters().fallbacks, 1u);
  const auto d = s.h.engine.device({1, 1});
  EXPECT_TRUE(d->paths[0].fallback);
  EXPECT_EQ(d->paths[0].payload_sectors, 2u);
  auto c = s.h.completion(r.id);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->status, IoStatus::Ok);
  EXPECT_TRUE(matches_pattern(s.t, 100, buf)) << "timed-out large frames were re-split";
  // Everything after the fallback is small.
  for (const auto& f : s.h.sent)
    if (f.ata && f.time > ev[0].time) {
      EXPECT_LE(f.ata->sector_count, 2);
    }
  EXPECT_TRUE(s.h.events_of(EventKind::DeviceDown).empty());
}

TEST(Fallback, StaysUntilRevalidateThenLargerFramesAreTriedAgain) {
  JumboMismatch s;
  std::vector<std::uint8_t> buf;
  s.h.submit({1, 1}, read_request(0, 34, buf));
  s.h.run_for(30 * kSecond);
  ASSERT_TRUE(s.h.engine.device({1, 1})->paths[0].fallback);
  s.h.run_for(200 * kSecond);  // periodic discovery does not lift it
  EXPECT_TRUE(s.h.engine.device({1, 1})->paths[0].fallback);
  s.t.mtu = 9000;  // the network was fixed
  s.h.engine.revalidate({1, 1}, s.h.now);
  s.h.pump();
  s.h.run_for(kSecond);
  EXPECT_FALSE(s.h.engine.device({1, 1})->paths[0].fallback);
  EXPECT_EQ(s.h.engine.device({1, 1})->paths[0].payload_sectors, 17u);
  const auto n = s.h.sent.size();
  auto r = s.h.submit({1, 1}, read_request(0, 34, buf));
  s.h.run_for(kSecond);
  ASSERT_TRUE(s.h.completion(r.id));
  std::size_t frames = 0;
  for (std::size_t i = n; i < s.h.sent.size(); ++i) frames += s.h.sent[i].ata.has_value();
  EXPECT_EQ(frames, 2u) << "two 17-sector frames";
}

TEST(Fallback, NotWhenEverythingIsLost) {
  auto cfg = config_with_ports(1, 9000);
  cfg.dead_after = 0;
  JumboMismatch s(cfg);
  s.t.silent = true;  // a dead link, not an MTU problem
  std::vector<std::uint8_t> buf;
  s.h.submit({1, 1}, read_request(0, 34, buf));
  s.h.run_for(60 * kSecond);
  EXPECT_TRUE(s.h.events_of(EventKind::PayloadFallback).empty());
  EXPECT_FALSE(s.h.engine.device({1, 1})->paths[0].fallback);
}

TEST(Fallback, NotOnASlowLinkWhoseLargeRepliesArriveLate) {
  // Large replies take 20 ms (a slow link) while the RTT learned from small frames is 0.1 ms:
  // the first large frames time out spuriously, but their late replies prove large frames pass.
  Harness h(config_with_ports(1, 9000));
  FakeTarget t;
  t.sector_count = 17;
  h.connect(t, 0);
  h.bring_up(t);
  h.extra_delay = [](const SentFrame& s) { return s.ata && s.ata->sector_count > 2 ? 20 * kMillisecond : 0; };
  for (int i = 0; i < 20; ++i) {
    std::vector<std::uint8_t> buf;
    auto r = h.submit({1, 1}, read_request(0, 17 * 4, buf));
    h.run_for(200 * kMillisecond);
    ASSERT_TRUE(h.completion(r.id));
    EXPECT_TRUE(matches_pattern(t, 0, buf));
  }
  EXPECT_TRUE(h.events_of(EventKind::PayloadFallback).empty());
  EXPECT_GT(h.engine.counters().late_replies, 0u);
  const auto p = h.engine.device({1, 1})->paths[0];
  EXPECT_EQ(p.payload_sectors, 17u);
  EXPECT_GT(p.srtt, 10 * kMillisecond) << "late replies to first transmissions taught the RTT";
  // Once learned, frames stop timing out.
  const auto timeouts = h.engine.counters().timeouts;
  std::vector<std::uint8_t> buf;
  h.submit({1, 1}, read_request(0, 17 * 4, buf));
  h.run_for(200 * kMillisecond);
  EXPECT_EQ(h.engine.counters().timeouts, timeouts);
}

TEST(Fallback, CanBeDisabled) {
  auto cfg = config_with_ports(1, 9000);
  cfg.payload_fallback = false;
  cfg.dead_after = 20 * kSecond;
  JumboMismatch s(cfg);
  std::vector<std::uint8_t> buf;
  auto r = s.h.submit({1, 1}, read_request(0, 34, buf));
  s.h.run_for(30 * kSecond);
  EXPECT_TRUE(s.h.events_of(EventKind::PayloadFallback).empty());
  ASSERT_TRUE(s.h.completion(r.id));
  EXPECT_EQ(s.h.completion(r.id)->status, IoStatus::DeviceDown) << "like Linux v85: no fallback, dies";
}

TEST(Fallback, OnlyTheMismatchedPathFallsBack) {
  Harness h(config_with_ports(2, 9000));
  FakeTarget a, b;
  a.sector_count = b.sector_count = 17;
  b.mac = proto::MacAddress{{0x02, 0, 0, 0, 0x10, 0x02}};
  b.disk = a.disk;
  h.connect(a, 0);
  h.connect(b, 1);
  h.bring_up(a);
  h.run_for(kSecond);
  a.mtu = 1500;
  for (int i = 0; i < 20; ++i) {
    std::vector<std::uint8_t> buf;
    auto r = h.submit({1, 1}, read_request(0, 17 * 4, buf));
    h.run_for(100 * kMillisecond);
    ASSERT_TRUE(h.completion(r.id));
    EXPECT_EQ(h.completion(r.id)->status, IoStatus::Ok);
    EXPECT_TRUE(matches_pattern(a, 0, buf));
  }
  const auto d = h.engine.device({1, 1});
  EXPECT_TRUE(d->paths[0].fallback);
  EXPECT_FALSE(d->paths[1].fallback);
  EXPECT_EQ(d->paths[1].payload_sectors, 17u);
}

// A one-way mismatch on both paths of a device: large READ replies are lost on the way back while
// large WRITEs (large frames going out, small replies) get through. A timed-out read moves to the
// other path, so each path's window has room for the steady stream of writes between that read's
// timeouts there. Those write successes must not wipe the reads' evidence, or the reads would time
// out forever (moving from path to path) while the writes keep the device alive.
struct OneWayMismatch {
  OneWayMismatch() : h(config_with_ports(2, 9000)) {
    a.sector_count = b.sector_count = 17;
    b.mac = proto::MacAddress{{0x02, 0, 0, 0, 0x10, 0x02}};
    b.disk = a.disk;
    h.connect(a, 0);
    h.connect(b, 1);
    h.bring_up(a);
    h.run_for(kSecond);
    EXPECT_EQ(h.engine.device({1, 1})->paths.size(), 2u);
  }
  // The working kind flows (4 one-frame requests every 5 ms for 3 s); 100 ms in, one 17-sector
  // request of the failing kind goes out (one frame: with more, each path's window collapses onto
  // failing frames and the writes wait, which hides the problem). Returns its id.
  RequestId run(IoKind failing) {
    const auto working = [&](int i) {
      bufs.emplace_back(17 * 512, 0x77);
      const std::uint64_t lba = 10'000 + 20 * static_cast<std::uint64_t>(i % 50);
      EXPECT_TRUE(h.submit({1, 1}, failing == IoKind::Read ? write_request(lba, 17, bufs.back())
                                                           : read_request(lba, 17, bufs.back())).ok());
    };
    RequestId id = 0;
    for (int i = 0; i < 600; ++i) {
      if (i == 20) {
        failing_buf.assign(17 * 512, 0x42);
        id = h.submit({1, 1}, failing == IoKind::Read ? read_request(100, 17, failing_buf)
                                                      : write_request(100, 17, failing_buf)).id;
      }
      for (int k = 0; k < 4; ++k) working(i);
      h.run_for(5 * kMillisecond);
    }
    h.run_for(kSecond);
    return id;
  }
  std::vector<std::uint8_t> failing_buf;
  Harness h;
  FakeTarget a, b;
  std::deque<std::vector<std::uint8_t>> bufs;
};

TEST(Fallback, LargeReadsFailingWhileLargeWritesPassStillFallBack) {
  OneWayMismatch s;
  s.h.drop_reply = [&](const SentFrame&, const Bytes& r) { return r.size() > 1514; };
  const auto read = s.run(IoKind::Read);
  EXPECT_GE(s.h.events_of(EventKind::PayloadFallback).size(), 1u);
  const auto c = s.h.completion(read);
  ASSERT_TRUE(c) << "the read never completed";
  EXPECT_EQ(c->status, IoStatus::Ok);
  EXPECT_TRUE(matches_pattern(s.a, 100, s.failing_buf));
  EXPECT_TRUE(s.h.events_of(EventKind::DeviceDown).empty());
}

// The mirror image: large WRITE frames are lost on the way out, large READ replies come back.
TEST(Fallback, LargeWritesFailingWhileLargeReadsPassStillFallBack) {
  OneWayMismatch s;
  s.h.drop_request = [&](const SentFrame& f) { return f.bytes.size() > 1514; };
  const auto write = s.run(IoKind::Write);
  EXPECT_GE(s.h.events_of(EventKind::PayloadFallback).size(), 1u);
  const auto c = s.h.completion(write);
  ASSERT_TRUE(c) << "the write never completed";
  EXPECT_EQ(c->status, IoStatus::Ok);
  for (std::uint64_t lba = 100; lba < 117; ++lba) EXPECT_EQ(s.a.sector(lba)[0], 0x42);
}

// Evidence is per path: path A is merely slow for large frames (their replies arrive after the
// RTO, some as late replies to frames since retransmitted on B), path B drops every large frame.
// B falls back, A keeps its large frames.
TEST(Fallback, SlowPathKeepsLargeFramesWhileMismatchedPathFallsBack) {
  auto cfg = config_with_ports(2, 9000);
  cfg.rto_min = 5 * kMillisecond;
  Harness h(cfg);
  FakeTarget a, b;
  a.sector_count = b.sector_count = 17;
  b.mac = proto::MacAddress{{0x02, 0, 0, 0, 0x10, 0x02}};
  b.disk = a.disk;
  h.connect(a, 0);
  h.connect(b, 1);
  h.bring_up(a);
  h.run_for(kSecond);
  ASSERT_EQ(h.engine.device({1, 1})->paths.size(), 2u);
  b.mtu = 1500;
  h.extra_delay = [&](const SentFrame& s) {
    return s.ata && s.dst == a.mac && s.ata->sector_count > 2 ? 12 * kMillisecond : 0;
  };
  for (int i = 0; i < 30; ++i) {
    std::vector<std::uint8_t> buf;
    auto r = h.submit({1, 1}, read_request(0, 17 * 4, buf));
    ASSERT_TRUE(h.run_while_not([&] { return h.completion(r.id).has_value(); }, 10 * kSecond)) << i;
    EXPECT_EQ(h.completion(r.id)->status, IoStatus::Ok);
    EXPECT_TRUE(matches_pattern(a, 0, buf));
  }
  EXPECT_GT(h.engine.counters().late_replies, 0u);
  const auto d = h.engine.device({1, 1});
  const auto& pa = d->paths[0].mac == a.mac ? d->paths[0] : d->paths[1];
  const auto& pb = d->paths[0].mac == a.mac ? d->paths[1] : d->paths[0];
  EXPECT_FALSE(pa.fallback) << "slow, not mismatched";
  EXPECT_TRUE(pb.fallback);
}

}  // namespace
}  // namespace aoeh::initiator::testing
