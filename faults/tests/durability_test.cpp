// The durability checker judged directly: what counts as lost, corrupted and phantom, with and
// without a volatile write cache, across FLUSH and crashes.
#include <gtest/gtest.h>

#include <vector>

#include "faults/durability.hpp"

namespace aoeh::faults {
namespace {

constexpr std::uint64_t kSeed = 42;

struct Checker {
  explicit Checker(bool volatile_cache) : c(kSeed, {{{1, 0}, volatile_cache}, {{1, 1}, volatile_cache}}) {}
  // Writes `n` sectors at `lba` on device 0 and returns (id, the bytes written).
  std::pair<std::uint64_t, std::vector<std::uint8_t>> write(std::uint64_t lba, std::uint32_t n, bool ok = true,
                                                            std::uint32_t dev = 0) {
    std::vector<std::uint8_t> buf(n * 512);
    const auto id = c.prepare_write(dev, lba, n, buf);
    c.write_done(id, ok);
    return {id, buf};
  }
  void read(std::uint64_t lba, const std::vector<std::uint8_t>& bytes, Nanos at = 1000) { c.read_done(0, lba, bytes, at); }
  std::uint64_t violations() const { return c.counters().violations(); }
  DurabilityChecker c;
};

const std::vector<std::uint8_t> kZeros(512, 0);

TEST(Durability, AcknowledgedWriteReadsBackClean) {
  Checker k(false);
  auto [id, bytes] = k.write(10, 4);
  k.read(10, bytes);
  EXPECT_EQ(k.violations(), 0u);
  EXPECT_EQ(k.c.counters().sectors_checked, 4u);
  k.read(100, kZeros);  // never written: zeros are right
  EXPECT_EQ(k.violations(), 0u);
}

TEST(Durability, OlderWriteIsALostWriteWithLbaTimeAndSeed) {
  Checker k(false);
  auto first = k.write(10, 1);
  k.write(10, 1);
  k.read(10, first.second, 777);
  ASSERT_EQ(k.c.counters().lost, 1u);
  ASSERT_EQ(k.c.violations().size(), 1u);
  const Violation& v = k.c.violations()[0];
  EXPECT_EQ(v.kind, Violation::Kind::Lost);
  EXPECT_EQ(v.lba, 10u);
  EXPECT_EQ(v.time, 777);
  EXPECT_EQ(v.seed, kSeed);
  EXPECT_EQ(v.found, first.first);
  EXPECT_EQ(v.device.to_string(), "e1.0");
  // Reported once: the next read of the same (old) data is judged against what was found.
  k.read(10, first.second);
  EXPECT_EQ(k.violations(), 1u);
}

TEST(Durability, ZerosWhereAWriteWasAcknowledgedAreLost) {
  Checker k(false);
  k.write(5, 1);
  k.read(5, kZeros);
  EXPECT_EQ(k.c.counters().lost, 1u);
}

TEST(Durability, OneFlippedByteIsCorruption) {
  Checker k(false);
  auto [id, bytes] = k.write(0, 2);
  bytes[512 + 300] ^= 0x10;
  k.read(0, bytes);
  EXPECT_EQ(k.c.counters().corrupted, 1u);
  EXPECT_EQ(k.c.counters().lost, 0u);
  EXPECT_EQ(k.c.violations().at(0).lba, 1u);
}

TEST(Durability, DataOfAnotherSectorOrDeviceIsPhantom) {
  Checker k(false);
  auto a = k.write(0, 1);
  k.write(1, 1);
  k.read(1, a.second);  // sector 0's data at LBA 1: a misdirected write
  EXPECT_EQ(k.c.counters().phantom, 1u);
  auto other = k.write(7, 1, true, /*dev=*/1);
  k.write(7, 1);
  k.read(7, other.second);  // device e1.1's data on e1.0
  EXPECT_EQ(k.c.counters().phantom, 2u);
}

TEST(Durability, UnacknowledgedDataIsPhantom) {
  Checker k(false);
  std::vector<std::uint8_t> buf(512);
  k.c.prepare_write(0, 3, 1, buf);  // submitted, never completed
  k.read(3, buf);
  EXPECT_EQ(k.c.counters().phantom, 1u);
}

TEST(Durability, FailedWriteMayOrMayNotHaveLanded) {
  for (bool landed : {false, true}) {
    Checker k(false);
    auto old = k.write(4, 1);
    auto failed = k.write(4, 1, /*ok=*/false);
    k.read(4, landed ? failed.second : old.second);
    EXPECT_EQ(k.violations(), 0u) << landed;
    // Once read, the sector has settled: the older data coming back is a loss, the failed write
    // turning up after all is a phantom.
    k.read(4, landed ? old.second : failed.second);
    EXPECT_EQ(landed ? k.c.counters().lost : k.c.counters().phantom, 1u) << landed;
    EXPECT_EQ(k.violations(), 1u) << landed;
  }
}

TEST(Durability, WriteThroughTargetLosesNothingInACrash) {
  Checker k(false);
  k.write(8, 1);
  k.c.crash(0);
  k.read(8, kZeros);
  EXPECT_EQ(k.c.counters().lost, 1u);
}

TEST(Durability, CrashMayLoseUnflushedWritesOnly) {
  Checker k(true);
  auto flushed = k.write(1, 1);
  const auto token = k.c.flush_submitted(0);
  auto late = k.write(2, 1);  // acknowledged after the FLUSH was submitted: not covered by it
  k.c.flush_done(token, true);
  auto unflushed = k.write(3, 1);
  k.c.crash(0);
  k.read(1, flushed.second);
  k.read(2, kZeros);          // lost in the crash: allowed
  k.read(3, unflushed.second);  // written back before the crash: allowed too
  EXPECT_EQ(k.violations(), 0u);
  k.read(1, kZeros);          // flushed data gone: a loss
  EXPECT_EQ(k.c.counters().lost, 1u);
  k.read(2, late.second);     // it read as zeros before: the old data cannot come back
  EXPECT_EQ(k.c.counters().lost + k.c.counters().phantom, 2u);
}

TEST(Durability, WithoutACrashAVolatileCacheMustStillServeTheLatestWrite) {
  Checker k(true);
  auto a = k.write(9, 1);
  k.write(9, 1);
  k.read(9, a.second);
  EXPECT_EQ(k.c.counters().lost, 1u);
}

TEST(Durability, FailedFlushMakesNothingDurable) {
  Checker k(true);
  k.write(1, 1);
  k.c.flush_done(k.c.flush_submitted(0), false);
  k.c.crash(0);
  k.read(1, kZeros);
  EXPECT_EQ(k.violations(), 0u);
}

TEST(Durability, WrittenExtentsCoalesce) {
  Checker k(false);
  k.write(10, 4);
  k.write(14, 2);
  k.write(20, 1);
  const auto e = k.c.written_extents(0, 4);
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0], std::make_pair(std::uint64_t{10}, 4u));
  EXPECT_EQ(e[1], std::make_pair(std::uint64_t{14}, 2u));
  EXPECT_EQ(e[2], std::make_pair(std::uint64_t{20}, 1u));
}

}  // namespace
}  // namespace aoeh::faults

namespace aoeh::faults {
namespace {

TEST(Durability, AWriteInFlightAcrossACrashMayBeGoneDespiteItsAck) {
  Checker k(true);
  std::vector<std::uint8_t> buf(512);
  const auto id = k.c.prepare_write(0, 6, 1, buf);
  k.c.crash(0);           // the target lost power while the write was in flight
  k.c.write_done(id, true);  // a late acknowledgement of a copy executed before the crash
  k.c.flush_done(k.c.flush_submitted(0), true);
  k.read(6, kZeros);
  EXPECT_EQ(k.violations(), 0u);
  k.read(6, buf);         // settled on zeros: the write cannot come back now
  EXPECT_EQ(k.violations(), 1u);
}

TEST(Durability, AWriteThroughTargetKeepsAWriteInFlightAcrossACrash) {
  Checker k(false);
  std::vector<std::uint8_t> buf(512);
  const auto id = k.c.prepare_write(0, 6, 1, buf);
  k.c.crash(0);
  k.c.write_done(id, true);
  k.read(6, kZeros);
  EXPECT_EQ(k.c.counters().lost, 1u);
}

}  // namespace
}  // namespace aoeh::faults

namespace aoeh::faults {
namespace {

TEST(Durability, AReadFromBeforeACrashSettlesNothing) {
  Checker k(true);
  auto w = k.write(3, 1);                     // acknowledged, not flushed
  const auto epoch = k.c.crash_epoch(0);      // a read is submitted...
  k.c.crash(0);                               // ...the target loses power...
  k.c.read_done(0, 3, w.second, 1000, epoch); // ...and the answer, served before, shows the lost write
  EXPECT_EQ(k.violations(), 0u);
  k.read(3, kZeros);                          // what the medium really holds: still allowed
  EXPECT_EQ(k.violations(), 0u);
  EXPECT_EQ(k.c.counters().crash_rolled_back, 1u);
}

}  // namespace
}  // namespace aoeh::faults
