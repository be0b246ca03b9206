// Behaviours of the Linux aoe driver (v85) that the other suites do not pin down on their own: the
// module-parameter defaults as timings (discovery every 60 s, dead after 180 s, a path tainted
// after 10 s, at most 64 frames per path), tag bit 31 left to userland tools, the last close
// re-querying, and at most 8 interfaces per target. See initiator/README.md, "Compared with the
// Linux aoe driver v85".
#include <gtest/gtest.h>

#include <algorithm>

#include "initiator/tests/harness.hpp"

namespace aoeh::initiator::testing {
namespace {

// Default configuration only: the defaults are the Linux module parameters, as timings.
TEST(LinuxParity, DefaultTimingsAreTheModuleDefaults) {
  Harness h(config_with_ports(1));
  FakeTarget t;
  h.connect(t, 0);
  h.bring_up(t);
  EXPECT_EQ(h.engine.counters().discoveries, 1u);
  h.run_until(59 * kSecond);
  EXPECT_EQ(h.engine.counters().discoveries, 1u);
  h.run_until(61 * kSecond);
  EXPECT_EQ(h.engine.counters().discoveries, 2u) << "discovery every 60 s";
  t.silent = true;
  std::vector<std::uint8_t> buf;
  const Nanos start = h.now;
  const auto r = h.submit({1, 1}, read_request(0, 1, buf));
  h.run_until(start + 9 * kSecond);
  EXPECT_TRUE(h.events_of(EventKind::PathUnhealthy).empty());
  h.run_until(start + 11 * kSecond);
  EXPECT_EQ(h.events_of(EventKind::PathUnhealthy).size(), 1u) << "tainted after 10 s unanswered";
  h.run_until(start + 179 * kSecond);
  EXPECT_TRUE(h.events_of(EventKind::DeviceDown).empty()) << "aoe_deadsecs is 180 s";
  EXPECT_FALSE(h.completion(r.id));
  h.run_until(start + 181 * kSecond);
  ASSERT_EQ(h.events_of(EventKind::DeviceDown).size(), 1u);
  EXPECT_EQ(h.completion(r.id)->status, IoStatus::DeviceDown);
  EXPECT_EQ(h.engine.counters().discoveries, 5u) << "at 0, 60, 120, 180 and 240 s (now " << h.now << ")";
}

// aoe_maxout = 64: a target advertising a larger buffer count still gets at most 64 frames.
TEST(LinuxParity, WindowIsCappedAtSixtyFourByDefault) {
  Harness h(config_with_ports(1));
  FakeTarget t;
  t.buffer_count = 200;
  h.connect(t, 0);
  h.bring_up(t);
  std::vector<Bytes> held;
  h.drop_reply = [&](const SentFrame&, const Bytes& r) {
    held.push_back(r);
    return true;
  };
  std::vector<std::uint8_t> buf;
  h.submit({1, 1}, read_request(0, 2000, buf));  // 1,000 frames
  std::size_t peak = 0;
  for (int round = 0; round < 60 && !held.empty(); ++round) {
    peak = std::max(peak, held.size());
    EXPECT_LE(h.engine.device({1, 1})->paths[0].outstanding, 64u);
    auto batch = std::move(held);
    held.clear();
    for (auto& r : batch) h.deliver(0, r);
  }
  EXPECT_EQ(peak, 64u);
}

// Linux keeps tag bit 31 clear for userland tools (aoetools set it). Our ATA tags never set it
// (its Query Config probes use it on purpose, see the README), and an ATA reply carrying it is not
// matched to a frame even when the other 31 bits name a live one.
TEST(LinuxParity, AtaTagsLeaveBit31ToTools) {
  auto cfg = config_with_ports(1);
  cfg.rto_max = 50 * kMillisecond;
  Harness h(cfg);
  FakeTarget t;
  h.connect(t, 0);
  h.bring_up(t);
  // Many transmissions (a third are lost and retransmitted with fresh tags).
  int n = 0;
  h.drop_request = [&](const SentFrame& s) { return s.ata && ++n % 3 == 0; };
  std::vector<std::vector<std::uint8_t>> bufs(300);
  for (int i = 0; i < 300; ++i) {
    h.submit({1, 1}, read_request(static_cast<std::uint64_t>(i), 1, bufs[i]));
    h.run_for(kMillisecond);
  }
  h.run_for(kSecond);
  EXPECT_EQ(h.events_of(EventKind::IoCompleted).size(), 300u);
  std::size_t ata = 0;
  for (const auto& s : h.sent) {
    if (!s.ata) continue;
    ++ata;
    EXPECT_EQ(s.header.tag & 0x8000'0000u, 0u);
  }
  EXPECT_GT(ata, 400u);

  // A held reply with bit 31 set does not complete its frame; the real one does.
  h.drop_request = nullptr;
  std::vector<Bytes> held;
  h.drop_reply = [&](const SentFrame&, const Bytes& r) {
    held.push_back(r);
    return true;
  };
  std::vector<std::uint8_t> buf;
  const auto r = h.submit({1, 1}, read_request(7, 1, buf));
  ASSERT_EQ(held.size(), 1u);
  Bytes forged = held[0];
  forged[20] |= 0x80;  // tag, big-endian at offset 20
  const auto unknown = h.engine.counters().unknown_tags;
  h.deliver(0, forged);
  EXPECT_EQ(h.engine.counters().unknown_tags, unknown + 1);
  EXPECT_FALSE(h.completion(r.id));
  h.deliver(0, held[0]);
  ASSERT_TRUE(h.completion(r.id));
  EXPECT_EQ(h.completion(r.id)->status, IoStatus::Ok);
}

// aoeblk_release: the last close (only the last) sends a Query Config for the device on every
// interface; its answer re-identifies the device.
TEST(LinuxParity, OnlyTheLastCloseRequeries) {
  Harness h(config_with_ports(2));
  FakeTarget t;
  h.connect(t, 0);
  h.bring_up(t);
  h.engine.open({1, 1}, h.now);
  h.engine.open({1, 1}, h.now);
  auto query_configs_since = [&](std::size_t from) {
    std::vector<SentFrame> out;
    for (std::size_t i = from; i < h.sent.size(); ++i)
      if (h.sent[i].header.command == static_cast<std::uint8_t>(proto::Command::QueryConfig)) out.push_back(h.sent[i]);
    return out;
  };
  std::size_t mark = h.sent.size();
  h.engine.close({1, 1}, h.now);
  h.pump();
  EXPECT_TRUE(query_configs_since(mark).empty()) << "still open once";
  const auto identifies = t.count_commands(proto::ata::kIdentify);
  mark = h.sent.size();
  h.engine.close({1, 1}, h.now);
  h.pump();
  const auto qc = query_configs_since(mark);
  ASSERT_EQ(qc.size(), 2u) << "one per allowed port";
  for (std::size_t i = 0; i < qc.size(); ++i) {
    EXPECT_EQ(qc[i].port, i);
    EXPECT_TRUE(qc[i].dst.is_broadcast());
    EXPECT_EQ(qc[i].header.shelf, 1);
    EXPECT_EQ(qc[i].header.slot, 1);
  }
  h.run_for(kSecond);
  EXPECT_GT(t.count_commands(proto::ata::kIdentify), identifies);
}

// NAOEIFS = 8: a target answering on more interfaces keeps the first 8 as its ways.
TEST(LinuxParity, APathHasAtMostEightPorts) {
  Harness h(config_with_ports(10));
  FakeTarget t;
  for (PortId p = 0; p < 10; ++p) h.connect(t, p);
  h.bring_up(t);
  h.run_for(kSecond);
  const auto d = h.engine.device({1, 1});
  ASSERT_EQ(d->paths.size(), 1u);
  ASSERT_EQ(d->paths[0].ports.size(), 8u);
  // I/O uses only those 8.
  const auto n = h.sent.size();
  std::vector<std::uint8_t> buf;
  const auto r = h.submit({1, 1}, read_request(0, 200, buf));
  h.run_for(kSecond);
  ASSERT_TRUE(h.completion(r.id));
  for (std::size_t i = n; i < h.sent.size(); ++i) {
    if (!h.sent[i].ata) continue;
    EXPECT_NE(std::find(d->paths[0].ports.begin(), d->paths[0].ports.end(), h.sent[i].port), d->paths[0].ports.end());
  }
}

}  // namespace
}  // namespace aoeh::initiator::testing
