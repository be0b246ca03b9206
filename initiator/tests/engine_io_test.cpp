// I/O: read/write/flush, LBA28/LBA48 commands, splitting by payload, submit validation,
// exactly-once completion.
#include <gtest/gtest.h>

#include "initiator/tests/harness.hpp"

namespace aoeh::initiator::testing {
namespace {

TEST(Io, ReadReturnsTargetDataAndCompletesOnce) {
  Harness h(config_with_ports(1));
  FakeTarget t;
  h.connect(t, 0);
  h.bring_up(t);
  std::vector<std::uint8_t> buf;
  auto r = h.submit({1, 1}, read_request(1000, 2, buf));
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r.id, 0u);
  h.run_for(kSecond);
  auto c = h.completion(r.id);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->status, IoStatus::Ok);
  EXPECT_TRUE(matches_pattern(t, 1000, buf));
  EXPECT_EQ(h.engine.counters().requests_completed, 1u);
}

TEST(Io, RepliesWithZeroSectorCountLikeVbladeAreAccepted) {
  Harness h(config_with_ports(1));
  FakeTarget t;
  t.zero_count_in_replies = true;
  t.pad = false;
  h.connect(t, 0);
  h.bring_up(t);  // IDENTIFY answered with count 0 too
  std::vector<std::uint8_t> buf;
  auto r = h.submit({1, 1}, read_request(300, 2, buf));
  h.run_for(kSecond);
  ASSERT_TRUE(h.completion(r.id));
  EXPECT_EQ(h.completion(r.id)->status, IoStatus::Ok);
  EXPECT_TRUE(matches_pattern(t, 300, buf));
}

TEST(Io, ReadReplyWithoutItsDataIsNotAccepted) {
  Harness h(config_with_ports(1));
  FakeTarget t;
  h.connect(t, 0);
  h.bring_up(t);
  int truncated = 0;
  h.drop_reply = [&](const SentFrame& s, const Bytes& r) {
    if (!s.ata || truncated++ > 0) return false;
    Bytes cut(r.begin(), r.begin() + 36 + 512);  // one sector of the two asked for
    h.deliver(0, cut);
    return true;
  };
  std::vector<std::uint8_t> buf;
  auto r = h.submit({1, 1}, read_request(300, 2, buf));
  EXPECT_FALSE(h.completion(r.id));
  EXPECT_EQ(h.engine.counters().malformed, 1u);
  h.run_for(kSecond);  // the retransmission is answered in full
  ASSERT_TRUE(h.completion(r.id));
  EXPECT_TRUE(matches_pattern(t, 300, buf));
}

TEST(Io, WriteThenReadRoundTrips) {
  Harness h(config_with_ports(1));
  FakeTarget t;
  h.connect(t, 0);
  h.bring_up(t);
  std::vector<std::uint8_t> data(8 * 512);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 13 + 5);
  IoRequest w = write_request(77, 8, data);
  w.user_data = 42;
  auto wr = h.submit({1, 1}, w);
  ASSERT_TRUE(wr.ok());
  h.run_for(kSecond);
  ASSERT_TRUE(h.completion(wr.id));
  EXPECT_EQ(h.completion(wr.id)->user_data, 42u);
  for (int s = 0; s < 8; ++s)
    EXPECT_TRUE(std::equal((*t.disk)[77 + s].begin(), (*t.disk)[77 + s].end(), data.begin() + s * 512));
  std::vector<std::uint8_t> back;
  auto rd = h.submit({1, 1}, read_request(77, 8, back));
  h.run_for(kSecond);
  ASSERT_TRUE(h.completion(rd.id));
  EXPECT_EQ(back, data);
}

TEST(Io, Lba48DeviceUsesExtCommandsAndLba28DeviceTheShortOnes) {
  for (bool lba48 : {true, false}) {
    Harness h(config_with_ports(1));
    FakeTarget t;
    t.lba48 = lba48;
    t.capacity = 0x0FFFFFF0;
    h.connect(t, 0);
    h.bring_up(t);
    std::vector<std::uint8_t> buf;
    const std::uint64_t lba = 0x0ABCDEF1;
    h.submit({1, 1}, read_request(lba, 1, buf));
    std::vector<std::uint8_t> wbuf(512, 0x5A);
    h.submit({1, 1}, write_request(lba, 1, wbuf));
    IoRequest fl;
    fl.kind = IoKind::Flush;
    auto f = h.submit({1, 1}, fl);
    ASSERT_TRUE(f.ok());
    h.run_for(kSecond);
    ASSERT_TRUE(h.completion(f.id));
    const auto reads = h.sent_ata(lba48 ? proto::ata::kReadSectorsExt : proto::ata::kReadSectors);
    const auto writes = h.sent_ata(lba48 ? proto::ata::kWriteSectorsExt : proto::ata::kWriteSectors);
    const auto flushes = h.sent_ata(lba48 ? proto::ata::kFlushCacheExt : proto::ata::kFlushCache);
    ASSERT_EQ(reads.size(), 1u) << "lba48=" << lba48;
    ASSERT_EQ(writes.size(), 1u);
    ASSERT_EQ(flushes.size(), 1u);
    EXPECT_EQ(reads[0].ata->lba, lba);
    EXPECT_EQ(reads[0].ata->extended(), lba48);
    EXPECT_TRUE(writes[0].ata->write());
    EXPECT_EQ(flushes[0].ata->sector_count, 0);
    if (!lba48) {
      EXPECT_EQ(reads[0].bytes[31], 0xE0 | ((lba >> 24) & 0x0F)) << "LBA28 device register";
    }
    EXPECT_EQ(t.flushes, 1u);
    EXPECT_EQ((*t.disk)[lba][0], 0x5A);
  }
}

struct PayloadCase {
  std::uint32_t port_mtu;
  std::uint8_t sector_count;
  std::uint32_t expect;
};

class Payload : public ::testing::TestWithParam<PayloadCase> {};

TEST_P(Payload, FramesCarryMinOfSectorCountAndMtu) {
  const auto pc = GetParam();
  Harness h(config_with_ports(1, pc.port_mtu));
  FakeTarget t;
  t.sector_count = pc.sector_count;
  h.connect(t, 0);
  h.bring_up(t);
  EXPECT_EQ(h.engine.device({1, 1})->paths[0].payload_sectors, pc.expect);
  std::vector<std::uint8_t> buf;
  auto r = h.submit({1, 1}, read_request(10, 100, buf));
  h.run_for(5 * kSecond);
  ASSERT_TRUE(h.completion(r.id));
  EXPECT_EQ(h.completion(r.id)->status, IoStatus::Ok);
  EXPECT_TRUE(matches_pattern(t, 10, buf));
  const auto reads = h.sent_ata(proto::ata::kReadSectorsExt);
  std::uint64_t next = 10;
  std::uint32_t total = 0;
  for (const auto& s : reads) {
    EXPECT_LE(s.ata->sector_count, pc.expect);
    EXPECT_EQ(s.ata->lba, next) << "frames cover the request in order";
    next += s.ata->sector_count;
    total += s.ata->sector_count;
  }
  EXPECT_EQ(total, 100u);
  EXPECT_EQ(reads.size(), (100 + pc.expect - 1) / pc.expect);
}

INSTANTIATE_TEST_SUITE_P(Io, Payload,
                         ::testing::Values(PayloadCase{1500, 17, 2}, PayloadCase{9000, 17, 17},
                                           PayloadCase{9000, 0, 2}, PayloadCase{9000, 8, 8},
                                           PayloadCase{4000, 255, 7}));

TEST(Io, EightMebibyteRequestCompletesWithAllData) {
  Harness h(config_with_ports(1));
  FakeTarget t;
  t.sector_count = 17;
  t.capacity = 1u << 24;
  h.connect(t, 0);
  h.bring_up(t);
  std::vector<std::uint8_t> buf;
  auto r = h.submit({1, 1}, read_request(5, 16384, buf));
  ASSERT_TRUE(r.ok());
  h.run_for(30 * kSecond);
  auto c = h.completion(r.id);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->status, IoStatus::Ok);
  EXPECT_TRUE(matches_pattern(t, 5, buf));
  EXPECT_EQ(h.engine.device({1, 1})->in_flight, 0u);
}

TEST(Io, SubmitValidation) {
  auto cfg = config_with_ports(1);
  cfg.max_request_sectors = 64;
  Harness h(cfg);
  FakeTarget t;
  t.capacity = 1000;
  h.connect(t, 0);
  std::vector<std::uint8_t> buf;
  EXPECT_EQ(h.submit({1, 1}, read_request(0, 1, buf)).error, SubmitError::NoSuchDevice);
  h.start();
  h.deliver(0, t.announcement());
  EXPECT_EQ(h.submit({1, 1}, read_request(0, 1, buf)).error, SubmitError::DeviceNotUp) << "still identifying";
  h.bring_up(t);
  EXPECT_EQ(h.submit({1, 1}, read_request(999, 2, buf)).error, SubmitError::BeyondEnd);
  EXPECT_EQ(h.submit({1, 1}, read_request(~0ull - 1, 2, buf)).error, SubmitError::BeyondEnd);
  EXPECT_EQ(h.submit({1, 1}, read_request(0, 65, buf)).error, SubmitError::TooLarge);
  IoRequest bad = read_request(0, 2, buf);
  bad.buffer = bad.buffer.first(100);
  EXPECT_EQ(h.submit({1, 1}, bad).error, SubmitError::BadBuffer);
  IoRequest zero = read_request(0, 1, buf);
  zero.sectors = 0;
  zero.buffer = {};
  EXPECT_EQ(h.submit({1, 1}, zero).error, SubmitError::BadBuffer);
  EXPECT_TRUE(h.submit({1, 1}, read_request(998, 2, buf)).ok());
  EXPECT_STREQ(submit_error_name(SubmitError::BeyondEnd), "beyond end of device");
}

TEST(Io, ManyConcurrentRequestsEachCompleteExactlyOnce) {
  Harness h(config_with_ports(1));
  FakeTarget t;
  h.connect(t, 0);
  h.bring_up(t);
  std::vector<std::vector<std::uint8_t>> bufs(200);
  std::vector<RequestId> ids;
  for (int i = 0; i < 200; ++i) {
    auto r = h.submit({1, 1}, read_request(static_cast<std::uint64_t>(i) * 3, 1 + i % 5, bufs[i]));
    ASSERT_TRUE(r.ok());
    ids.push_back(r.id);
  }
  h.run_for(10 * kSecond);
  for (int i = 0; i < 200; ++i) {
    auto c = h.completion(ids[i]);  // completion() fails the test on a second completion
    ASSERT_TRUE(c) << i;
    EXPECT_EQ(c->status, IoStatus::Ok);
    EXPECT_TRUE(matches_pattern(t, static_cast<std::uint64_t>(i) * 3, bufs[i]));
  }
  EXPECT_EQ(h.events_of(EventKind::IoCompleted).size(), 200u);
  EXPECT_EQ(h.engine.check_invariants(), "");
}

}  // namespace
}  // namespace aoeh::initiator::testing
