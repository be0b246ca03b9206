// Discovery: Query Config broadcasts, paths, announcements, address filtering, allow-list, IDENTIFY.
#include <gtest/gtest.h>

#include "initiator/tests/harness.hpp"

namespace aoeh::initiator::testing {
namespace {

TEST(Discovery, StartBroadcastsQueryConfigOnEveryAllowedUpPort) {
  auto cfg = config_with_ports(3);
  cfg.ports[2].up = false;
  Harness h(cfg);
  h.start();
  ASSERT_EQ(h.sent.size(), 2u);
  for (PortId p = 0; p < 2; ++p) {
    const auto& s = h.sent[p];
    EXPECT_EQ(s.port, p);
    EXPECT_TRUE(s.dst.is_broadcast());
    EXPECT_EQ(s.header.command, static_cast<std::uint8_t>(proto::Command::QueryConfig));
    EXPECT_EQ(s.header.shelf, proto::kBroadcastShelf);
    EXPECT_EQ(s.header.slot, proto::kBroadcastSlot);
    EXPECT_EQ(s.header.tag, 0u);
    EXPECT_EQ(s.header.src, port_mac(p));
    EXPECT_GE(s.bytes.size(), proto::kMinFrameSize);
  }
  EXPECT_EQ(h.engine.counters().discoveries, 1u);
}

TEST(Discovery, ReplyAddsPathIdentifiesAndBringsDeviceUp) {
  Harness h(config_with_ports(1));
  FakeTarget t;
  t.capacity = 123456;
  t.model = "AoE model";
  t.serial = "SER123";
  t.buffer_count = 24;
  t.config = "hello";
  h.connect(t, 0);
  h.bring_up(t);
  auto added = h.events_of(EventKind::PathAdded);
  ASSERT_EQ(added.size(), 1u);
  EXPECT_EQ(added[0].path, t.mac);
  EXPECT_EQ(added[0].device, (DeviceAddress{1, 1}));
  auto up = h.events_of(EventKind::DeviceUp);
  ASSERT_EQ(up.size(), 1u);
  EXPECT_EQ(up[0].new_sectors, 123456u);
  ASSERT_EQ(h.sent_ata(proto::ata::kIdentify).size(), 1u);
  const auto d = h.engine.device({1, 1});
  ASSERT_TRUE(d);
  EXPECT_EQ(d->state, DeviceState::Up);
  EXPECT_EQ(d->capacity_sectors, 123456u);
  EXPECT_TRUE(d->lba48);
  EXPECT_EQ(d->model, "AoE model");
  EXPECT_EQ(d->serial, "SER123");
  ASSERT_EQ(d->paths.size(), 1u);
  EXPECT_EQ(d->paths[0].mac, t.mac);
  EXPECT_EQ(d->paths[0].buffer_count, 24);
  EXPECT_EQ(d->paths[0].firmware, 0x4019);
  EXPECT_EQ(d->paths[0].config, "hello");
  EXPECT_EQ(d->paths[0].ports, std::vector<PortId>{0});
  EXPECT_EQ(h.engine.check_invariants(), "");
}

TEST(Discovery, PeriodicRediscoveryFindsTargetWhoseFirstReplyWasLost) {
  auto cfg = config_with_ports(1);
  cfg.discover_interval = 60 * kSecond;
  Harness h(cfg);
  FakeTarget t;
  h.connect(t, 0);
  int lost = 0;
  h.drop_reply = [&](const SentFrame& req, const Bytes&) {
    return req.header.command == static_cast<std::uint8_t>(proto::Command::QueryConfig) && lost++ == 0;
  };
  h.start();
  h.run_for(59 * kSecond);
  EXPECT_FALSE(h.engine.device({1, 1})) << "the only reply was lost";
  h.run_for(2 * kSecond);
  EXPECT_EQ(h.engine.counters().discoveries, 2u);
  const auto d = h.engine.device({1, 1});
  ASSERT_TRUE(d);
  EXPECT_EQ(d->state, DeviceState::Up);
}

TEST(Discovery, UnsolicitedVersionZeroUnpaddedAnnouncementIsAccepted) {
  Harness h(config_with_ports(1));
  FakeTarget t;
  t.qc_version = 0;  // vblade's start-up announcement
  t.pad = false;     // veth/tap do not pad
  h.connect(t, 0);
  const Bytes a = t.announcement();
  ASSERT_LT(a.size(), proto::kMinFrameSize);
  h.deliver(0, a);
  ASSERT_TRUE(h.engine.device({1, 1}));
  h.run_for(kSecond);
  EXPECT_EQ(h.engine.device({1, 1})->state, DeviceState::Up) << "unpadded IDENTIFY reply must be accepted too";
  EXPECT_EQ(h.engine.counters().malformed, 0u);
}

TEST(Discovery, BroadcastAddressesInRepliesAreRejected) {
  Harness h(config_with_ports(1));
  FakeTarget t;
  t.shelf = proto::kBroadcastShelf;
  h.deliver(0, t.announcement());
  FakeTarget u;
  u.slot = proto::kBroadcastSlot;
  h.deliver(0, u.announcement());
  EXPECT_TRUE(h.engine.devices().empty());
  EXPECT_EQ(h.engine.counters().ignored, 2u);
  EXPECT_TRUE(h.sent.empty()) << "no IDENTIFY for a broadcast address";
}

TEST(Discovery, ShelfUnsetIsFlaggedAndNotUsed) {
  Harness h(config_with_ports(1));
  FakeTarget t;
  t.shelf = proto::kUnsetShelf;
  t.slot = 3;
  h.deliver(0, t.announcement());
  auto e = h.events_of(EventKind::ShelfUnset);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].device, (DeviceAddress{proto::kUnsetShelf, 3}));
  EXPECT_EQ(e[0].path, t.mac);
  EXPECT_TRUE(h.engine.devices().empty());
}

TEST(Discovery, FramesFromPortsOutsideTheAllowListAreIgnored) {
  auto cfg = config_with_ports(2);
  cfg.ports[1].up = false;
  Harness h(cfg);
  FakeTarget t;
  h.deliver(7, t.announcement());  // no such port id
  h.deliver(1, t.announcement());  // allowed but down
  EXPECT_TRUE(h.engine.devices().empty());
  EXPECT_EQ(h.engine.counters().ignored, 2u);
  EXPECT_EQ(h.engine.counters().frames_received, 0u);
  h.deliver(0, t.announcement());
  EXPECT_EQ(h.engine.devices().size(), 1u);
  EXPECT_EQ(h.engine.counters().frames_received, 1u);
  for (const auto& s : h.sent) EXPECT_EQ(s.port, 0) << "only allowed, up ports carry frames";
}

TEST(Discovery, RequestsAndFramesForOtherHostsAreIgnored) {
  Harness h(config_with_ports(1));
  FakeTarget t;
  Bytes a = t.announcement();
  proto::Header hd = *proto::parse_header(a);
  // Another initiator's Query Config request.
  hd.flags = 0;
  Bytes req = a;
  proto::store_header(req.data(), hd);
  h.deliver(0, req);
  // A response unicast to some other host.
  hd.flags = proto::kFlagResponse;
  hd.dst = proto::MacAddress{{0x02, 9, 9, 9, 9, 9}};
  Bytes other = a;
  proto::store_header(other.data(), hd);
  h.deliver(0, other);
  EXPECT_TRUE(h.engine.devices().empty());
  EXPECT_EQ(h.engine.counters().ignored, 2u);
}

TEST(Discovery, GarbageIsCountedAsMalformed) {
  Harness h(config_with_ports(1));
  h.deliver(0, Bytes{1, 2, 3});
  Bytes wrong_type(60, 0);
  h.deliver(0, wrong_type);
  EXPECT_EQ(h.engine.counters().malformed, 2u);
}

TEST(Discovery, EachReceivingPortBecomesAWayAndEachMacAPath) {
  Harness h(config_with_ports(2));
  FakeTarget a;
  FakeTarget b;
  b.mac = proto::MacAddress{{0x02, 0, 0, 0, 0x10, 0x02}};
  h.connect(a, 0);
  h.connect(a, 1);
  h.connect(b, 1);
  h.bring_up(a);
  const auto d = h.engine.device({1, 1});
  ASSERT_TRUE(d);
  ASSERT_EQ(d->paths.size(), 2u);
  EXPECT_EQ(d->paths[0].mac, a.mac);
  EXPECT_EQ(d->paths[0].ports, (std::vector<PortId>{0, 1}));
  EXPECT_EQ(d->paths[1].mac, b.mac);
  EXPECT_EQ(d->paths[1].ports, (std::vector<PortId>{1}));
  EXPECT_EQ(h.events_of(EventKind::PathAdded).size(), 2u);
}

TEST(Discovery, ConfigChangeIsReported) {
  Harness h(config_with_ports(1));
  FakeTarget t;
  h.connect(t, 0);
  h.bring_up(t);
  t.buffer_count = 4;
  t.config = "new";
  h.engine.discover(h.now);
  h.pump();
  h.run_for(kSecond);
  auto e = h.events_of(EventKind::ConfigChanged);
  ASSERT_EQ(e.size(), 1u);
  const auto d = h.engine.device({1, 1});
  EXPECT_EQ(d->paths[0].buffer_count, 4);
  EXPECT_EQ(d->paths[0].config, "new");
  EXPECT_LE(d->paths[0].cwnd, 4u);
}

TEST(Discovery, IdentifyOfLba28DeviceIsRecognised) {
  Harness h(config_with_ports(1));
  FakeTarget t;
  t.lba48 = false;
  t.capacity = 100000;
  h.connect(t, 0);
  h.bring_up(t);
  const auto d = h.engine.device({1, 1});
  EXPECT_FALSE(d->lba48);
  EXPECT_EQ(d->capacity_sectors, 100000u);
}

TEST(Discovery, IdentifyWithAtaErrorFailsTheDevice) {
  Harness h(config_with_ports(1));
  FakeTarget t;
  t.ata_status = proto::ata::kStatusDrdy | proto::ata::kStatusErr;
  t.ata_error = proto::ata::kErrorAbrt;
  t.ata_fail_count = 1;
  h.connect(t, 0);
  h.start();
  h.run_for(kSecond);
  auto f = h.events_of(EventKind::DeviceFailed);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].ata_error, proto::ata::kErrorAbrt);
  EXPECT_EQ(h.engine.device({1, 1})->state, DeviceState::Failed);
  h.engine.revalidate({1, 1}, h.now);
  h.run_for(kSecond);
  EXPECT_EQ(h.engine.device({1, 1})->state, DeviceState::Up) << "revalidate brings a failed device back";
}

}  // namespace
}  // namespace aoeh::initiator::testing
