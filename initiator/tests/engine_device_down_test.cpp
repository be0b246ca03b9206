// A device going down (dead_after without progress) completes every request submitted to it
// exactly once: queued ones, in-flight ones, split ones with some frames already answered, ones
// waiting out an AoE Error 3, and ones submitted while the target was already hung. A missing
// completion would leave a caller waiting forever.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "initiator/tests/harness.hpp"

namespace aoeh::initiator::testing {
namespace {

// Completions per request id, from the harness's event log.
std::map<RequestId, std::vector<Event>> completions_by_id(const Harness& h) {
  std::map<RequestId, std::vector<Event>> out;
  for (const auto& e : h.events)
    if (e.kind == EventKind::IoCompleted) out[e.request].push_back(e);
  return out;
}

TEST(DeviceDown, HangFailsQueuedInFlightAndPartlyDoneRequestsOnceEach) {
  auto cfg = config_with_ports(1, 1500);
  cfg.dead_after = 3 * kSecond;
  cfg.rto_max = 500 * kMillisecond;
  Harness h(cfg);
  FakeTarget t;
  t.buffer_count = 4;  // a small window: most frames wait for room
  h.connect(t, 0);
  h.bring_up(t);

  // The target hangs after answering 10 ATA frames of the big read.
  int answered = 0;
  bool hung = false;
  h.drop_request = [&](const SentFrame& s) {
    if (s.ata && !hung && ++answered > 10) hung = true;
    return hung;
  };
  std::vector<std::vector<std::uint8_t>> bufs(6);
  std::vector<RequestId> ids;
  ids.push_back(h.submit({1, 1}, read_request(0, 200, bufs[0])).id);  // 100 frames: split, partly done
  ids.push_back(h.submit({1, 1}, read_request(500, 2, bufs[1])).id);  // queued behind it
  bufs[2].assign(64 * 512, 0x5A);
  ids.push_back(h.submit({1, 1}, write_request(900, 64, bufs[2])).id);
  IoRequest flush;
  flush.kind = IoKind::Flush;
  ids.push_back(h.submit({1, 1}, flush).id);
  h.run_for(200 * kMillisecond);
  ASSERT_TRUE(hung);
  EXPECT_EQ(t.count_commands(proto::ata::kReadSectorsExt), 10u) << "10 frames of the big read were answered";
  // Submitted while hung: accepted (the device is still up) and queued.
  ids.push_back(h.submit({1, 1}, read_request(7, 3, bufs[3])).id);
  ids.push_back(h.submit({1, 1}, read_request(70, 40, bufs[4])).id);
  EXPECT_GT(h.engine.device({1, 1})->queued + h.engine.device({1, 1})->in_flight, 0u);
  for (auto id : ids) ASSERT_NE(id, 0u);
  EXPECT_TRUE(completions_by_id(h).empty()) << "nothing completes while the target is hung";

  h.run_for(5 * kSecond);
  ASSERT_EQ(h.events_of(EventKind::DeviceDown).size(), 1u);
  const auto done = completions_by_id(h);
  EXPECT_EQ(done.size(), ids.size()) << "no completion for anything else";
  for (auto id : ids) {
    SCOPED_TRACE("request " + std::to_string(id));
    auto it = done.find(id);
    ASSERT_NE(it, done.end()) << "never completed";
    ASSERT_EQ(it->second.size(), 1u) << "completed more than once";
    EXPECT_EQ(it->second[0].status, IoStatus::DeviceDown);
  }
  EXPECT_EQ(h.engine.counters().requests_failed, ids.size());
  const auto d = h.engine.device({1, 1});
  EXPECT_EQ(d->queued + d->in_flight, 0u);
  EXPECT_EQ(h.engine.check_invariants(), "");
}

// Linux's rule: one frame unanswered for aoe_deadsecs takes the device down, even while its other
// frames are answered. Without it a request whose frame the target never answers (a sector that
// hangs the target's disk) would never complete while the rest of the I/O keeps the device busy.
TEST(DeviceDown, OneFrameUnansweredForDeadAfterTakesTheDeviceDown) {
  // Two paths: the stuck frame's timeouts collapse the window of whichever path it is on (on one
  // path it would have the window to itself and starve everything else, Linux's behaviour too),
  // so the other path keeps answering.
  auto cfg = config_with_ports(2);
  cfg.dead_after = 10 * kSecond;
  cfg.rto_max = 500 * kMillisecond;
  cfg.path_unhealthy_after = 1000 * kSecond;
  Harness h(cfg);
  FakeTarget t, t2;
  t2.mac = proto::MacAddress{{0x02, 0, 0, 0, 0x10, 0x02}};
  t2.disk = t.disk;
  h.connect(t, 0);
  h.connect(t2, 1);
  h.bring_up(t);
  h.run_for(kSecond);
  ASSERT_EQ(h.engine.device({1, 1})->paths.size(), 2u);
  h.drop_request = [](const SentFrame& s) { return s.ata && s.ata->lba == 500; };
  std::vector<std::uint8_t> stuck_buf;
  const Nanos start = h.now;
  const auto stuck = h.submit({1, 1}, read_request(500, 1, stuck_buf));
  std::vector<std::vector<std::uint8_t>> bufs(2000);
  std::size_t ok = 0;
  for (std::size_t i = 0; i < bufs.size() && h.now < start + 12 * kSecond; ++i) {
    const auto r = h.submit({1, 1}, read_request(1000 + i, 1, bufs[i]));
    if (!r.ok()) break;
    h.run_for(10 * kMillisecond);
    const auto c = h.completion(r.id);
    ok += c && c->status == IoStatus::Ok;
  }
  EXPECT_GT(ok, 500u) << "the other I/O was answered meanwhile";
  const auto c = h.completion(stuck.id);
  ASSERT_TRUE(c) << "the stuck request never completed";
  EXPECT_EQ(c->status, IoStatus::DeviceDown);
  EXPECT_GE(c->time - start, 10 * kSecond);
  EXPECT_LT(c->time - start, 11 * kSecond);
  ASSERT_EQ(h.events_of(EventKind::DeviceDown).size(), 1u);
}

// Seeded: a device with two paths (one over two ports) hangs at a random moment under a random
// mix of reads, writes and flushes, with AoE Error 3 answers and re-IDENTIFYs (frequent discovery)
// in flight; a second device on the same ports keeps working. Every request gets exactly one
// completion; the hung device's are Ok (finished before the hang), DeviceDown, or AoeError (Error 3
// retries used up); the healthy device's are all Ok. Afterwards the device comes back and works.
void run_hang_seed(std::uint32_t seed) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  auto pick = [&](std::uint32_t n) { return static_cast<std::uint32_t>(rng() % n); };

  auto cfg = config_with_ports(2, pick(2) == 0 ? 1500 : 9000);
  cfg.dead_after = 2 * kSecond;
  cfg.rto_max = 300 * kMillisecond;
  cfg.discover_interval = 150 * kMillisecond;  // config answers re-identify closed devices meanwhile
  cfg.path_unhealthy_after = 500 * kMillisecond;
  cfg.probe_interval = 100 * kMillisecond;
  Harness h(cfg);
  FakeTarget a, a2, b;
  a2.mac = proto::MacAddress{{0x02, 0, 0, 0, 0x10, 0x02}};
  a2.disk = a.disk;
  b.slot = 2;
  b.mac = proto::MacAddress{{0x02, 0, 0, 0, 0x20, 0x01}};
  for (FakeTarget* t : {&a, &a2, &b}) {
    t->sector_count = static_cast<std::uint8_t>(pick(2) == 0 ? 2 : 17);
    t->buffer_count = static_cast<std::uint16_t>(2 + pick(8));
    t->capacity = 1u << 16;
  }
  h.connect(a, 0);
  h.connect(a, 1);
  h.connect(a2, 1);
  h.connect(b, 0);
  h.bring_up(a);
  h.bring_up(b);
  h.run_for(200 * kMillisecond);
  ASSERT_EQ(h.engine.device({1, 1})->paths.size(), 2u);
  const bool open = pick(2) == 0;
  if (open) h.engine.open({1, 1}, h.now);
  if (pick(2) == 0) {
    a.aoe_error = 3;  // Error 3 answers: some frames sit out an RTO when the hang starts
    a.aoe_error_count = 1 + pick(6);
  }

  const Nanos hang_at = h.now + static_cast<Nanos>(pick(40'000)) * kMicrosecond;
  auto is_a = [&](const proto::MacAddress& m) { return m == a.mac || m == a2.mac; };
  h.drop_request = [&](const SentFrame& s) { return h.now >= hang_at && is_a(s.dst); };
  h.drop_reply = [&](const SentFrame&, const Bytes& r) {  // broadcast discovery included
    return h.now >= hang_at && is_a(proto::MacAddress{{r[6], r[7], r[8], r[9], r[10], r[11]}});
  };

  std::map<RequestId, DeviceAddress> submitted;
  std::vector<std::vector<std::uint8_t>> bufs;
  bufs.reserve(200);
  const Nanos submit_until = hang_at + 100 * kMillisecond;
  while (h.now < submit_until && bufs.size() < 200) {
    const DeviceAddress dev{1, static_cast<std::uint8_t>(1 + pick(2))};
    bufs.emplace_back();
    IoRequest r;
    const std::uint32_t kind = pick(10);
    const std::uint32_t sectors = 1 + (pick(4) == 0 ? pick(400) : pick(8));
    const std::uint64_t lba = pick(60'000);
    if (kind < 6) {
      r = read_request(lba, sectors, bufs.back());
    } else if (kind < 9) {
      bufs.back().assign(std::size_t{sectors} * 512, static_cast<std::uint8_t>(seed));
      r = write_request(lba, sectors, bufs.back());
    } else {
      r.kind = IoKind::Flush;
    }
    const auto res = h.submit(dev, r);
    if (res.ok()) {
      submitted[res.id] = dev;
    } else {
      ASSERT_EQ(res.error, SubmitError::DeviceNotUp) << "only refusals from a device already down";
      ASSERT_EQ(dev.slot, 1);
    }
    h.run_for(static_cast<Nanos>(pick(3000)) * kMicrosecond);
  }
  h.run_for(cfg.dead_after + 2 * kSecond);

  const auto down = h.events_of(EventKind::DeviceDown);
  ASSERT_EQ(down.size(), 1u);
  EXPECT_EQ(down[0].device, (DeviceAddress{1, 1}));
  EXPECT_EQ(down[0].state, open ? DeviceState::Closewait : DeviceState::Down);
  const auto done = completions_by_id(h);
  std::size_t failed_down = 0;
  for (const auto& [id, dev] : submitted) {
    SCOPED_TRACE("request " + std::to_string(id) + " on slot " + std::to_string(dev.slot));
    auto it = done.find(id);
    ASSERT_NE(it, done.end()) << "never completed";
    ASSERT_EQ(it->second.size(), 1u) << "completed more than once";
    const IoStatus s = it->second[0].status;
    if (dev.slot == 2) {
      EXPECT_EQ(s, IoStatus::Ok);
    } else {
      EXPECT_TRUE(s == IoStatus::Ok || s == IoStatus::DeviceDown || s == IoStatus::AoeError) << static_cast<int>(s);
      failed_down += s == IoStatus::DeviceDown;
    }
  }
  EXPECT_EQ(done.size(), submitted.size()) << "no completion for an id never submitted";
  EXPECT_GT(failed_down, 0u);
  const auto& c = h.engine.counters();
  EXPECT_EQ(c.requests_completed + c.requests_failed, submitted.size());
  for (std::uint8_t slot : {1, 2}) {
    const auto d = h.engine.device({1, slot});
    EXPECT_EQ(d->queued + d->in_flight, 0u);
  }
  EXPECT_EQ(h.engine.check_invariants(), "");

  // The hang ends: the device comes back (last close for an open one) and works again.
  h.drop_request = nullptr;
  h.drop_reply = nullptr;
  if (open) h.engine.close({1, 1}, h.now);
  h.pump();
  ASSERT_TRUE(h.run_while_not([&] { return h.engine.device({1, 1})->state == DeviceState::Up; }, 2 * kSecond));
  std::vector<std::uint8_t> buf;
  const auto again = h.submit({1, 1}, read_request(62000, 40, buf));
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE(h.run_while_not([&] { return h.completion(again.id).has_value(); }, 2 * kSecond));
  EXPECT_EQ(h.completion(again.id)->status, IoStatus::Ok);
  EXPECT_TRUE(matches_pattern(a, 62000, buf));
}

class HangSeeds : public ::testing::TestWithParam<std::uint32_t> {};
TEST_P(HangSeeds, EveryRequestCompletesExactlyOnce) { run_hang_seed(GetParam()); }
INSTANTIATE_TEST_SUITE_P(DeviceDown, HangSeeds, ::testing::Range(1u, 41u));

}  // namespace
}  // namespace aoeh::initiator::testing
