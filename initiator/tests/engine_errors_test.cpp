// AoE Error replies by code, ATA error status, failure of multi-frame requests.
#include <gtest/gtest.h>

#include "initiator/tests/harness.hpp"

namespace aoeh::initiator::testing {
namespace {

struct Up {
  explicit Up(EngineConfig cfg = config_with_ports(1)) : h(std::move(cfg)) {
    h.connect(t, 0);
    h.bring_up(t);
  }
  Harness h;
  FakeTarget t;
};

class FailFast : public ::testing::TestWithParam<std::uint8_t> {};

TEST_P(FailFast, ErrorCodeFailsTheRequestAtOnce) {
  Up u;
  const std::uint8_t code = GetParam();
  u.t.aoe_error = code;
  u.t.aoe_error_count = 1;
  std::vector<std::uint8_t> buf;
  auto r = u.h.submit({1, 1}, read_request(0, 1, buf));
  u.h.run_for(kSecond);
  auto c = u.h.completion(r.id);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->status, code == 6 ? IoStatus::Reserved : IoStatus::AoeError);
  EXPECT_EQ(c->aoe_error, static_cast<proto::AoeError>(code));
  EXPECT_EQ(u.h.sent_ata(proto::ata::kReadSectorsExt).size(), 1u) << "not retried";
  EXPECT_EQ(u.h.engine.counters().error_replies[code], 1u);
  EXPECT_EQ(u.h.engine.counters().requests_failed, 1u);
  EXPECT_EQ(u.h.engine.device({1, 1})->state, DeviceState::Up) << "one failed request does not take the device down";
}

INSTANTIATE_TEST_SUITE_P(Errors, FailFast, ::testing::Values(1, 2, 5, 6));

TEST(Errors, DeviceUnavailableIsRetriedThenFails) {
  auto cfg = config_with_ports(1);
  cfg.device_unavailable_retries = 3;
  Up u(cfg);
  u.t.aoe_error = 3;
  u.t.aoe_error_count = 100;
  std::vector<std::uint8_t> buf;
  auto r = u.h.submit({1, 1}, read_request(0, 1, buf));
  u.h.run_for(5 * kSecond);
  auto c = u.h.completion(r.id);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->status, IoStatus::AoeError);
  EXPECT_EQ(c->aoe_error, proto::AoeError::DeviceUnavailable);
  EXPECT_EQ(u.h.sent_ata(proto::ata::kReadSectorsExt).size(), 4u) << "1 try + 3 retries";
  EXPECT_EQ(u.h.engine.counters().error_replies[3], 4u);
  EXPECT_EQ(u.h.engine.counters().timeouts, 0u) << "an answered frame is not a timeout";
}

TEST(Errors, DeviceUnavailableThatClearsSucceeds) {
  Up u;
  u.t.aoe_error = 3;
  u.t.aoe_error_count = 2;
  std::vector<std::uint8_t> buf;
  auto r = u.h.submit({1, 1}, read_request(9, 1, buf));
  u.h.run_for(5 * kSecond);
  auto c = u.h.completion(r.id);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->status, IoStatus::Ok);
  EXPECT_TRUE(matches_pattern(u.t, 9, buf));
  const auto tries = u.h.sent_ata(proto::ata::kReadSectorsExt);
  ASSERT_EQ(tries.size(), 3u);
  EXPECT_GT(tries[1].time, tries[0].time) << "retried after a pause, not in a tight loop";
}

TEST(Errors, AtaErrorStatusFailsWithRegisters) {
  // Each of BSY, DF, DRQ and ERR alone fails the request (Linux: status & 0xA9).
  for (std::uint8_t status : {proto::ata::kStatusErr, proto::ata::kStatusDf, proto::ata::kStatusDrq, proto::ata::kStatusBsy}) {
    Up u;
    u.t.ata_status = static_cast<std::uint8_t>(proto::ata::kStatusDrdy | status);
    u.t.ata_error = proto::ata::kErrorUnc;
    u.t.ata_fail_count = 1;
    std::vector<std::uint8_t> buf;
    auto r = u.h.submit({1, 1}, read_request(3, 1, buf));
    u.h.run_for(kSecond);
    auto c = u.h.completion(r.id);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->status, IoStatus::AtaError) << int(status);
    EXPECT_EQ(c->ata_status, proto::ata::kStatusDrdy | status);
    EXPECT_EQ(c->ata_error, proto::ata::kErrorUnc);
  }
}

TEST(Errors, ReadBeyondTheTargetsEndReportsIdnf) {
  Up u;
  u.t.capacity = 10;  // the target shrank; the engine still believes the old size
  std::vector<std::uint8_t> buf;
  auto r = u.h.submit({1, 1}, read_request(20, 1, buf));
  u.h.run_for(kSecond);
  auto c = u.h.completion(r.id);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->status, IoStatus::AtaError);
  EXPECT_EQ(c->ata_error, proto::ata::kErrorIdnf);
}

TEST(Errors, FirstFailingFrameFailsTheRequestOnceAndCancelsTheRest) {
  Up u;
  std::vector<Bytes> held;
  u.h.drop_reply = [&](const SentFrame& s, const Bytes& r) {
    if (!s.ata) return false;
    held.push_back(r);
    return true;
  };
  u.t.buffer_count = 16;
  std::vector<std::uint8_t> warm;
  u.h.submit({1, 1}, read_request(0, 60, warm));  // open the window
  for (int i = 0; i < 10 && !held.empty(); ++i) {
    auto b = std::move(held);
    held.clear();
    for (auto& x : b) u.h.deliver(0, x);
  }
  u.t.ata_status = proto::ata::kStatusDrdy | proto::ata::kStatusErr;
  u.t.ata_error = proto::ata::kErrorUnc;
  u.t.ata_fail_count = 1;  // the first frame of the next request fails
  std::vector<std::uint8_t> buf;
  auto r = u.h.submit({1, 1}, read_request(100, 20, buf));
  ASSERT_GE(held.size(), 3u) << "several frames of the request in flight";
  // Deliver the good replies first, then the failure, then nothing else may complete it.
  auto b = std::move(held);
  held.clear();
  u.h.drop_reply = nullptr;
  std::rotate(b.begin(), b.begin() + 1, b.end());
  for (auto& x : b) u.h.deliver(0, x);
  u.h.run_for(kSecond);
  auto c = u.h.completion(r.id);  // fails the test if completed twice
  ASSERT_TRUE(c);
  EXPECT_EQ(c->status, IoStatus::AtaError);
  EXPECT_EQ(u.h.engine.device({1, 1})->in_flight, 0u);
  EXPECT_EQ(u.h.engine.device({1, 1})->queued, 0u);
  EXPECT_EQ(u.h.engine.check_invariants(), "");
}

}  // namespace
}  // namespace aoeh::initiator::testing
