// Counters agree with what actually crossed the wire; thousands of devices come up.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <utility>

#include "initiator/tests/harness.hpp"

namespace aoeh::initiator::testing {
namespace {

TEST(Counters, MatchTheFramesThatCrossedTheWire) {
  auto cfg = config_with_ports(1);
  cfg.path_unhealthy_after = 1000 * kSecond;
  Harness h(cfg);
  FakeTarget t;
  h.connect(t, 0);
  int n = 0;
  std::size_t dropped = 0;
  h.drop_reply = [&](const SentFrame& s, const Bytes&) {
    const bool drop = s.ata && ++n % 5 == 0;
    dropped += drop;
    return drop;
  };
  h.bring_up(t);
  std::vector<std::uint8_t> buf;
  for (int i = 0; i < 20; ++i) h.submit({1, 1}, read_request(static_cast<std::uint64_t>(i) * 8, 8, buf));
  h.run_for(5 * kSecond);
  h.deliver(0, t.announcement());  // a closed device re-identifies on a config answer (Linux)
  h.deliver(3, t.announcement());  // not an allowed port
  h.run_for(kSecond);
  const auto& c = h.engine.counters();
  std::size_t ata_sent = 0;
  std::set<std::uint64_t> distinct_reads;  // one frame per LBA here
  std::size_t reads = 0, identifies = 0;
  for (const auto& s : h.sent) {
    if (!s.ata) continue;
    ++ata_sent;
    if (s.ata->cmd_status == proto::ata::kIdentify) {
      ++identifies;
    } else {
      ++reads;
      distinct_reads.insert(s.ata->lba);
    }
  }
  EXPECT_EQ(c.frames_sent, h.sent.size());
  EXPECT_EQ(t.ata_log.size(), ata_sent) << "no request was lost: the target saw every ATA frame";
  // Two IDENTIFY frames (bring-up and the re-identify), one frame per read LBA; the rest resent.
  EXPECT_EQ(c.retransmits, (reads - distinct_reads.size()) + (identifies - 2));
  EXPECT_EQ(c.timeouts, c.retransmits) << "every retransmission here follows a timeout";
  EXPECT_GT(c.timeouts, 0u);
  for (auto e : c.error_replies) EXPECT_EQ(e, 0u);
  EXPECT_EQ(c.requests_failed, 0u);
  EXPECT_EQ(c.requests_completed, 20u);
  EXPECT_EQ(c.late_replies + c.duplicate_replies + c.unknown_tags, 0u);
  EXPECT_EQ(c.discoveries, 1u);
  EXPECT_EQ(c.ignored, 1u);
  EXPECT_EQ(c.malformed, 0u);
  // Every frame the targets answered and the harness delivered was received.
  EXPECT_EQ(c.frames_received, t.query_configs + (t.ata_log.size() - dropped) + 1);
  EXPECT_EQ(dropped, c.timeouts);
}

TEST(Scale, TwoThousandDevicesComeUp) {
  Harness h(config_with_ports(1));
  std::vector<std::unique_ptr<FakeTarget>> targets;
  for (int i = 0; i < 2000; ++i) {
    auto t = std::make_unique<FakeTarget>();
    t->shelf = static_cast<std::uint16_t>(i / 16);
    t->slot = static_cast<std::uint8_t>(i % 16);
    t->mac = proto::MacAddress{{0x02, 0, 0, static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i), 1}};
    t->capacity = 1000 + static_cast<std::uint64_t>(i);
    h.connect(*t, 0);
    targets.push_back(std::move(t));
  }
  h.start();
  h.run_for(kSecond);
  const auto devices = h.engine.devices();
  ASSERT_EQ(devices.size(), 2000u);
  for (const auto& d : devices) {
    EXPECT_EQ(d.state, DeviceState::Up);
    EXPECT_EQ(d.capacity_sectors, 1000u + d.address.shelf * 16u + d.address.slot);
  }
  EXPECT_EQ(h.events_of(EventKind::DeviceUp).size(), 2000u);
  EXPECT_EQ(h.engine.check_invariants(), "");
}

}  // namespace
}  // namespace aoeh::initiator::testing
