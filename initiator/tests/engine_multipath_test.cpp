// Multipath: round-robin over paths and ports, failover retransmission, unhealthy/probe/healthy.
#include <gtest/gtest.h>

#include <map>

#include "initiator/tests/harness.hpp"

namespace aoeh::initiator::testing {
namespace {

const proto::MacAddress kMacB{{0x02, 0, 0, 0, 0x10, 0x02}};

struct TwoPaths {
  explicit TwoPaths(EngineConfig cfg = config_with_ports(2)) : h(std::move(cfg)) {
    b.mac = kMacB;
    // Both heads serve the same disk contents (like two vblade processes on one file).
    h.connect(a, 0);
    h.connect(b, 1);
    h.bring_up(a);
    h.run_for(kSecond);
  }
  Harness h;
  FakeTarget a;
  FakeTarget b;
};

TEST(Multipath, FramesAlternateOverPaths) {
  TwoPaths s;
  ASSERT_EQ(s.h.engine.device({1, 1})->paths.size(), 2u);
  const auto n = s.h.sent.size();
  std::vector<std::uint8_t> buf;
  auto r = s.h.submit({1, 1}, read_request(0, 200, buf));
  s.h.run_for(kSecond);
  ASSERT_TRUE(s.h.completion(r.id));
  EXPECT_TRUE(matches_pattern(s.a, 0, buf));
  std::map<proto::MacAddress, int> per_path;
  for (std::size_t i = n; i < s.h.sent.size(); ++i)
    if (s.h.sent[i].ata) ++per_path[s.h.sent[i].dst];
  // Windows open at different moments, so the split is near, not exactly, even.
  EXPECT_GE(per_path[s.a.mac], 40);
  EXPECT_GE(per_path[kMacB], 40);
  EXPECT_EQ(per_path[s.a.mac] + per_path[kMacB], 100);
  for (std::size_t i = n; i < s.h.sent.size(); ++i) {
    if (!s.h.sent[i].ata) continue;
    EXPECT_EQ(s.h.sent[i].port, s.h.sent[i].dst == s.a.mac ? 0 : 1) << "each path on the port it answered on";
  }
}

TEST(Multipath, FramesAlternateOverThePortsOfOnePath) {
  Harness h(config_with_ports(2));
  FakeTarget t;
  h.connect(t, 0);
  h.connect(t, 1);
  h.bring_up(t);
  h.run_for(kSecond);
  ASSERT_EQ(h.engine.device({1, 1})->paths[0].ports.size(), 2u);
  const auto n = h.sent.size();
  std::vector<std::uint8_t> buf;
  auto r = h.submit({1, 1}, read_request(0, 100, buf));
  h.run_for(kSecond);
  ASSERT_TRUE(h.completion(r.id));
  int per_port[2] = {0, 0};
  for (std::size_t i = n; i < h.sent.size(); ++i)
    if (h.sent[i].ata) ++per_port[h.sent[i].port];
  EXPECT_EQ(per_port[0], 25);
  EXPECT_EQ(per_port[1], 25);
}

TEST(Multipath, TimedOutFrameIsRetransmittedOnTheOtherPath) {
  TwoPaths s;
  s.a.silent = true;
  const auto n = s.h.sent.size();
  std::vector<std::uint8_t> buf;
  auto r = s.h.submit({1, 1}, read_request(0, 2, buf));
  s.h.run_for(kSecond);
  auto c = s.h.completion(r.id);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->status, IoStatus::Ok);
  std::vector<SentFrame> reads;
  for (std::size_t i = n; i < s.h.sent.size(); ++i)
    if (s.h.sent[i].ata) reads.push_back(s.h.sent[i]);
  ASSERT_EQ(reads.size(), 2u);
  EXPECT_EQ(reads[0].dst, s.a.mac);
  EXPECT_EQ(reads[1].dst, kMacB) << "the retransmission takes the other path";
  EXPECT_EQ(reads[1].port, 1);
}

TEST(Multipath, RetransmissionUsesAnotherPortOfTheSamePath) {
  Harness h(config_with_ports(2));
  FakeTarget t;
  h.connect(t, 0);
  h.connect(t, 1);
  h.bring_up(t);
  h.run_for(kSecond);
  h.drop_request = [](const SentFrame& s) { return s.port == 0 && s.ata; };
  const auto n = h.sent.size();
  std::vector<std::uint8_t> buf;
  for (int i = 0; i < 10; ++i) h.submit({1, 1}, read_request(static_cast<std::uint64_t>(i), 1, buf));
  h.run_for(kSecond);
  EXPECT_EQ(h.events_of(EventKind::IoCompleted).size(), 10u);
  for (std::size_t i = n; i < h.sent.size(); ++i) {
    if (!h.sent[i].ata || h.sent[i].port != 0) continue;
    bool resent_on_1 = false;
    for (std::size_t j = i + 1; j < h.sent.size(); ++j)
      if (h.sent[j].ata && h.sent[j].ata->lba == h.sent[i].ata->lba) {
        resent_on_1 = h.sent[j].port == 1;
        break;
      }
    EXPECT_TRUE(resent_on_1) << "lba " << h.sent[i].ata->lba;
  }
}

TEST(Multipath, DeadPathBecomesUnhealthyIsProbedAndComesBack) {
  auto cfg = config_with_ports(2);
  cfg.path_unhealthy_after = 2 * kSecond;
  cfg.probe_interval = 500 * kMillisecond;
  TwoPaths s(cfg);
  s.a.silent = true;
  // Keep I/O flowing: no stall while path B works.
  std::vector<std::vector<std::uint8_t>> bufs(400);
  std::vector<RequestId> ids;
  std::vector<Nanos> submitted;
  for (int i = 0; i < 400; ++i) {
    submitted.push_back(s.h.now);
    ids.push_back(s.h.submit({1, 1}, read_request(static_cast<std::uint64_t>(i), 1, bufs[i])).id);
    s.h.run_for(10 * kMillisecond);
  }
  auto unhealthy = s.h.events_of(EventKind::PathUnhealthy);
  ASSERT_EQ(unhealthy.size(), 1u);
  EXPECT_EQ(unhealthy[0].path, s.a.mac);
  for (int i = 0; i < 400; ++i) {
    auto c = s.h.completion(ids[i]);
    ASSERT_TRUE(c) << i;
    EXPECT_EQ(c->status, IoStatus::Ok);
    EXPECT_LT(c->time - submitted[i], 10 * kMillisecond) << "no stall while path B works";
  }
  EXPECT_FALSE(s.h.engine.device({1, 1})->paths[0].healthy);
  // While unhealthy, A gets probes (Query Config) but no I/O.
  const Nanos since = unhealthy[0].time;
  int probes = 0, io_to_a = 0;
  for (const auto& f : s.h.sent) {
    if (f.time <= since || f.dst != s.a.mac) continue;
    if (f.ata) ++io_to_a;
    if (f.header.command == static_cast<std::uint8_t>(proto::Command::QueryConfig)) ++probes;
  }
  EXPECT_EQ(io_to_a, 0);
  EXPECT_GE(probes, 3);
  // A answers again: the next probe brings it back, and it carries I/O again.
  s.a.silent = false;
  s.h.run_for(kSecond);
  auto healthy = s.h.events_of(EventKind::PathHealthy);
  ASSERT_EQ(healthy.size(), 1u);
  EXPECT_EQ(healthy[0].path, s.a.mac);
  EXPECT_TRUE(s.h.engine.device({1, 1})->paths[0].healthy);
  const auto n = s.h.sent.size();
  std::vector<std::uint8_t> buf;
  s.h.submit({1, 1}, read_request(0, 40, buf));
  s.h.run_for(kSecond);
  int to_a = 0;
  for (std::size_t i = n; i < s.h.sent.size(); ++i) to_a += s.h.sent[i].ata && s.h.sent[i].dst == s.a.mac;
  EXPECT_GT(to_a, 0);
}

TEST(Multipath, SinglePathThatIsUnhealthyStillCarriesIo) {
  auto cfg = config_with_ports(1);
  cfg.path_unhealthy_after = kSecond;
  cfg.dead_after = 0;
  Harness h(cfg);
  FakeTarget t;
  h.connect(t, 0);
  h.bring_up(t);
  t.silent = true;
  std::vector<std::uint8_t> buf;
  auto r = h.submit({1, 1}, read_request(0, 1, buf));
  h.run_for(3 * kSecond);
  ASSERT_EQ(h.events_of(EventKind::PathUnhealthy).size(), 1u);
  t.silent = false;
  h.run_for(10 * kSecond);
  auto c = h.completion(r.id);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->status, IoStatus::Ok);
}

TEST(Multipath, PortGoingDownMovesTrafficToTheOtherPort) {
  Harness h(config_with_ports(2));
  FakeTarget t;
  h.connect(t, 0);
  h.connect(t, 1);
  h.bring_up(t);
  h.run_for(kSecond);
  h.engine.set_port(0, false, 9000, h.now);
  h.pump();
  const auto n = h.sent.size();
  std::vector<std::uint8_t> buf;
  auto r = h.submit({1, 1}, read_request(0, 20, buf));
  h.run_for(kSecond);
  ASSERT_TRUE(h.completion(r.id));
  for (std::size_t i = n; i < h.sent.size(); ++i) EXPECT_EQ(h.sent[i].port, 1);
}

TEST(Multipath, MtuChangeOnAPortChangesPayloadAndRequeries) {
  Harness h(config_with_ports(1));
  FakeTarget t;
  t.sector_count = 17;
  h.connect(t, 0);
  h.bring_up(t);
  EXPECT_EQ(h.engine.device({1, 1})->paths[0].payload_sectors, 17u);
  const auto qc_before = t.query_configs;
  h.engine.set_port(0, true, 1500, h.now);
  h.pump();
  EXPECT_EQ(h.engine.device({1, 1})->paths[0].payload_sectors, 2u);
  EXPECT_EQ(t.query_configs, qc_before + 1) << "re-query after an MTU change";
}

}  // namespace
}  // namespace aoeh::initiator::testing
