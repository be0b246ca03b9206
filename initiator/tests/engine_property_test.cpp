// Property: over a seeded network that drops, duplicates, delays and reorders frames, on two
// paths (one with two ports), every request completes exactly once with the right data, and the
// engine never transmits on a port outside its allow-list (a configured-but-down port, or ids
// beyond the configuration). Frames arriving on ports outside the allow-list change nothing.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "initiator/tests/harness.hpp"

namespace aoeh::initiator::testing {
namespace {

struct Model {
  // Expected content per written sector: the byte every position of it holds.
  std::map<std::uint64_t, std::uint8_t> written;
  bool check(const FakeTarget& t, std::uint64_t lba, const std::vector<std::uint8_t>& buf) const {
    for (std::size_t s = 0; s < buf.size() / 512; ++s) {
      auto it = written.find(lba + s);
      for (std::size_t i = 0; i < 512; ++i) {
        const std::uint8_t want = it != written.end() ? it->second : t.sector(lba + s)[i];
        if (buf[s * 512 + i] != want) return false;
      }
    }
    return true;
  }
};

struct Op {
  IoKind kind;
  std::uint64_t lba;
  std::uint32_t sectors;
  std::uint8_t fill;
  int region;
  std::vector<std::uint8_t> buf;
};

void run_seed(std::uint32_t seed) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  auto pick = [&](std::uint32_t n) { return static_cast<std::uint32_t>(rng() % n); };
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };

  auto cfg = config_with_ports(3);
  cfg.ports[2].up = false;  // configured but down: must never carry a frame
  cfg.rto_min = 1 * kMillisecond;
  cfg.rto_max = 200 * kMillisecond;
  cfg.path_unhealthy_after = 2 * kSecond;
  cfg.probe_interval = 200 * kMillisecond;
  cfg.max_outstanding_per_path = 1 + pick(32);
  Harness h(cfg);
  FakeTarget a, b;
  b.mac = proto::MacAddress{{0x02, 0, 0, 0, 0x10, 0x02}};
  b.disk = a.disk;
  const std::uint8_t sector_counts[] = {0, 2, 8, 17};
  a.sector_count = sector_counts[pick(4)];
  b.sector_count = sector_counts[pick(4)];
  a.buffer_count = static_cast<std::uint16_t>(2 + pick(30));
  b.buffer_count = static_cast<std::uint16_t>(2 + pick(30));
  a.capacity = b.capacity = 1u << 16;
  a.lba48 = b.lba48 = chance(0.5);
  a.pad = b.pad = chance(0.5);
  h.connect(a, 0);
  h.connect(a, 1);
  h.connect(b, 1);

  const double drop_req = 0.02 + 0.15 * chance(0.5);
  const double drop_rep = 0.02 + 0.15 * chance(0.5);
  const double dup = 0.1;
  h.drop_request = [&](const SentFrame&) { return chance(drop_req); };
  h.drop_reply = [&](const SentFrame&, const Bytes& r) {
    if (chance(0.05)) h.engine.handle_frame(static_cast<PortId>(3 + pick(5)), r, h.now);  // not allowed
    return chance(drop_rep);
  };
  h.copies = [&](const SentFrame&) { return chance(dup) ? 2 : 1; };
  h.extra_delay = [&](const SentFrame&) { return static_cast<Nanos>(pick(3000)) * kMicrosecond; };
  // Discovery answers are lossy too: ask again until both paths are known and the device is up.
  h.start();
  for (int i = 0; i < 100; ++i) {
    auto d = h.engine.device({1, 1});
    if (d && d->state == DeviceState::Up && d->paths.size() == 2) break;
    h.engine.discover(h.now);
    h.pump();
    h.run_for(kSecond);
  }
  auto d = h.engine.device({1, 1});
  ASSERT_TRUE(d && d->state == DeviceState::Up && d->paths.size() == 2);

  Model model;
  constexpr int kRegions = 24;
  constexpr std::uint32_t kRegionSectors = 300;
  std::vector<bool> busy(kRegions, false);
  std::map<RequestId, Op> in_flight;
  std::map<RequestId, int> completions;
  int submitted = 0;
  const int total = 150;
  std::size_t seen_events = 0;
  const Nanos deadline = h.now + 600 * kSecond;

  while ((submitted < total || !in_flight.empty()) && h.now < deadline) {
    while (submitted < total && in_flight.size() < 10) {
      int region = static_cast<int>(pick(kRegions));
      if (busy[region]) break;
      Op op;
      const std::uint32_t kind = pick(10);
      op.kind = kind < 5 ? IoKind::Read : kind < 9 ? IoKind::Write : IoKind::Flush;
      op.region = region;
      op.sectors = op.kind == IoKind::Flush ? 0 : 1 + pick(kRegionSectors / (chance(0.2) ? 1 : 8));
      op.lba = std::uint64_t{static_cast<std::uint32_t>(region)} * kRegionSectors +
               (op.sectors ? pick(kRegionSectors - op.sectors + 1) : 0);
      op.fill = static_cast<std::uint8_t>(pick(256));
      op.buf.assign(std::size_t{op.sectors} * 512, op.kind == IoKind::Write ? op.fill : 0xCC);
      IoRequest r;
      r.kind = op.kind;
      r.lba = op.lba;
      r.sectors = op.sectors;
      r.buffer = op.buf;
      auto res = h.engine.submit({1, 1}, r, h.now);
      ASSERT_TRUE(res.ok()) << submit_error_name(res.error);
      busy[region] = true;
      auto& stored = in_flight[res.id] = std::move(op);
      (void)stored;
      ++submitted;
      h.pump();
    }
    h.run_for(static_cast<Nanos>(1 + pick(5)) * kMillisecond);
    for (; seen_events < h.events.size(); ++seen_events) {
      const Event& e = h.events[seen_events];
      if (e.kind != EventKind::IoCompleted) continue;
      ++completions[e.request];
      ASSERT_EQ(completions[e.request], 1) << "request completed twice";
      auto it = in_flight.find(e.request);
      ASSERT_NE(it, in_flight.end()) << "completion for an unknown request";
      Op& op = it->second;
      EXPECT_EQ(e.status, IoStatus::Ok) << io_status_name(e.status);
      if (op.kind == IoKind::Write) {
        for (std::uint32_t s = 0; s < op.sectors; ++s) model.written[op.lba + s] = op.fill;
      } else if (op.kind == IoKind::Read) {
        EXPECT_TRUE(model.check(a, op.lba, op.buf)) << "read data at lba " << op.lba;
      }
      busy[op.region] = false;
      in_flight.erase(it);
    }
    ASSERT_EQ(h.engine.check_invariants(), "");
  }
  EXPECT_EQ(submitted, total);
  EXPECT_TRUE(in_flight.empty()) << in_flight.size() << " requests never completed";
  for (const auto& s : h.sent) {
    EXPECT_LT(s.port, 2) << "transmitted on a port outside the allow-list";
    if (s.port >= 2) break;
  }
  EXPECT_TRUE(h.events_of(EventKind::DeviceDown).empty());
  const auto& c = h.engine.counters();
  EXPECT_GT(c.retransmits, 0u);
  EXPECT_GT(c.ignored, 0u);
}

class Property : public ::testing::TestWithParam<std::uint32_t> {};

TEST_P(Property, LossyDuplicatingReorderingNetwork) { run_seed(GetParam()); }

INSTANTIATE_TEST_SUITE_P(Seeds, Property, ::testing::Range(1u, 51u));

}  // namespace
}  // namespace aoeh::initiator::testing
