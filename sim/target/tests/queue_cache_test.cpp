// Service time, bufcnt, the write-back cache with crash/restart, several ports and the block stores.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "sim/target/tests/target_fixture.hpp"

namespace aoeh::target::testing {
namespace {

namespace ata = proto::ata;

Bytes read_frame(std::uint64_t lba, std::uint8_t count, std::uint32_t tag) {
  return ata_frame(ata_header(tag), proto::ata_read_arg(lba, count, true));
}

std::uint32_t tag_of(const Bytes& f) { return proto::parse_header(f)->tag; }

TEST(ServiceTime, RepliesWaitForFixedPlusPerSectorAndKeepOrder) {
  auto c = base_config();
  c.service = {1000, 100};
  Target t(c);
  EXPECT_EQ(t.next_timeout(), kNever);
  t.handle_frame(0, read_frame(0, 2, 1), 0);     // due 0 + 1000 + 200 = 1200
  t.handle_frame(0, read_frame(0, 1, 2), 500);   // due max(500, 1200) + 1100 = 2300
  EXPECT_TRUE(drain(t).empty());
  EXPECT_EQ(t.queued_requests(), 2u);
  EXPECT_EQ(t.next_timeout(), 1200);
  t.handle_timeout(1199);
  EXPECT_TRUE(drain(t).empty());
  t.handle_timeout(1200);
  auto out = drain(t);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(tag_of(out[0].bytes), 1u);
  EXPECT_EQ(t.next_timeout(), 2300);
  t.handle_timeout(5000);
  out = drain(t);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(tag_of(out[0].bytes), 2u);
  EXPECT_EQ(t.next_timeout(), kNever);
}

TEST(ServiceTime, IdleTargetStartsServiceAtArrival) {
  auto c = base_config();
  c.service = {1000, 0};
  Target t(c);
  t.handle_frame(0, read_frame(0, 1, 1), 10'000);
  EXPECT_EQ(t.next_timeout(), 11'000);
}

TEST(ServiceTime, NonAtaCommandsAreAnsweredAtOnce) {
  auto c = base_config();
  c.service = {1000, 0};
  Target t(c);
  t.handle_frame(0, read_frame(0, 1, 1), 0);
  EXPECT_EQ(transact(t, config_frame(request_header(1), proto::ConfigCommand::Read), 0, 1).size(), 1u);
  EXPECT_EQ(t.queued_requests(), 1u);
}

TEST(ServiceTime, ExecutionHappensAtCompletionInOrder) {
  auto c = base_config();
  c.service = {1000, 0};
  Target t(c);
  // A read queued behind a write to the same sector sees the written data.
  t.handle_frame(0, ata_frame(ata_header(1), proto::ata_write_arg(4, 1, true), pattern(1, 0x42)), 0);
  t.handle_frame(0, read_frame(4, 1, 2), 1);
  t.handle_timeout(10'000);
  auto out = drain(t);
  ASSERT_EQ(out.size(), 2u);
  auto m = parse_reply(out[1].bytes);
  EXPECT_EQ(Bytes(m.ata()->data.begin(), m.ata()->data.end()), pattern(1, 0x42));
}

TEST(Bufcnt, RequestsBeyondTheQueueAreDroppedAndCounted) {
  auto c = base_config();
  c.bufcnt = 3;
  c.service = {1000, 0};
  Target t(c);
  for (std::uint32_t i = 0; i < 5; ++i) t.handle_frame(0, read_frame(0, 1, i), 0);
  EXPECT_EQ(t.queued_requests(), 3u);
  EXPECT_EQ(t.counters().dropped_bufcnt, 2u);
  t.handle_timeout(1'000'000);
  auto out = drain(t);
  ASSERT_EQ(out.size(), 3u);
  for (std::uint32_t i = 0; i < 3; ++i) EXPECT_EQ(tag_of(out[i].bytes), i);
  // Room again once served.
  t.handle_frame(0, read_frame(0, 1, 9), 2'000'000);
  EXPECT_EQ(t.queued_requests(), 1u);
}

TEST(Bufcnt, ErrorsAreAnsweredWithoutTakingASlot) {
  auto c = base_config();
  c.bufcnt = 1;
  c.service = {1000, 0};
  Target t(c);
  t.handle_frame(0, read_frame(0, 1, 1), 0);
  auto out = transact(t, read_frame(0, 3, 2), 0, 0);  // count 3 > 2: Error 2 immediately
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(proto::parse_header(out[0].bytes)->aoe_error(), proto::AoeError::BadArgument);
  EXPECT_EQ(t.counters().dropped_bufcnt, 0u);
}

TEST(Bufcnt, GrowingKeepsQueuedRequestsInOrder) {
  auto c = base_config();
  c.bufcnt = 2;
  c.service = {1000, 0};
  Target t(c);
  t.handle_frame(0, read_frame(0, 1, 1), 0);
  t.handle_frame(0, read_frame(0, 1, 2), 0);
  t.handle_timeout(1000);  // serves 1; the ring's head moves
  drain(t);
  t.handle_frame(0, read_frame(0, 1, 3), 1000);
  t.set_bufcnt(4);
  t.handle_frame(0, read_frame(0, 1, 4), 1000);
  t.handle_frame(0, read_frame(0, 1, 5), 1000);
  EXPECT_EQ(t.counters().dropped_bufcnt, 0u);
  t.handle_timeout(1'000'000);
  auto out = drain(t);
  ASSERT_EQ(out.size(), 4u);
  for (std::uint32_t i = 0; i < 4; ++i) EXPECT_EQ(tag_of(out[i].bytes), i + 2);
}

TEST(WriteCache, FlushCommitsAndCrashLosesUnflushedWrites) {
  auto store = std::make_shared<MemoryStore>();
  auto c = base_config();
  c.write_cache = true;
  c.store = store;
  Target t(c);
  ASSERT_EQ(wire_write(t, 10, pattern(2, 1)), ata::kStatusDrdy);
  EXPECT_EQ(t.dirty_sectors(), 2u);
  EXPECT_EQ(store->sectors_written(), 0u);
  EXPECT_EQ(wire_read(t, 10, 2), pattern(2, 1));  // reads see the cache
  auto flush = parse_reply(transact_one(t, ata_frame(ata_header(), proto::ata_flush_arg(true))));
  EXPECT_EQ(flush.ata()->arg.cmd_status, ata::kStatusDrdy);
  EXPECT_EQ(t.dirty_sectors(), 0u);
  EXPECT_EQ(store->sectors_written(), 2u);

  ASSERT_EQ(wire_write(t, 10, pattern(1, 2)), ata::kStatusDrdy);  // overwrite sector 10, unflushed
  ASSERT_EQ(wire_write(t, 20, pattern(1, 3)), ata::kStatusDrdy);
  t.crash(0);
  EXPECT_TRUE(t.crashed());
  EXPECT_TRUE(transact(t, read_frame(10, 1, 1)).empty());  // silent while down
  EXPECT_EQ(t.counters().ignored_while_crashed, 1u);
  t.restart(0);
  auto announce = drain(t);  // a rebooted target announces itself
  ASSERT_EQ(announce.size(), 1u);
  EXPECT_TRUE(parse_reply(announce[0].bytes).header.dst.is_broadcast());
  EXPECT_EQ(wire_read(t, 10, 2), pattern(2, 1));   // flushed data survived, the later write did not
  EXPECT_EQ(wire_read(t, 20, 1), Bytes(512, 0));
}

TEST(WriteCache, WriteThroughSurvivesCrash) {
  Target t(base_config());
  ASSERT_EQ(wire_write(t, 1, pattern(1, 5)), ata::kStatusDrdy);
  t.crash(0);
  t.restart(0);
  drain(t);
  EXPECT_EQ(wire_read(t, 1, 1), pattern(1, 5));
}

TEST(WriteCache, CrashDropsQueuedRequestsAndUnsentReplies) {
  auto c = base_config();
  c.service = {1000, 0};
  c.announce_on_restart = false;
  Target t(c);
  t.handle_frame(0, ata_frame(ata_header(1), proto::ata_write_arg(3, 1, true), pattern(1, 7)), 0);
  t.handle_frame(0, config_frame(request_header(1), proto::ConfigCommand::Read), 0);  // reply pending
  t.crash(10);
  EXPECT_EQ(t.next_timeout(), kNever);
  t.restart(20);
  EXPECT_TRUE(drain(t).empty());
  t.set_service_time({});
  EXPECT_EQ(wire_read(t, 3, 1), Bytes(512, 0));
}

TEST(WriteCache, TurningItOffCommits) {
  auto store = std::make_shared<MemoryStore>();
  auto c = base_config();
  c.write_cache = true;
  c.store = store;
  Target t(c);
  wire_write(t, 0, pattern(2, 1));
  t.set_write_cache(false);
  EXPECT_EQ(store->sectors_written(), 2u);
}

TEST(MultiPort, SameIdentityAndStoreRepliesOnTheReceivingPort) {
  auto c = base_config();
  c.ports.push_back({kTargetMac2, 9000});
  Target t(c);
  ASSERT_EQ(wire_write(t, 0, pattern(2, 8)), ata::kStatusDrdy);  // via port 0
  auto h2 = ata_header(5);
  h2.dst = kTargetMac2;
  auto out = transact(t, ata_frame(h2, proto::ata_read_arg(0, 2, true)), 1);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].port, 1u);
  auto m = parse_reply(out[0].bytes);
  EXPECT_EQ(m.header.src, kTargetMac2);
  EXPECT_EQ(Bytes(m.ata()->data.begin(), m.ata()->data.end()), pattern(2, 8));
  // Port 1 (MTU 9000) allows 17 sectors per request; port 0 only 2.
  auto big = transact(t, ata_frame(h2, proto::ata_read_arg(0, 17, true)), 1);
  ASSERT_EQ(big.size(), 1u);
  EXPECT_EQ(big[0].bytes.size(), proto::kAtaHeaderSize + 17 * 512);
  // A frame for port 1's MAC arriving on port 0 is not for this port.
  EXPECT_TRUE(transact(t, ata_frame(h2, proto::ata_read_arg(0, 1, true)), 0).empty());
}

TEST(MultiPort, MacChangeTakesEffect) {
  Target t(base_config());
  t.set_mac(0, kTargetMac2);
  EXPECT_TRUE(transact(t, config_frame(request_header(1), proto::ConfigCommand::Read)).empty());
  auto h = request_header(1, 1, kHostA, kShelf, kSlot, kTargetMac2);
  auto m = parse_reply(transact_one(t, config_frame(h, proto::ConfigCommand::Read)));
  EXPECT_EQ(m.header.src, kTargetMac2);
}

TEST(Address, SetAddressMovesTheTarget) {
  Target t(base_config());
  t.set_address(9, 9);
  EXPECT_TRUE(transact(t, config_frame(request_header(1), proto::ConfigCommand::Read)).empty());
  auto m = parse_reply(transact_one(t, config_frame(request_header(1, 1, kHostA, 9, 9), proto::ConfigCommand::Read)));
  EXPECT_EQ(m.header.shelf, 9);
}

class TempFile {
 public:
  TempFile() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "aoeh-target-XXXXXX").string();
    const int fd = ::mkstemp(tmpl.data());
    EXPECT_GE(fd, 0);
    if (fd >= 0) ::close(fd);
    path_ = tmpl;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(FileStore, ServesReadsAndWritesThroughTheFile) {
  TempFile file;
  std::string error;
  auto store = FileStore::open(file.path(), /*read_only=*/false, /*create=*/false, &error);
  ASSERT_NE(store, nullptr) << error;
  EXPECT_EQ(store->size_sectors(), 0u);
  auto c = base_config();
  c.store = std::shared_ptr<BlockStore>(std::move(store));
  {
    Target t(c);
    ASSERT_EQ(wire_write(t, 100, pattern(2, 4)), ata::kStatusDrdy);
    EXPECT_EQ(wire_read(t, 200, 1), Bytes(512, 0));  // beyond the file's end: zeros
    auto flush = parse_reply(transact_one(t, ata_frame(ata_header(), proto::ata_flush_arg(true))));
    EXPECT_EQ(flush.ata()->arg.cmd_status, ata::kStatusDrdy);
  }
  c.store.reset();
  EXPECT_EQ(std::filesystem::file_size(file.path()), 102u * 512);
  auto again = FileStore::open(file.path(), /*read_only=*/true, false, &error);
  ASSERT_NE(again, nullptr) << error;
  EXPECT_EQ(again->size_sectors(), 102u);
  Bytes back(1024);
  ASSERT_TRUE(again->read(100, back));
  EXPECT_EQ(back, pattern(2, 4));
  EXPECT_FALSE(again->write(0, back));  // opened read-only
}

TEST(FileStore, StoreWriteFailureIsAnsweredWithAbrt) {
  TempFile file;
  std::string error;
  auto c = base_config();
  c.store = FileStore::open(file.path(), true, false, &error);
  ASSERT_NE(c.store, nullptr);
  Target t(c);
  // A write to a read-only file fails inside the store: the target reports ABRT, not success.
  auto m = parse_reply(transact_one(t, ata_frame(ata_header(), proto::ata_write_arg(0, 1, true), pattern(1, 1))));
  EXPECT_EQ(m.ata()->arg.cmd_status, ata::kStatusDrdy | ata::kStatusErr);
  EXPECT_EQ(m.ata()->arg.err_feature, ata::kErrorAbrt);
}

TEST(FileStore, OpenErrorsAreExplained) {
  std::string error;
  EXPECT_EQ(FileStore::open("/nonexistent-dir/x", false, true, &error), nullptr);
  EXPECT_NE(error.find("/nonexistent-dir/x"), std::string::npos);
  EXPECT_EQ(FileStore::open("/dev/null", false, false, &error), nullptr);
  EXPECT_NE(error.find("not a regular file"), std::string::npos);
}

TEST(MemoryStore, IsSparseInFourKibChunks) {
  SparseSectors s;
  Bytes sector = pattern(1, 1);
  s.write_sector(0, sector.data());
  s.write_sector(7, sector.data());
  s.write_sector(8, sector.data());
  s.write_sector(std::uint64_t{1} << 40, sector.data());
  EXPECT_EQ(s.chunk_count(), 3u);
  EXPECT_EQ(s.sector_count(), 4u);
  EXPECT_TRUE(s.contains(7));
  EXPECT_FALSE(s.contains(6));
  std::vector<std::uint64_t> order;
  s.for_each([&](std::uint64_t lba, const std::uint8_t*) { order.push_back(lba); });
  EXPECT_EQ(order, (std::vector<std::uint64_t>{0, 7, 8, std::uint64_t{1} << 40}));
}

}  // namespace
}  // namespace aoeh::target::testing
