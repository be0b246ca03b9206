// ATA commands: IDENTIFY, READ/WRITE (LBA28 and LBA48), counts, IDNF, FLUSH, CHECK POWER, SMART.
#include "protocol/identify.hpp"
#include "sim/target/tests/target_fixture.hpp"

namespace aoeh::target::testing {
namespace {

using proto::AoeError;
using proto::AtaArg;
namespace ata = proto::ata;

OwnedMessage ata_exchange(Target& t, const AtaArg& a, const Bytes& data = {}, std::uint32_t tag = 0x600D) {
  return parse_reply(transact_one(t, ata_frame(ata_header(tag), a, data)));
}

TEST(Identify, ReportsCapacityAndStrings) {
  auto c = base_config();
  c.capacity_sectors = (std::uint64_t{1} << 28) + 1000;  // above LBA28: words 60-61 saturate
  c.model = "Model X";
  c.serial = "SN123";
  c.firmware_revision = "fw9";
  Target t(c);
  auto m = ata_exchange(t, proto::ata_identify_arg());
  ASSERT_NE(m.ata(), nullptr);
  EXPECT_EQ(m.ata()->arg.cmd_status, ata::kStatusDrdy);
  EXPECT_EQ(m.ata()->arg.err_feature, 0);
  ASSERT_EQ(m.ata()->data.size(), 512u);
  auto id = proto::parse_identify(m.ata()->data);
  ASSERT_TRUE(id.ok());
  EXPECT_TRUE(id->lba48);
  EXPECT_EQ(id->capacity_sectors, c.capacity_sectors);
  EXPECT_EQ(id->model.view(), "Model X");
  EXPECT_EQ(id->serial.view(), "SN123");
  EXPECT_EQ(id->firmware.view(), "fw9");
  const auto& d = m.ata()->data;
  EXPECT_EQ(d[120] | d[121] << 8 | d[122] << 16 | d[123] << 24, 0x0FFFFFFF);  // words 60-61
}

TEST(Identify, FollowsResize) {
  Target t(base_config());
  t.resize(12345);
  auto id = proto::parse_identify(ata_exchange(t, proto::ata_identify_arg()).ata()->data);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->capacity_sectors, 12345u);
}

TEST(Identify, DefaultSerialNamesTheAddress) {
  Target t(base_config());
  auto id = proto::parse_identify(ata_exchange(t, proto::ata_identify_arg()).ata()->data);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->serial.view(), "AOEH7.3");
}

struct IoCase {
  const char* name;
  std::uint64_t capacity;
  std::uint64_t lba;
  std::uint8_t count;
  bool lba48;
};

class ReadWrite : public ::testing::TestWithParam<IoCase> {};

TEST_P(ReadWrite, WriteThenReadReturnsTheData) {
  const IoCase& c = GetParam();
  auto cfg = base_config();
  cfg.capacity_sectors = c.capacity;
  Target t(cfg);
  const Bytes data = pattern(c.count, static_cast<std::uint8_t>(c.lba));
  auto w = ata_exchange(t, proto::ata_write_arg(c.lba, c.count, c.lba48), data);
  ASSERT_NE(w.ata(), nullptr);
  EXPECT_FALSE(w.header.is_error());
  EXPECT_EQ(w.ata()->arg.cmd_status, ata::kStatusDrdy);
  EXPECT_EQ(w.ata()->arg.err_feature, 0);
  EXPECT_TRUE(w.ata()->arg.write());
  EXPECT_EQ(w.ata()->arg.extended(), c.lba48);
  EXPECT_EQ(w.ata()->arg.lba, c.lba);
  EXPECT_EQ(w.ata()->arg.sector_count, c.count);
  EXPECT_TRUE(w.ata()->data.empty());

  auto r = ata_exchange(t, proto::ata_read_arg(c.lba, c.count, c.lba48));
  ASSERT_NE(r.ata(), nullptr);
  EXPECT_EQ(r.ata()->arg.cmd_status, ata::kStatusDrdy);
  EXPECT_EQ(r.ata()->arg.lba, c.lba);
  EXPECT_EQ(r.ata()->arg.sector_count, c.count);
  EXPECT_EQ(Bytes(r.ata()->data.begin(), r.ata()->data.end()), data);
  EXPECT_EQ(t.counters().sectors_written, c.count);
  EXPECT_EQ(t.counters().sectors_read, c.count);
}

constexpr std::uint64_t k2to28 = std::uint64_t{1} << 28;
constexpr std::uint64_t kHuge = (std::uint64_t{1} << 40) + 8;  // sparse: costs only what is written

INSTANTIATE_TEST_SUITE_P(
    Table, ReadWrite,
    ::testing::Values(IoCase{"lba28_first", kCapacity, 0, 2, false}, IoCase{"lba48_first", kCapacity, 0, 2, true},
                      IoCase{"lba28_last_sector", kCapacity, kCapacity - 1, 1, false},
                      IoCase{"lba48_ends_at_capacity", kCapacity, kCapacity - 2, 2, true},
                      IoCase{"count_zero", kCapacity, 5, 0, true},
                      IoCase{"count_zero_at_end", kCapacity, kCapacity, 0, false},
                      IoCase{"lba28_top", k2to28 + 64, k2to28 - 2, 2, false},
                      IoCase{"lba48_across_2to28", k2to28 + 64, k2to28 - 1, 2, true},
                      IoCase{"lba48_above_2to32", kHuge, (std::uint64_t{1} << 32) + 3, 2, true},
                      IoCase{"lba48_near_top", kHuge, kHuge - 2, 2, true}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(ReadWrite, Lba28AndLba48AddressTheSameSectors) {
  auto c = base_config();
  c.capacity_sectors = k2to28 + 64;
  Target t(c);
  const Bytes data = pattern(1, 0x5A);
  EXPECT_EQ(wire_write(t, k2to28 - 1, data, /*lba48=*/false), ata::kStatusDrdy);
  EXPECT_EQ(wire_read(t, k2to28 - 1, 1, /*lba48=*/true), data);
  // LBA48 above 2^28 does not alias LBA 0.
  EXPECT_EQ(wire_write(t, k2to28, pattern(1, 0x11), true), ata::kStatusDrdy);
  EXPECT_EQ(wire_read(t, 0, 1, false), Bytes(512, 0));
}

TEST(ReadWrite, Lba28IgnoresDeviceBitsInByte31) {
  Target t(base_config());
  const Bytes data = pattern(1, 3);
  ASSERT_EQ(wire_write(t, 0x000102, data), ata::kStatusDrdy);
  Bytes f = ata_frame(ata_header(), proto::ata_read_arg(0x000102, 1, false));
  ASSERT_EQ(f[31], 0xE0);  // the codec sets the LBA mode bits
  f[31] = 0xF0;            // and the obsolete bits too: still LBA 0x102
  auto m = parse_reply(transact_one(t, f));
  EXPECT_EQ(Bytes(m.ata()->data.begin(), m.ata()->data.end()), data);
}

TEST(ReadWrite, UnwrittenSectorsReadAsZeros) { Target t(base_config()); EXPECT_EQ(wire_read(t, 100, 2), Bytes(1024, 0)); }

struct RejectCase {
  const char* name;
  std::uint64_t lba;
  std::uint8_t count;
  bool write;
  bool lba48;
  AoeError aoe_error;       // None: an ATA-level answer
  std::uint8_t ata_error;   // error register when aoe_error is None
};

class Rejections : public ::testing::TestWithParam<RejectCase> {};

TEST_P(Rejections, AnswerWithTheRightErrorAndWriteNothing) {
  const RejectCase& c = GetParam();
  Target t(base_config());
  const Bytes data = pattern(c.count, 9);
  const AtaArg a = c.write ? proto::ata_write_arg(c.lba, c.count, c.lba48) : proto::ata_read_arg(c.lba, c.count, c.lba48);
  auto reply = transact_one(t, ata_frame(ata_header(0x77), a, c.write ? data : Bytes{}));
  auto h = proto::parse_header(reply);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->tag, 0x77u);
  EXPECT_EQ(h->aoe_error(), c.aoe_error);
  EXPECT_EQ(h->is_error(), c.aoe_error != AoeError::None);
  if (c.aoe_error == AoeError::None) {
    auto m = parse_reply(reply);
    ASSERT_NE(m.ata(), nullptr);
    EXPECT_EQ(m.ata()->arg.cmd_status, ata::kStatusDrdy | ata::kStatusErr);
    EXPECT_EQ(m.ata()->arg.err_feature, c.ata_error);
    EXPECT_TRUE(m.ata()->data.empty());
  }
  EXPECT_EQ(t.counters().sectors_written, 0u);
  EXPECT_EQ(t.counters().sectors_read, 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Table, Rejections,
    ::testing::Values(
        RejectCase{"read_count_above_max", 0, 3, false, true, AoeError::BadArgument, 0},
        RejectCase{"read_count_255", 0, 255, false, false, AoeError::BadArgument, 0},
        RejectCase{"read_past_end", kCapacity - 1, 2, false, true, AoeError::None, ata::kErrorIdnf},
        RejectCase{"read_at_end", kCapacity, 1, false, false, AoeError::None, ata::kErrorIdnf},
        RejectCase{"read_far_beyond", std::uint64_t{1} << 47, 1, false, true, AoeError::None, ata::kErrorIdnf},
        RejectCase{"read_count0_beyond", kCapacity + 1, 0, false, true, AoeError::None, ata::kErrorIdnf},
        RejectCase{"write_past_end", kCapacity - 1, 2, true, true, AoeError::None, ata::kErrorIdnf},
        RejectCase{"write_lba28_past_end", kCapacity, 1, true, false, AoeError::None, ata::kErrorIdnf}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Rejections, ShortWriteDataIsBadArgumentAndWritesNothing) {
  Target t(base_config());
  Bytes f = ata_frame(ata_header(), proto::ata_write_arg(10, 2, true), pattern(2, 1));
  f.resize(proto::kAtaHeaderSize + 700);  // 2 sectors announced, 700 bytes carried
  auto h = proto::parse_header(transact_one(t, f));
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->aoe_error(), AoeError::BadArgument);
  EXPECT_EQ(wire_read(t, 10, 2), Bytes(1024, 0));
}

TEST(Rejections, WriteCountAboveMaxIsBadArgumentOnJumboPortToo) {
  auto c = base_config();
  c.ports[0].mtu = 9000;
  Target t(c);
  EXPECT_EQ(wire_write(t, 0, pattern(17, 1)), ata::kStatusDrdy);
  Bytes f = ata_frame(ata_header(), proto::ata_write_arg(0, 18, true), pattern(18, 1));
  auto h = proto::parse_header(transact_one(t, f));
  EXPECT_EQ(h->aoe_error(), AoeError::BadArgument);
}

struct AbortCase {
  const char* name;
  AtaArg arg;
};

class Aborts : public ::testing::TestWithParam<AbortCase> {};

TEST_P(Aborts, AnswerErrDrdyWithAbrt) {
  Target t(base_config());
  const AtaArg& a = GetParam().arg;
  auto m = ata_exchange(t, a, a.write() ? pattern(a.sector_count, 1) : Bytes{});
  ASSERT_NE(m.ata(), nullptr);
  EXPECT_FALSE(m.header.is_error());
  EXPECT_EQ(m.ata()->arg.cmd_status, ata::kStatusDrdy | ata::kStatusErr);
  EXPECT_EQ(m.ata()->arg.err_feature, ata::kErrorAbrt);
  EXPECT_EQ(t.counters().sectors_written, 0u);
}

AtaArg command(std::uint8_t cmd, std::uint8_t feature = 0) {
  AtaArg a;
  a.cmd_status = cmd;
  a.err_feature = feature;
  return a;
}
AtaArg write_without_w() {
  AtaArg a = proto::ata_write_arg(0, 1, true);
  a.aflags &= static_cast<std::uint8_t>(~proto::kAtaFlagWrite);
  return a;
}
AtaArg read_with_w() {
  AtaArg a = proto::ata_read_arg(0, 1, true);
  a.aflags |= proto::kAtaFlagWrite;
  return a;
}

INSTANTIATE_TEST_SUITE_P(Table, Aborts,
                         ::testing::Values(AbortCase{"unknown_0x00", command(0x00)},
                                           AbortCase{"unknown_set_features", command(0xEF)},
                                           AbortCase{"unknown_read_dma", command(0xC8)},
                                           AbortCase{"smart_disabled_status", command(ata::kSmart, 0xDA)},
                                           AbortCase{"smart_disabled_read", command(ata::kSmart, 0xD0)},
                                           AbortCase{"write_without_w_flag", write_without_w()},
                                           AbortCase{"read_with_w_flag", read_with_w()}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(ReadOnly, WritesAbortAndReadsWork) {
  auto c = base_config();
  c.read_only = true;
  Target t(c);
  auto m = ata_exchange(t, proto::ata_write_arg(0, 1, true), pattern(1, 1));
  EXPECT_EQ(m.ata()->arg.cmd_status, ata::kStatusDrdy | ata::kStatusErr);
  EXPECT_EQ(m.ata()->arg.err_feature, ata::kErrorAbrt);
  EXPECT_EQ(wire_read(t, 0, 1), Bytes(512, 0));
  t.set_read_only(false);
  EXPECT_EQ(wire_write(t, 0, pattern(1, 1)), ata::kStatusDrdy);
}

TEST(CheckPower, AnswersActiveInTheCountRegister) {
  Target t(base_config());
  // Read the registers from the raw bytes: protocol/'s parse_frame expects count * 512 data bytes
  // after any successful non-write response, which a count register of 0xFF does not mean here.
  Bytes reply = transact_one(t, ata_frame(ata_header(), command(ata::kCheckPowerMode)));
  ASSERT_EQ(reply.size(), proto::kMinFrameSize);
  EXPECT_FALSE(proto::parse_header(reply)->is_error());
  EXPECT_EQ(reply[25], 0);                  // error register
  EXPECT_EQ(reply[26], 0xFF);               // count: active or idle
  EXPECT_EQ(reply[27], ata::kStatusDrdy);   // status
}

TEST(Flush, BothVariantsAnswerDrdy) {
  Target t(base_config());
  for (bool ext : {false, true}) {
    auto m = ata_exchange(t, proto::ata_flush_arg(ext));
    ASSERT_NE(m.ata(), nullptr);
    EXPECT_EQ(m.ata()->arg.cmd_status, ata::kStatusDrdy);
    EXPECT_EQ(m.ata()->arg.err_feature, 0);
  }
  EXPECT_EQ(t.counters().flushes, 2u);
}

TEST(Smart, EnabledAnswersStatusAndReadData) {
  auto c = base_config();
  c.smart_enabled = true;
  Target t(c);
  auto status = ata_exchange(t, command(ata::kSmart, 0xDA));
  EXPECT_EQ(status.ata()->arg.cmd_status, ata::kStatusDrdy);
  EXPECT_EQ(status.ata()->raw_arg[5], 0x4F);  // LBA mid
  EXPECT_EQ(status.ata()->raw_arg[6], 0xC2);  // LBA high: no threshold exceeded
  auto data = ata_exchange(t, command(ata::kSmart, 0xD0));
  EXPECT_EQ(data.ata()->arg.cmd_status, ata::kStatusDrdy);
  EXPECT_EQ(data.ata()->data.size(), 512u);
  auto enable = ata_exchange(t, command(ata::kSmart, 0xD8));
  EXPECT_EQ(enable.ata()->arg.cmd_status, ata::kStatusDrdy);
  auto unknown = ata_exchange(t, command(ata::kSmart, 0x42));
  EXPECT_EQ(unknown.ata()->arg.err_feature, ata::kErrorAbrt);
}

TEST(Replies, ReadReplyCarriesExactlyCountSectorsAndEchoesArgument) {
  Target t(base_config());
  auto reply = transact_one(t, ata_frame(ata_header(0xABCDEF01), proto::ata_read_arg(0x123, 2, true)));
  EXPECT_EQ(reply.size(), proto::kAtaHeaderSize + 1024);
  auto m = parse_reply(reply);
  EXPECT_EQ(m.header.tag, 0xABCDEF01u);
  EXPECT_EQ(m.ata()->arg.aflags, proto::kAtaFlagExtended);
  EXPECT_EQ(m.ata()->arg.lba, 0x123u);
}

}  // namespace
}  // namespace aoeh::target::testing
