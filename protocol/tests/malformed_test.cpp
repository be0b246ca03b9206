// Every malformed class gives its exact ParseError; every truncation of every frame kind gives the
// exact error for where it stops; what does parse keeps its views inside the input.
#include <gtest/gtest.h>

#include <optional>
#include <random>

#include "protocol/frame.hpp"
#include "protocol/identify.hpp"
#include "protocol/tests/support/bytes.hpp"
#include "protocol/tests/support/frame_samples.hpp"
#include "protocol/tests/support/message_checks.hpp"

namespace aoeh::proto {
namespace {

using testing::Bytes;
using testing::cat;
using testing::hex;
using testing::zeros;

const Bytes kAddrs = hex("02 00 00 00 a0 0a | 02 00 00 00 b0 0b | 88 a2");

// A frame: addresses, then `rest` from offset 14.
Bytes frame(std::string_view rest, std::size_t pad_to = 0) {
  Bytes f = cat({kAddrs, hex(rest)});
  if (f.size() < pad_to) f.resize(pad_to, 0);
  return f;
}

ParseError error_of(const Bytes& f, ParseOptions options = {}) {
  auto m = parse_frame(f, options);
  EXPECT_FALSE(m.ok()) << "parsed although malformed: " << testing::to_hex(f);
  return m.ok() ? ParseError::IdentifyTooShort : m.error();
}

void expect_ok(const Bytes& f, ParseOptions options = {}) {
  auto m = parse_frame(f, options);
  ASSERT_TRUE(m.ok()) << parse_error_name(m.error()) << ": " << testing::to_hex(f);
  EXPECT_EQ(testing::view_outside(*m, f), "");
}

constexpr ParseOptions kLenient{.require_version_1 = false, .reject_reserved = false};

TEST(Malformed, TruncatedHeader) {
  EXPECT_EQ(error_of({}), ParseError::TruncatedHeader);
  EXPECT_EQ(error_of(frame("10 00 00 07 03 00 12 34 56")), ParseError::TruncatedHeader);  // 23 bytes
  EXPECT_EQ(error_of(Bytes(23, 0xFF)), ParseError::TruncatedHeader);
  auto h = parse_header(Bytes(23, 0));
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.error(), ParseError::TruncatedHeader);
}

TEST(Malformed, WrongEtherType) {
  for (const char* type : {"08 00", "88 a3", "a2 88", "00 00", "86 dd"}) {
    Bytes f = frame("10 00 00 07 03 00 12 34 56 78 | 00 00 01 ec 00 00 00 e0 00 00 00 00", 60);
    const Bytes t = hex(type);
    f[12] = t[0];
    f[13] = t[1];
    EXPECT_EQ(error_of(f), ParseError::WrongEtherType) << type;
    EXPECT_EQ(error_of(f, kLenient), ParseError::WrongEtherType) << type;
  }
}

TEST(Malformed, BadVersion) {
  for (int version : {0, 2, 3, 15}) {
    Bytes f = frame("10 00 00 07 03 00 12 34 56 78 | 00 00 01 ec 00 00 00 e0 00 00 00 00", 60);
    f[14] = static_cast<std::uint8_t>(version << 4);
    EXPECT_EQ(error_of(f), ParseError::BadVersion) << version;
    auto m = parse_frame(f, ParseOptions{.require_version_1 = false});
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->header.version, version);
  }
}

TEST(Malformed, ReservedFlagsSet) {
  for (std::uint8_t reserved : {0x1, 0x2, 0x3}) {
    Bytes f = frame("10 00 00 07 03 01 12 34 56 78 | 00 00 00 00 00 10 00 00", 60);
    f[14] |= reserved;
    EXPECT_EQ(error_of(f), ParseError::ReservedFlagsSet) << int{reserved};
    auto m = parse_frame(f, ParseOptions{.reject_reserved = false});
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->header.flags, reserved);  // kept, so a checker can report them
  }
}

TEST(Malformed, ChecksRunInWireOrder) {
  // Ethertype before version, version before flags, flags before command.
  Bytes f = frame("2b 00 00 07 03 04 12 34 56 78", 60);
  f[12] = 0x08;
  EXPECT_EQ(error_of(f), ParseError::WrongEtherType);
  f[12] = 0x88;
  EXPECT_EQ(error_of(f), ParseError::BadVersion);
  f[14] = 0x1b;
  EXPECT_EQ(error_of(f), ParseError::ReservedFlagsSet);
  f[14] = 0x18;
  EXPECT_EQ(error_of(f), ParseError::UnknownCommand);
}

TEST(Malformed, UnknownCommand) {
  for (int cmd : {4, 5, 0x7F, 0x80, 0xEF}) {
    Bytes f = frame("10 00 00 07 03 00 12 34 56 78", 60);
    f[19] = static_cast<std::uint8_t>(cmd);
    EXPECT_EQ(error_of(f), ParseError::UnknownCommand) << cmd;
    EXPECT_EQ(error_of(f, kLenient), ParseError::UnknownCommand) << cmd;
  }
  for (int cmd = 0xF0; cmd <= 0xFF; ++cmd) {  // vendor commands pass through
    Bytes f = frame("10 00 00 07 03 00 12 34 56 78");
    f[19] = static_cast<std::uint8_t>(cmd);
    expect_ok(f);
  }
}

TEST(Malformed, TruncatedArgument) {
  EXPECT_EQ(error_of(frame("10 00 00 07 03 00 12 34 56 78 | 00 00 01 ec 00 00 00 e0 00 00 00")),
            ParseError::TruncatedArgument);  // ATA: 35 bytes
  EXPECT_EQ(error_of(frame("10 00 00 07 03 01 12 34 56 78 | 00 10 40 19 02 10 00")),
            ParseError::TruncatedArgument);  // Query Config: 31 bytes
  EXPECT_EQ(error_of(frame("10 00 00 07 03 02 12 34 56 78 | 00 00 00")), ParseError::TruncatedArgument);  // 27
  EXPECT_EQ(error_of(frame("10 00 00 07 03 03 12 34 56 78 | 00")), ParseError::TruncatedArgument);        // 25
  EXPECT_EQ(error_of(frame("10 00 00 07 03 00 12 34 56 78")), ParseError::TruncatedArgument);  // header only
}

TEST(Malformed, AtaReservedBytesSet) {
  for (std::size_t offset : {34u, 35u}) {
    Bytes f = frame("10 00 00 07 03 00 12 34 56 78 | 00 00 01 ec 00 00 00 e0 00 00 00 00", 60);
    f[offset] = 0x01;
    EXPECT_EQ(error_of(f), ParseError::ReservedBitsSet) << offset;
    expect_ok(f, ParseOptions{.reject_reserved = false});
  }
}

TEST(Malformed, MacMaskListReservedBytesSet) {
  Bytes f = frame("10 00 00 07 03 02 12 34 56 78 | 80 01 00 01 | 00 01 02 00 00 00 00 01", 60);
  EXPECT_EQ(error_of(f), ParseError::ReservedBitsSet);  // byte 24
  expect_ok(f, ParseOptions{.reject_reserved = false});
  f[24] = 0;
  f[28] = 0x01;  // the first directive's reserved byte
  EXPECT_EQ(error_of(f), ParseError::ReservedBitsSet);
  auto m = parse_frame(f, ParseOptions{.reject_reserved = false});
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->mac_mask_list()->directive(0).dcmd, 1);
}

TEST(Malformed, ConfigStringTooLong) {
  // Length above 1024 is an error even when the frame holds that many bytes.
  Bytes f = frame("18 00 00 07 03 01 12 34 56 78 | 00 10 40 19 02 10 04 01");
  f.resize(32 + 1025, 'x');
  EXPECT_EQ(error_of(f), ParseError::ConfigStringTooLong);
  f[30] = 0xFF;
  f[31] = 0xFF;
  EXPECT_EQ(error_of(f), ParseError::ConfigStringTooLong);
  f[30] = 0x04;
  f[31] = 0x00;
  expect_ok(f);  // exactly 1024 fits
}

TEST(Malformed, ConfigStringTruncated) {
  Bytes f = frame("18 00 00 07 03 01 12 34 56 78 | 00 10 40 19 02 10 00 1d", 60);  // 29 > 28 bytes left
  EXPECT_EQ(error_of(f), ParseError::ConfigStringTruncated);
  f[31] = 0x1c;  // 28: the padding is read as string, which is all a receiver can do
  expect_ok(f);
}

TEST(Malformed, DataShorterThanCount) {
  const Bytes head = frame("10 00 00 07 03 00 12 34 56 78 | 01 00 02 30 00 00 00 e0 00 00 00 00");
  EXPECT_EQ(error_of(cat({head, zeros(1023)})), ParseError::DataShorterThanCount);
  expect_ok(cat({head, zeros(1024)}));
  Bytes big = frame("10 00 00 07 03 00 12 34 56 78 | 41 00 ff 34 00 00 00 00 00 00 00 00", 60);
  EXPECT_EQ(error_of(big), ParseError::DataShorterThanCount);
  EXPECT_EQ(error_of(big, kLenient), ParseError::DataShorterThanCount);
}

TEST(Malformed, DirectiveCountBeyondFrame) {
  // A padded 60-byte frame has room for 4 directives (28 + 32); 5 do not fit.
  Bytes f = frame("18 00 00 07 03 02 12 34 56 78 | 00 00 00 05", 60);
  EXPECT_EQ(error_of(f), ParseError::DirectiveCountBeyondFrame);
  f[27] = 4;
  expect_ok(f);
  f[27] = 0xFF;
  EXPECT_EQ(error_of(f), ParseError::DirectiveCountBeyondFrame);
}

TEST(Malformed, MacCountBeyondFrame) {
  // 60 bytes hold 5 MACs after offset 26 (30 bytes + 4 spare); 6 do not fit.
  Bytes f = frame("18 00 00 07 03 03 12 34 56 78 | 01 06", 60);
  EXPECT_EQ(error_of(f), ParseError::MacCountBeyondFrame);
  f[25] = 5;
  expect_ok(f);
  f[25] = 0xFF;
  EXPECT_EQ(error_of(f), ParseError::MacCountBeyondFrame);
}

TEST(Malformed, IdentifyTooShort) {
  for (std::size_t n : {0u, 1u, 511u}) {
    const Bytes page(n, 0x20);
    auto id = parse_identify(page);
    ASSERT_FALSE(id.ok());
    EXPECT_EQ(id.error(), ParseError::IdentifyTooShort);
  }
  EXPECT_TRUE(parse_identify(Bytes(512, 0)).ok());
  EXPECT_TRUE(parse_identify(Bytes(1024, 0)).ok());  // longer is fine: only the first 512 bytes count
}

TEST(Malformed, EveryErrorHasAName) {
  for (int e = 0; e <= static_cast<int>(ParseError::IdentifyTooShort); ++e)
    EXPECT_STRNE(parse_error_name(static_cast<ParseError>(e)), "unknown parse error") << e;
  for (int e = 0; e <= static_cast<int>(AoeError::TargetReserved); ++e)
    EXPECT_STRNE(aoe_error_name(static_cast<AoeError>(e)), "unknown error code") << e;
}

// ---------------------------------------------------------------------------------------------
// Truncation at every length 0..full of every kind.

// What parse_frame must report for the first `n` bytes of `full` (an unpadded frame of `spec`):
// nullopt for success.
std::optional<ParseError> expected_truncation_error(testing::FrameSpec& spec, std::size_t n) {
  using K = testing::SampleKind;
  if (n < kHeaderSize) return ParseError::TruncatedHeader;
  switch (spec.kind) {
    case K::AtaRequest:
    case K::AtaResponse:
    case K::AtaErrorResponse:
      if (n < kAtaHeaderSize) return ParseError::TruncatedArgument;
      return std::nullopt;
    case K::AtaWriteRequest:
      if (n < kAtaHeaderSize) return ParseError::TruncatedArgument;
      if (n < kAtaHeaderSize + spec.ata.data_bytes()) return ParseError::DataShorterThanCount;
      return std::nullopt;
    case K::QueryConfigRequest:
    case K::QueryConfigResponse:
      if (n < kQueryConfigHeaderSize) return ParseError::TruncatedArgument;
      if (n < kQueryConfigHeaderSize + spec.bytes.size()) return ParseError::ConfigStringTruncated;
      return std::nullopt;
    case K::MacMaskListRequest:
    case K::MacMaskListResponse:
      if (n < kMacMaskHeaderSize) return ParseError::TruncatedArgument;
      if (n < kMacMaskHeaderSize + spec.directives.size() * kMacMaskDirectiveSize)
        return ParseError::DirectiveCountBeyondFrame;
      return std::nullopt;
    case K::ReserveReleaseRequest:
    case K::ReserveReleaseResponse:
      if (n < kReserveHeaderSize) return ParseError::TruncatedArgument;
      if (n < kReserveHeaderSize + spec.macs.size() * 6) return ParseError::MacCountBeyondFrame;
      return std::nullopt;
    case K::Vendor:
      return std::nullopt;
  }
  return std::nullopt;
}

class Truncation : public ::testing::TestWithParam<testing::SampleKind> {};

TEST_P(Truncation, EveryLengthGivesTheExactError) {
  std::mt19937_64 rng(0x7E57 + static_cast<int>(GetParam()));
  for (int i = 0; i < 6; ++i) {
    testing::FrameSpec spec = testing::random_frame(rng, GetParam());
    const Bytes full = spec.encode(false);
    const Message whole = spec.message();
    for (std::size_t n = 0; n <= full.size(); ++n) {
      // A fresh copy of exactly n bytes, so that AddressSanitizer catches a read past the end.
      const Bytes prefix(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
      auto m = parse_frame(prefix);
      const auto want = expected_truncation_error(spec, n);
      if (want) {
        ASSERT_FALSE(m.ok()) << "frame " << i << " length " << n << " of " << full.size();
        ASSERT_EQ(m.error(), *want) << "frame " << i << " length " << n << ": got " << parse_error_name(m.error())
                                    << ", want " << parse_error_name(*want);
        continue;
      }
      ASSERT_TRUE(m.ok()) << "frame " << i << " length " << n << ": " << parse_error_name(m.error());
      ASSERT_EQ(testing::view_outside(*m, prefix), "") << n;
      ASSERT_EQ(m->header, whole.header);
      // Bodies that parse early are exactly what the prefix holds.
      if (const auto* a = m->ata()) {
        ASSERT_EQ(a->arg, whole.ata()->arg);
        std::size_t data = 0;
        if (spec.kind == testing::SampleKind::AtaWriteRequest) data = spec.ata.data_bytes();
        if (spec.kind == testing::SampleKind::AtaResponse) data = (n - kAtaHeaderSize) / kSectorSize * kSectorSize;
        ASSERT_EQ(a->data.size(), data) << n;
      } else if (const auto* v = m->vendor()) {
        ASSERT_EQ(v->payload.size(), n - kHeaderSize);
      } else {
        ASSERT_EQ(n, full.size());  // the other kinds need every byte of their lists
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(EveryKind, Truncation, ::testing::ValuesIn(testing::kAllSampleKinds),
                         [](const auto& info) { return std::string(testing::sample_kind_name(info.param)); });

TEST(TruncationEdge, EmptyListsParseAtTheirFixedArgumentLength) {
  // Kinds whose list may be empty succeed exactly at the end of the fixed argument.
  expect_ok(frame("10 00 00 07 03 01 12 34 56 78 | 00 00 00 00 00 10 00 00"));  // 32
  expect_ok(frame("10 00 00 07 03 02 12 34 56 78 | 00 00 00 00"));              // 28
  expect_ok(frame("10 00 00 07 03 03 12 34 56 78 | 00 00"));                    // 26
  expect_ok(frame("10 00 00 07 03 00 12 34 56 78 | 00 00 01 ec 00 00 00 e0 00 00 00 00"));  // 36
}

}  // namespace
}  // namespace aoeh::proto
