// Golden vectors: frames written by hand from the byte offsets in AOE-NOTES.md (never produced by
// the codec). Each must parse to the listed fields, and encoding those fields must give the bytes
// back (peer shapes our encoder does not produce, e.g. junk in the padding, are parse-only).
#include <gtest/gtest.h>

#include <array>

#include "protocol/frame.hpp"
#include "protocol/tests/support/bytes.hpp"
#include "protocol/tests/support/message_checks.hpp"

namespace aoeh::proto {
namespace {

using testing::Bytes;
using testing::cat;
using testing::hex;
using testing::pattern;
using testing::to_hex;
using testing::zeros;

// Offsets 0..13: destination, source, ethertype. "to target": initiator b0:0b -> target a0:0a.
const Bytes kToTarget = hex("02 00 00 00 a0 0a | 02 00 00 00 b0 0b | 88 a2");
const Bytes kToInitiator = hex("02 00 00 00 b0 0b | 02 00 00 00 a0 0a | 88 a2");
const Bytes kBroadcastFromInitiator = hex("ff ff ff ff ff ff | 02 00 00 00 b0 0b | 88 a2");
const Bytes kBroadcastFromTarget = hex("ff ff ff ff ff ff | 02 00 00 00 a0 0a | 88 a2");

const MacAddress kTarget{{0x02, 0x00, 0x00, 0x00, 0xa0, 0x0a}};
const MacAddress kInitiator{{0x02, 0x00, 0x00, 0x00, 0xb0, 0x0b}};

// The fields of a header at shelf 7 slot 3, tag 0x12345678, in the direction the flags say.
Header header(std::uint8_t command, std::uint8_t flags = 0, std::uint8_t error = 0) {
  Header h;
  const bool response = (flags & kFlagResponse) != 0;
  h.dst = response ? kInitiator : kTarget;
  h.src = response ? kTarget : kInitiator;
  h.version = 1;
  h.flags = flags;
  h.error = error;
  h.shelf = 7;
  h.slot = 3;
  h.command = command;
  h.tag = 0x12345678;
  return h;
}

Message ata_message(const Header& h, const AtaArg& a, ByteSpan data = {}) {
  AtaBody b;
  b.arg = a;
  b.data = data;
  return {h, b};
}

AtaArg ata_arg(std::uint8_t aflags, std::uint8_t err_feature, std::uint8_t count, std::uint8_t cmd_status,
               std::uint64_t lba) {
  AtaArg a;
  a.aflags = aflags;
  a.err_feature = err_feature;
  a.sector_count = count;
  a.cmd_status = cmd_status;
  a.lba = lba;
  return a;
}

void expect_parses_to(const Bytes& frame, const Message& expected, ParseOptions options = {}) {
  auto m = parse_frame(frame, options);
  ASSERT_TRUE(m.ok()) << parse_error_name(m.error());
  EXPECT_EQ(testing::message_difference(*m, expected), "");
  EXPECT_EQ(testing::view_outside(*m, frame), "");
}

// Runs `encode` into a fresh buffer and compares with the golden bytes.
template <class Encode>
void expect_encodes_to(const Bytes& golden, Encode encode) {
  std::array<std::uint8_t, kMaxFrameSize> buf;
  buf.fill(0xCC);  // padding must be written as zeros, not left over
  const std::size_t len = encode(MutableByteSpan(buf));
  ASSERT_NE(len, 0u);
  EXPECT_EQ(to_hex(ByteSpan(buf.data(), len)), to_hex(golden));
}

// ---------------------------------------------------------------------------------------------
// ATA requests (command 0): argument at 24, data at 36.

TEST(GoldenAta, ReadSectorsLba28Request) {
  // E clear; byte 31 = 0xE0 | lba bits 24..27 (0xA); 32..35 zero; padded to 60.
  const Bytes frame = cat({kToTarget, hex("10 00 | 00 07 | 03 | 00 | 12 34 56 78"),
                           hex("00 | 00 | 02 | 20 | 56 34 12 ea 00 00 | 00 00"), zeros(24)});
  ASSERT_EQ(frame.size(), 60u);
  const auto a = ata_arg(0x00, 0, 2, 0x20, 0x0A123456);
  expect_parses_to(frame, ata_message(header(0), a));
  EXPECT_EQ(ata_read_arg(0x0A123456, 2, false), a);
  expect_encodes_to(frame, [&](MutableByteSpan out) { return encode_ata(out, header(0), a); });
}

TEST(GoldenAta, Lba28CarriesOnlyBits24To27InByte31) {
  // 0x0FFFFFFF is the largest LBA28 value: byte 31 = 0xE0 | 0xF.
  const Bytes frame = cat({kToTarget, hex("10 00 00 07 03 00 12 34 56 78"),
                           hex("00 00 01 20 | ff ff ff ef 00 00 | 00 00"), zeros(24)});
  const auto a = ata_arg(0x00, 0, 1, 0x20, 0x0FFFFFFF);
  expect_parses_to(frame, ata_message(header(0), a));
  expect_encodes_to(frame, [&](MutableByteSpan out) { return encode_ata(out, header(0), a); });
  // Bits above 27 cannot travel in an LBA28 frame: they are dropped, not smeared into byte 31.
  expect_encodes_to(frame, [&](MutableByteSpan out) {
    return encode_ata(out, header(0), ata_arg(0x00, 0, 1, 0x20, 0xF0FFFFFFFull));
  });
}

TEST(GoldenAta, ReadSectorsExtLba48Request) {
  const Bytes frame = cat({kToTarget, hex("10 00 00 07 03 00 12 34 56 78"),
                           hex("40 | 00 | 11 | 24 | bc 9a 78 56 34 12 | 00 00"), zeros(24)});
  const auto a = ata_arg(0x40, 0, 17, 0x24, 0x123456789ABC);
  expect_parses_to(frame, ata_message(header(0), a));
  EXPECT_EQ(ata_read_arg(0x123456789ABC, 17, true), a);
  expect_encodes_to(frame, [&](MutableByteSpan out) { return encode_ata(out, header(0), a); });
}

TEST(GoldenAta, WriteSectorsLba28RequestWithOneSector) {
  const Bytes data = pattern(512, 1);
  const Bytes frame =
      cat({kToTarget, hex("10 00 00 07 03 00 12 34 56 78"), hex("01 00 01 30 | 01 00 00 e0 00 00 | 00 00"), data});
  ASSERT_EQ(frame.size(), 548u);
  const auto a = ata_arg(0x01, 0, 1, 0x30, 1);
  expect_parses_to(frame, ata_message(header(0), a, data));
  EXPECT_EQ(ata_write_arg(1, 1, false), a);
  expect_encodes_to(frame, [&](MutableByteSpan out) { return encode_ata(out, header(0), a, data); });
}

TEST(GoldenAta, WriteSectorsExtAsyncRequestWithTwoSectors) {
  // E | A | W, LBA 0x10000000 needs more than 28 bits.
  const Bytes data = pattern(1024, 2);
  const Bytes frame =
      cat({kToTarget, hex("10 00 00 07 03 00 12 34 56 78"), hex("43 00 02 34 | 00 00 00 10 00 00 | 00 00"), data});
  ASSERT_EQ(frame.size(), 1060u);
  const auto a = ata_arg(0x43, 0, 2, 0x34, 0x10000000);
  expect_parses_to(frame, ata_message(header(0), a, data));
  EXPECT_EQ(ata_write_arg(0x10000000, 2, true, true), a);
  expect_encodes_to(frame, [&](MutableByteSpan out) { return encode_ata(out, header(0), a, data); });
}

TEST(GoldenAta, WriteRequestPaddingIsNotData) {
  // W with count 0 in a padded 60-byte frame: no data, the 24 padding bytes are ignored.
  const Bytes frame = cat({kToTarget, hex("10 00 00 07 03 00 12 34 56 78"),
                           hex("01 00 00 30 | 00 00 00 e0 00 00 | 00 00"), zeros(24)});
  expect_parses_to(frame, ata_message(header(0), ata_arg(0x01, 0, 0, 0x30, 0)));
}

TEST(GoldenAta, FlushCacheRequests) {
  const Bytes flush = cat({kToTarget, hex("10 00 00 07 03 00 12 34 56 78"),
                           hex("00 00 00 e7 | 00 00 00 e0 00 00 | 00 00"), zeros(24)});
  expect_parses_to(flush, ata_message(header(0), ata_arg(0x00, 0, 0, 0xE7, 0)));
  expect_encodes_to(flush, [](MutableByteSpan out) { return encode_ata(out, header(0), ata_flush_arg(false)); });

  const Bytes flush_ext = cat({kToTarget, hex("10 00 00 07 03 00 12 34 56 78"),
                               hex("40 00 00 ea | 00 00 00 00 00 00 | 00 00"), zeros(24)});
  expect_parses_to(flush_ext, ata_message(header(0), ata_arg(0x40, 0, 0, 0xEA, 0)));
  expect_encodes_to(flush_ext, [](MutableByteSpan out) { return encode_ata(out, header(0), ata_flush_arg(true)); });
}

TEST(GoldenAta, IdentifyRequest) {
  const Bytes frame = cat({kToTarget, hex("10 00 00 07 03 00 12 34 56 78"),
                           hex("00 00 01 ec | 00 00 00 e0 00 00 | 00 00"), zeros(24)});
  expect_parses_to(frame, ata_message(header(0), ata_arg(0x00, 0, 1, 0xEC, 0)));
  expect_encodes_to(frame, [](MutableByteSpan out) { return encode_ata(out, header(0), ata_identify_arg()); });
}

TEST(GoldenAta, LinuxIdentifyRequestWithDeviceRegisterA0) {
  // The Linux driver puts 0xA0 (not 0xE0) in byte 31 of IDENTIFY: the LBA is still 0.
  const Bytes frame = cat({kToTarget, hex("10 00 00 07 03 00 12 34 56 78"),
                           hex("00 00 01 ec | 00 00 00 a0 00 00 | 00 00"), zeros(24)});
  expect_parses_to(frame, ata_message(header(0), ata_arg(0x00, 0, 1, 0xEC, 0)));
}

TEST(GoldenAta, CheckPowerModeRequest) {
  const Bytes frame = cat({kToTarget, hex("10 00 00 07 03 00 12 34 56 78"),
                           hex("00 00 00 e5 | 00 00 00 e0 00 00 | 00 00"), zeros(24)});
  const auto a = ata_arg(0x00, 0, 0, 0xE5, 0);
  expect_parses_to(frame, ata_message(header(0), a));
  expect_encodes_to(frame, [&](MutableByteSpan out) { return encode_ata(out, header(0), a); });
}

// ---------------------------------------------------------------------------------------------
// ATA responses. Data is every whole sector after the argument; the sector count register does
// not size it (vblade reports the count remaining).

TEST(GoldenAta, ReadResponseEchoingCount) {
  const Bytes data = pattern(1024, 3);
  const Bytes frame =
      cat({kToInitiator, hex("18 00 00 07 03 00 12 34 56 78"), hex("00 00 02 40 | 56 34 12 ea 00 00 | 00 00"), data});
  ASSERT_EQ(frame.size(), 1060u);
  const auto a = ata_arg(0x00, 0, 2, ata::kStatusDrdy, 0x0A123456);
  expect_parses_to(frame, ata_message(header(0, kFlagResponse), a, data));
  expect_encodes_to(frame, [&](MutableByteSpan out) { return encode_ata(out, header(0, kFlagResponse), a, data); });
}

TEST(GoldenAta, VbladeReadResponseReportsZeroSectorsRemaining) {
  const Bytes data = pattern(1024, 4);
  const Bytes frame =
      cat({kToInitiator, hex("18 00 00 07 03 00 12 34 56 78"), hex("00 00 00 40 | 56 34 12 ea 00 00 | 00 00"), data});
  const auto a = ata_arg(0x00, 0, 0, ata::kStatusDrdy, 0x0A123456);
  expect_parses_to(frame, ata_message(header(0, kFlagResponse), a, data));
  expect_encodes_to(frame, [&](MutableByteSpan out) { return encode_ata(out, header(0, kFlagResponse), a, data); });
  auto m = parse_frame(frame);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->ata()->data_sectors(), 2u);
}

TEST(GoldenAta, VbladeIdentifyResponse) {
  const Bytes page = pattern(512, 5);
  const Bytes frame =
      cat({kToInitiator, hex("18 00 00 07 03 00 12 34 56 78"), hex("00 00 00 40 | 00 00 00 a0 00 00 | 00 00"), page});
  ASSERT_EQ(frame.size(), 548u);
  expect_parses_to(frame, ata_message(header(0, kFlagResponse), ata_arg(0x00, 0, 0, 0x40, 0), page));
}

TEST(GoldenAta, WriteResponseCarriesNoData) {
  // vblade answers a write in 60 bytes whose tail still holds the start of the written data.
  const Bytes head = cat({kToInitiator, hex("18 00 00 07 03 00 12 34 56 78"), hex("01 00 00 40 | 01 00 00 e0 00 00 | 00 00")});
  const auto a = ata_arg(0x01, 0, 0, 0x40, 1);
  expect_parses_to(cat({head, pattern(24, 6)}), ata_message(header(0, kFlagResponse), a));
  const Bytes ours = cat({head, zeros(24)});
  expect_parses_to(ours, ata_message(header(0, kFlagResponse), a));
  expect_encodes_to(ours, [&](MutableByteSpan out) { return encode_ata(out, header(0, kFlagResponse), a); });
}

TEST(GoldenAta, ResponseWithAoeErrorFlagNeedsNoData) {
  // Error 6 (target reserved) echoing a 2-sector READ: registers mean nothing, no data.
  const Bytes head = cat({kToInitiator, hex("1c 06 00 07 03 00 12 34 56 78"), hex("00 00 02 20 | 56 34 12 ea 00 00 | 00 00")});
  const auto h = header(0, kFlagResponse | kFlagError, 6);
  const auto a = ata_arg(0x00, 0, 2, 0x20, 0x0A123456);
  const Bytes padded = cat({head, zeros(24)});
  expect_parses_to(padded, ata_message(h, a));
  expect_parses_to(head, ata_message(h, a));  // 36 bytes, unpadded
  expect_encodes_to(padded, [&](MutableByteSpan out) { return encode_ata(out, h, a); });
  expect_encodes_to(head, [&](MutableByteSpan out) { return encode_ata(out, h, a, {}, false); });
  auto m = parse_frame(padded);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->header.aoe_error(), AoeError::TargetReserved);
}

TEST(GoldenAta, ReadResponseWithAtaErrNeedsNoData) {
  // vblade's answer to a READ past the end: IDNF, DRDY|ERR, count unchanged, 36 bytes unpadded.
  const Bytes frame =
      cat({kToInitiator, hex("18 00 00 07 03 00 12 34 56 78"), hex("00 10 02 41 | 56 34 12 ea 00 00 | 00 00")});
  ASSERT_EQ(frame.size(), 36u);
  const auto a = ata_arg(0x00, ata::kErrorIdnf, 2, ata::kStatusDrdy | ata::kStatusErr, 0x0A123456);
  expect_parses_to(frame, ata_message(header(0, kFlagResponse), a));
  expect_encodes_to(frame, [&](MutableByteSpan out) { return encode_ata(out, header(0, kFlagResponse), a, {}, false); });
}

TEST(GoldenAta, VbladeCheckPowerModeResponse) {
  // Sector count register 0xFF = active or idle; no data follows.
  const Bytes frame = cat({kToInitiator, hex("18 00 00 07 03 00 12 34 56 78"),
                           hex("00 00 ff 40 | 00 00 00 e0 00 00 | 00 00"), zeros(24)});
  const auto a = ata_arg(0x00, 0, 0xFF, 0x40, 0);
  expect_parses_to(frame, ata_message(header(0, kFlagResponse), a));
  expect_encodes_to(frame, [&](MutableByteSpan out) { return encode_ata(out, header(0, kFlagResponse), a); });
}

// ---------------------------------------------------------------------------------------------
// Query Config (command 1): argument at 24, string at 32.

Message qc_message(const Header& h, std::uint16_t bufcnt, std::uint16_t fw, std::uint8_t scnt, std::uint8_t version,
                   std::uint8_t ccmd, ByteSpan config = {}) {
  QueryConfigArg q;
  q.buffer_count = bufcnt;
  q.firmware_version = fw;
  q.sector_count = scnt;
  q.aoe_version = version;
  q.ccmd = ccmd;
  q.config = config;
  return {h, q};
}

TEST(GoldenQueryConfig, LinuxDiscoveryBroadcast) {
  // Broadcast shelf/slot, tag 0, an all-zero argument (the Linux driver zeroes byte 29 too).
  const Bytes frame = cat({kBroadcastFromInitiator, hex("10 00 | ff ff | ff | 01 | 00 00 00 00"),
                           hex("00 00 | 00 00 | 00 | 00 | 00 00"), zeros(28)});
  Header h = header(1);
  h.dst = MacAddress::broadcast();
  h.set_address(DeviceAddress::broadcast());
  h.tag = 0;
  const auto m = qc_message(h, 0, 0, 0, 0, 0);
  expect_parses_to(frame, m);
  expect_encodes_to(frame, [&](MutableByteSpan out) { return encode_query_config(out, h, *m.query_config()); });
}

TEST(GoldenQueryConfig, RequestsWithEveryConfigCommand) {
  struct Case {
    std::uint8_t ccmd;
    const char* text;
    const char* arg_hex;
  };
  const Case cases[] = {
      {0, "", "00 00 00 00 00 10 00 00"},
      {1, "abc", "00 00 00 00 00 11 00 03 | 61 62 63"},
      {2, "ab", "00 00 00 00 00 12 00 02 | 61 62"},
      {3, "rack 4, bay 2", "00 00 00 00 00 13 00 0d | 72 61 63 6b 20 34 2c 20 62 61 79 20 32"},
      {4, "x", "00 00 00 00 00 14 00 01 | 78"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    Bytes frame = cat({kToTarget, hex("10 00 00 07 03 01 12 34 56 78"), hex(c.arg_hex)});
    frame.resize(60, 0);
    const auto m = qc_message(header(1), 0, 0, 0, 1, c.ccmd, as_bytes(c.text));
    expect_parses_to(frame, m);
    EXPECT_EQ(parse_frame(frame)->query_config()->command(), static_cast<ConfigCommand>(c.ccmd));
    expect_encodes_to(frame, [&](MutableByteSpan out) { return encode_query_config(out, header(1), *m.query_config()); });
  }
}

TEST(GoldenQueryConfig, VbladeUnpaddedResponseOf32Bytes) {
  // bufcnt 16, firmware 0x4019, 2 sectors (MTU 1500), AoE version 1, CCmd read, empty string.
  const Bytes frame = cat({kToInitiator, hex("18 00 00 07 03 01 12 34 56 78"), hex("00 10 | 40 19 | 02 | 10 | 00 00")});
  ASSERT_EQ(frame.size(), 32u);
  const auto m = qc_message(header(1, kFlagResponse), 16, 0x4019, 2, 1, 0);
  expect_parses_to(frame, m);
  expect_encodes_to(frame, [&](MutableByteSpan out) {
    return encode_query_config(out, header(1, kFlagResponse), *m.query_config(), false);
  });
}

TEST(GoldenQueryConfig, VbladeStartupAnnouncementHasVersionNibbleZero) {
  // Byte 14 = 0x08: version 0 with the Response flag; broadcast destination, tag 0, 17 sectors.
  const Bytes frame =
      cat({kBroadcastFromTarget, hex("08 00 00 07 03 01 00 00 00 00"), hex("00 10 40 19 11 10 00 00")});
  ASSERT_EQ(frame.size(), 32u);
  auto strict = parse_frame(frame);
  ASSERT_FALSE(strict.ok());
  EXPECT_EQ(strict.error(), ParseError::BadVersion);

  Header h = header(1, kFlagResponse);
  h.dst = MacAddress::broadcast();
  h.version = 0;
  h.tag = 0;
  const auto m = qc_message(h, 16, 0x4019, 17, 1, 0);
  expect_parses_to(frame, m, ParseOptions{.require_version_1 = false});
  expect_encodes_to(frame, [&](MutableByteSpan out) { return encode_query_config(out, h, *m.query_config(), false); });
}

TEST(GoldenQueryConfig, ErrorConfigStringPresentCarriesCurrentString) {
  const Bytes frame = cat({kToInitiator, hex("1c 04 00 07 03 01 12 34 56 78"),
                           hex("00 10 40 19 02 13 00 06 | 72 61 63 6b 20 34"), zeros(22)});
  ASSERT_EQ(frame.size(), 60u);
  const auto h = header(1, kFlagResponse | kFlagError, 4);
  const auto m = qc_message(h, 16, 0x4019, 2, 1, 3, as_bytes("rack 4"));
  expect_parses_to(frame, m);
  expect_encodes_to(frame, [&](MutableByteSpan out) { return encode_query_config(out, h, *m.query_config()); });
  EXPECT_EQ(parse_frame(frame)->header.aoe_error(), AoeError::ConfigStringPresent);
}

TEST(GoldenQueryConfig, ResponseWithLongestConfigString) {
  const Bytes config = pattern(1024, 7);
  const Bytes frame = cat({kToInitiator, hex("18 00 00 07 03 01 12 34 56 78"), hex("00 40 00 01 11 10 04 00"), config});
  ASSERT_EQ(frame.size(), 1056u);
  const auto m = qc_message(header(1, kFlagResponse), 64, 1, 17, 1, 0, config);
  expect_parses_to(frame, m);
  expect_encodes_to(frame, [&](MutableByteSpan out) {
    return encode_query_config(out, header(1, kFlagResponse), *m.query_config());
  });
}

// ---------------------------------------------------------------------------------------------
// Mac Mask List (command 2): reserved, MCmd, MError, count at 24; 8-byte directives from 28.

Message mml_message(const Header& h, std::uint8_t mcmd, std::uint8_t merror, std::uint8_t count, ByteSpan directives) {
  MacMaskListBody b;
  b.mcmd = mcmd;
  b.merror = merror;
  b.directive_count = count;
  b.directives = directives;
  return {h, b};
}

TEST(GoldenMacMaskList, ReadRequest) {
  const Bytes frame = cat({kToTarget, hex("10 00 00 07 03 02 12 34 56 78"), hex("00 00 00 00"), zeros(32)});
  expect_parses_to(frame, mml_message(header(2), 0, 0, 0, {}));
  expect_encodes_to(frame, [](MutableByteSpan out) { return encode_mac_mask_list(out, header(2), 0, 0, {}); });
}

TEST(GoldenMacMaskList, EditRequestWithTwoDirectives) {
  const Bytes directives = hex("00 01 02 00 00 00 00 01 | 00 02 02 00 00 00 00 02");
  const Bytes frame = cat({kToTarget, hex("10 00 00 07 03 02 12 34 56 78"), hex("00 01 00 02"), directives, zeros(16)});
  ASSERT_EQ(frame.size(), 60u);
  expect_parses_to(frame, mml_message(header(2), 1, 0, 2, directives));
  const MacMaskDirective d[] = {{1, *MacAddress::parse("02:00:00:00:00:01")}, {2, *MacAddress::parse("020000000002")}};
  expect_encodes_to(frame, [&](MutableByteSpan out) { return encode_mac_mask_list(out, header(2), 1, 0, d); });
  auto m = parse_frame(frame);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->mac_mask_list()->directive(0), d[0]);
  EXPECT_EQ(m->mac_mask_list()->directive(1), d[1]);
}

TEST(GoldenMacMaskList, ResponseListingOneMac) {
  const Bytes directives = hex("00 01 02 00 00 00 00 01");
  const Bytes frame = cat({kToInitiator, hex("18 00 00 07 03 02 12 34 56 78"), hex("00 00 00 01"), directives, zeros(24)});
  expect_parses_to(frame, mml_message(header(2, kFlagResponse), 0, 0, 1, directives));
  const MacMaskDirective d[] = {{1, *MacAddress::parse("020000000001")}};
  expect_encodes_to(frame, [&](MutableByteSpan out) { return encode_mac_mask_list(out, header(2, kFlagResponse), 0, 0, d); });
}

TEST(GoldenMacMaskList, ResponseListFull) {
  // MCmd edit, MError 3: the directive that did not fit comes back.
  const Bytes directives = hex("00 01 02 00 00 00 00 09");
  const Bytes frame = cat({kToInitiator, hex("18 00 00 07 03 02 12 34 56 78"), hex("00 01 03 01"), directives, zeros(24)});
  expect_parses_to(frame, mml_message(header(2, kFlagResponse), 1, 3, 1, directives));
  EXPECT_EQ(static_cast<MaskError>(parse_frame(frame)->mac_mask_list()->merror), MaskError::ListFull);
}

// ---------------------------------------------------------------------------------------------
// Reserve/Release (command 3): RCmd and MAC count at 24, MACs from 26.

Message rr_message(const Header& h, std::uint8_t rcmd, std::uint8_t count, ByteSpan macs) {
  ReserveReleaseBody b;
  b.rcmd = rcmd;
  b.mac_count = count;
  b.macs = macs;
  return {h, b};
}

TEST(GoldenReserveRelease, ReadRequest) {
  const Bytes frame = cat({kToTarget, hex("10 00 00 07 03 03 12 34 56 78"), hex("00 00"), zeros(34)});
  expect_parses_to(frame, rr_message(header(3), 0, 0, {}));
  expect_encodes_to(frame, [](MutableByteSpan out) { return encode_reserve_release(out, header(3), 0, {}); });
}

TEST(GoldenReserveRelease, SetWithTwoMacs) {
  const Bytes macs = hex("02 00 00 00 b0 0b | 02 00 00 00 c0 0c");
  const Bytes frame = cat({kToTarget, hex("10 00 00 07 03 03 12 34 56 78"), hex("01 02"), macs, zeros(22)});
  expect_parses_to(frame, rr_message(header(3), 1, 2, macs));
  const MacAddress list[] = {kInitiator, *MacAddress::parse("02-00-00-00-c0-0c")};
  expect_encodes_to(frame, [&](MutableByteSpan out) { return encode_reserve_release(out, header(3), 1, list); });
  EXPECT_EQ(parse_frame(frame)->reserve_release()->mac(1), list[1]);
}

TEST(GoldenReserveRelease, ForceSetWithNoMacsReleases) {
  const Bytes frame = cat({kToTarget, hex("10 00 00 07 03 03 12 34 56 78"), hex("02 00"), zeros(34)});
  expect_parses_to(frame, rr_message(header(3), 2, 0, {}));
  expect_encodes_to(frame, [](MutableByteSpan out) { return encode_reserve_release(out, header(3), 2, {}); });
}

TEST(GoldenReserveRelease, ErrorTargetReservedListsHolder) {
  const Bytes macs = hex("02 00 00 00 c0 0c");
  const Bytes frame = cat({kToInitiator, hex("1c 06 00 07 03 03 12 34 56 78"), hex("01 01"), macs, zeros(28)});
  const auto h = header(3, kFlagResponse | kFlagError, 6);
  expect_parses_to(frame, rr_message(h, 1, 1, macs));
  const MacAddress list[] = {*MacAddress::parse("02:00:00:00:c0:0c")};
  expect_encodes_to(frame, [&](MutableByteSpan out) { return encode_reserve_release(out, h, 1, list); });
}

// ---------------------------------------------------------------------------------------------
// Vendor commands (0xF0..0xFF): opaque after the header.

TEST(GoldenVendor, UnpaddedRequest) {
  const Bytes payload = hex("de ad be ef");
  const Bytes frame = cat({kToTarget, hex("10 00 00 07 03 f0 12 34 56 78"), payload});
  expect_parses_to(frame, Message{header(0xF0), VendorBody{payload}});
  expect_encodes_to(frame, [&](MutableByteSpan out) { return encode_vendor(out, header(0xF0), payload, false); });
}

TEST(GoldenVendor, PaddedResponsePayloadIncludesPadding) {
  const Bytes frame = cat({kToInitiator, hex("18 00 00 07 03 ff 12 34 56 78"), hex("01 02"), zeros(34)});
  const Bytes payload = cat({hex("01 02"), zeros(34)});
  expect_parses_to(frame, Message{header(0xFF, kFlagResponse), VendorBody{payload}});
  expect_encodes_to(frame, [&](MutableByteSpan out) { return encode_vendor(out, header(0xFF, kFlagResponse), hex("01 02")); });
}

// ---------------------------------------------------------------------------------------------
// Header details.

TEST(GoldenHeader, ParseHeaderReadsEveryField) {
  const Bytes frame = cat({kToInitiator, hex("1c 05 | ff ff | ff | 01 | fe dc ba 98")});
  auto h = parse_header(frame);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->dst, kInitiator);
  EXPECT_EQ(h->src, kTarget);
  EXPECT_EQ(h->version, 1);
  EXPECT_EQ(h->flags, kFlagResponse | kFlagError);
  EXPECT_EQ(h->aoe_error(), AoeError::UnsupportedVersion);
  EXPECT_TRUE(h->address().is_broadcast_shelf());
  EXPECT_TRUE(h->address().is_broadcast_slot());
  EXPECT_EQ(h->command, 1);
  EXPECT_EQ(h->tag, 0xFEDCBA98u);
}

TEST(GoldenHeader, ParseHeaderDoesNotJudgeVersion) {
  // A target must still read a version-2 frame to answer it with Error 5.
  const Bytes frame = cat({kToTarget, hex("20 00 00 07 03 00 12 34 56 78")});
  auto h = parse_header(frame);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->version, 2);
}

TEST(GoldenHeader, ReplyHeaderSwapsAddressesAndEchoesTag) {
  Header request = header(0);
  request.version = 2;
  request.flags = 0x3;
  request.error = 9;
  const Header reply = reply_header(request, kTarget);
  EXPECT_EQ(reply, header(0, kFlagResponse));
}

}  // namespace
}  // namespace aoeh::proto
