// Device states: dead_after -> Down / Closewait with all I/O failed, revalidate, resize, open/close.
#include <gtest/gtest.h>

#include <random>

#include "initiator/tests/harness.hpp"

namespace aoeh::initiator::testing {
namespace {

EngineConfig dead_config(Nanos dead) {
  auto cfg = config_with_ports(1);
  cfg.dead_after = dead;
  cfg.rto_max = 500 * kMillisecond;
  return cfg;
}

TEST(States, DeadAfterTakesAClosedDeviceDownAndFailsAllIo) {
  Harness h(dead_config(10 * kSecond));
  FakeTarget t;
  t.buffer_count = 2;
  h.connect(t, 0);
  h.bring_up(t);
  t.silent = true;
  std::vector<std::vector<std::uint8_t>> bufs(5);
  std::vector<RequestId> ids;
  const Nanos start = h.now;
  for (int i = 0; i < 5; ++i) ids.push_back(h.submit({1, 1}, read_request(0, 8, bufs[i])).id);
  EXPECT_GT(h.engine.device({1, 1})->queued, 0u) << "some requests wait behind the window";
  h.run_for(9 * kSecond);
  EXPECT_TRUE(h.events_of(EventKind::DeviceDown).empty()) << "not before dead_after";
  h.run_for(2 * kSecond);
  auto down = h.events_of(EventKind::DeviceDown);
  ASSERT_EQ(down.size(), 1u);
  EXPECT_EQ(down[0].state, DeviceState::Down);
  EXPECT_GE(down[0].time - start, 10 * kSecond);
  EXPECT_LT(down[0].time - start, 11 * kSecond);
  for (auto id : ids) {
    auto c = h.completion(id);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->status, IoStatus::DeviceDown);
  }
  const auto d = h.engine.device({1, 1});
  EXPECT_EQ(d->state, DeviceState::Down);
  EXPECT_EQ(d->in_flight + d->queued, 0u);
  std::vector<std::uint8_t> buf;
  EXPECT_EQ(h.submit({1, 1}, read_request(0, 1, buf)).error, SubmitError::DeviceNotUp);
}

TEST(States, ProgressKeepsTheDeviceAlive) {
  Harness h(dead_config(2 * kSecond));
  FakeTarget t;
  h.connect(t, 0);
  h.bring_up(t);
  // A third of the replies are lost for far longer than dead_after, but the device keeps answering.
  std::mt19937 rng(7);
  h.drop_reply = [&](const SentFrame& s, const Bytes&) { return s.ata && rng() % 3 == 0; };
  std::vector<std::uint8_t> buf;
  auto r = h.submit({1, 1}, read_request(0, 400, buf));
  h.run_for(30 * kSecond);
  EXPECT_TRUE(h.events_of(EventKind::DeviceDown).empty());
  ASSERT_TRUE(h.completion(r.id));
  EXPECT_EQ(h.completion(r.id)->status, IoStatus::Ok);
}

TEST(States, IdleDeviceNeverDies) {
  Harness h(dead_config(2 * kSecond));
  FakeTarget t;
  h.connect(t, 0);
  h.bring_up(t);
  t.silent = true;
  h.run_for(100 * kSecond);
  EXPECT_EQ(h.engine.device({1, 1})->state, DeviceState::Up);
}

TEST(States, DeadAfterZeroMeansNever) {
  Harness h(dead_config(0));
  FakeTarget t;
  h.connect(t, 0);
  h.bring_up(t);
  t.silent = true;
  std::vector<std::uint8_t> buf;
  auto r = h.submit({1, 1}, read_request(0, 1, buf));
  h.run_for(1000 * kSecond);
  EXPECT_FALSE(h.completion(r.id));
  EXPECT_EQ(h.engine.device({1, 1})->state, DeviceState::Up);
  t.silent = false;
  h.run_for(10 * kSecond);
  EXPECT_TRUE(h.completion(r.id));
}

TEST(States, OpenDeviceGoesToClosewaitAndComesBackOnLastClose) {
  Harness h(dead_config(5 * kSecond));
  FakeTarget t;
  h.connect(t, 0);
  h.bring_up(t);
  h.engine.open({1, 1}, h.now);
  h.engine.open({1, 1}, h.now);
  t.silent = true;
  std::vector<std::uint8_t> buf;
  auto r = h.submit({1, 1}, read_request(0, 1, buf));
  h.run_for(6 * kSecond);
  ASSERT_EQ(h.completion(r.id)->status, IoStatus::DeviceDown);
  auto down = h.events_of(EventKind::DeviceDown);
  ASSERT_EQ(down.size(), 1u);
  EXPECT_EQ(down[0].state, DeviceState::Closewait);
  t.silent = false;
  h.engine.discover(h.now);
  h.pump();
  h.run_for(kSecond);
  EXPECT_EQ(h.engine.device({1, 1})->state, DeviceState::Closewait) << "discovery does not revive an open device";
  h.engine.close({1, 1}, h.now);
  h.pump();
  h.run_for(kSecond);
  EXPECT_EQ(h.engine.device({1, 1})->state, DeviceState::Closewait) << "not the last close";
  h.engine.close({1, 1}, h.now);
  h.pump();
  h.run_for(kSecond);
  EXPECT_EQ(h.engine.device({1, 1})->state, DeviceState::Up) << "the last close re-queries and brings it up";
  EXPECT_EQ(h.events_of(EventKind::DeviceUp).size(), 2u);
}

TEST(States, DownClosedDeviceComesBackOnDiscovery) {
  Harness h(dead_config(5 * kSecond));
  FakeTarget t;
  h.connect(t, 0);
  h.bring_up(t);
  t.silent = true;
  std::vector<std::uint8_t> buf;
  h.submit({1, 1}, read_request(0, 1, buf));
  h.run_for(6 * kSecond);
  ASSERT_EQ(h.engine.device({1, 1})->state, DeviceState::Down);
  t.silent = false;
  h.run_for(60 * kSecond);  // the periodic discovery round
  EXPECT_EQ(h.engine.device({1, 1})->state, DeviceState::Up);
}

TEST(States, RevalidateBringsDownDeviceUpAndReportsResize) {
  Harness h(dead_config(5 * kSecond));
  FakeTarget t;
  t.capacity = 1000;
  h.connect(t, 0);
  h.bring_up(t);
  h.engine.open({1, 1}, h.now);
  t.silent = true;
  std::vector<std::uint8_t> buf;
  h.submit({1, 1}, read_request(0, 1, buf));
  h.run_for(6 * kSecond);
  ASSERT_EQ(h.engine.device({1, 1})->state, DeviceState::Closewait);
  t.silent = false;
  t.capacity = 3000;
  h.engine.revalidate({1, 1}, h.now);
  h.pump();
  h.run_for(kSecond);
  EXPECT_EQ(h.engine.device({1, 1})->state, DeviceState::Up);
  EXPECT_EQ(h.engine.device({1, 1})->capacity_sectors, 3000u);
  auto resized = h.events_of(EventKind::DeviceResized);
  ASSERT_EQ(resized.size(), 1u);
  EXPECT_EQ(resized[0].old_sectors, 1000u);
  EXPECT_EQ(resized[0].new_sectors, 3000u);
}

TEST(States, OpenDeviceKeepsItsSizeUntilRevalidate) {
  Harness h(config_with_ports(1));
  FakeTarget t;
  t.capacity = 1000;
  h.connect(t, 0);
  h.bring_up(t);
  h.engine.open({1, 1}, h.now);
  t.capacity = 2000;
  h.run_for(125 * kSecond);  // two periodic discovery rounds
  EXPECT_EQ(h.engine.device({1, 1})->capacity_sectors, 1000u);
  EXPECT_TRUE(h.events_of(EventKind::DeviceResized).empty());
  const auto identifies = t.count_commands(proto::ata::kIdentify);
  h.engine.revalidate({1, 1}, h.now);
  h.pump();
  h.run_for(kSecond);
  EXPECT_EQ(t.count_commands(proto::ata::kIdentify), identifies + 1);
  EXPECT_EQ(h.engine.device({1, 1})->capacity_sectors, 2000u);
  EXPECT_EQ(h.events_of(EventKind::DeviceResized).size(), 1u);
}

TEST(States, ClosedDeviceNoticesResizeOnDiscoveryLikeLinux) {
  Harness h(config_with_ports(1));
  FakeTarget t;
  t.capacity = 1000;
  h.connect(t, 0);
  h.bring_up(t);
  t.capacity = 500;
  h.run_for(61 * kSecond);
  EXPECT_EQ(h.engine.device({1, 1})->capacity_sectors, 500u);
  auto resized = h.events_of(EventKind::DeviceResized);
  ASSERT_EQ(resized.size(), 1u);
  EXPECT_EQ(resized[0].new_sectors, 500u);
}

TEST(States, LastCloseReidentifiesAndAppliesTheNewSize) {
  Harness h(config_with_ports(1));
  FakeTarget t;
  t.capacity = 1000;
  h.connect(t, 0);
  h.bring_up(t);
  h.engine.open({1, 1}, h.now);
  EXPECT_TRUE(h.engine.device({1, 1})->open);
  t.capacity = 4000;
  h.engine.close({1, 1}, h.now);
  h.pump();
  h.run_for(kSecond);
  EXPECT_FALSE(h.engine.device({1, 1})->open);
  EXPECT_EQ(h.engine.device({1, 1})->capacity_sectors, 4000u);
  EXPECT_EQ(h.events_of(EventKind::DeviceResized).size(), 1u);
}

TEST(States, RevalidateLiftsPayloadFallbackAndRequeries) {
  Harness h(config_with_ports(1));
  FakeTarget t;
  h.connect(t, 0);
  h.bring_up(t);
  const auto qc = t.query_configs;
  h.engine.revalidate({1, 1}, h.now);
  h.pump();
  h.run_for(kSecond);
  EXPECT_EQ(t.query_configs, qc + 1);
  EXPECT_EQ(h.engine.device({1, 1})->state, DeviceState::Up);
  EXPECT_TRUE(h.events_of(EventKind::DeviceResized).empty()) << "same size: no resize event";
}

}  // namespace
}  // namespace aoeh::initiator::testing
