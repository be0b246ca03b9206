// Property: random field values -> encode -> parse gives the same values, for every kind, padded
// and unpadded. Fixed seeds keep failures reproducible.
#include <gtest/gtest.h>

#include <random>

#include "protocol/frame.hpp"
#include "protocol/tests/support/bytes.hpp"
#include "protocol/tests/support/frame_samples.hpp"
#include "protocol/tests/support/message_checks.hpp"

namespace aoeh::proto {
namespace {

using testing::FrameSpec;
using testing::SampleKind;

constexpr int kFramesPerKind = 400;

class RoundTrip : public ::testing::TestWithParam<SampleKind> {};

TEST_P(RoundTrip, EncodeThenParseGivesTheSameFields) {
  std::mt19937_64 rng(0xA0E5EED0 + static_cast<int>(GetParam()));
  for (int i = 0; i < kFramesPerKind; ++i) {
    FrameSpec spec = testing::random_frame(rng, GetParam());
    for (bool pad : {false, true}) {
      SCOPED_TRACE(::testing::Message() << "frame " << i << (pad ? " padded" : " unpadded"));
      const auto bytes = spec.encode(pad);
      ASSERT_FALSE(bytes.empty());
      if (pad) {
        ASSERT_GE(bytes.size(), kMinFrameSize);
      }
      auto parsed = parse_frame(bytes);
      ASSERT_TRUE(parsed.ok()) << parse_error_name(parsed.error()) << "\n" << testing::to_hex(bytes);
      FrameSpec expected = pad ? spec.padded_expectation() : spec;
      ASSERT_EQ(testing::message_difference(*parsed, expected.message()), "") << testing::to_hex(bytes);
      ASSERT_EQ(testing::view_outside(*parsed, bytes), "");
      // encode_frame of what parsed reproduces the frame exactly (our own frames have no junk bytes).
      std::vector<std::uint8_t> again(kMaxFrameSize);
      again.resize(encode_frame(again, *parsed, pad));
      ASSERT_EQ(testing::to_hex(again), testing::to_hex(bytes));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(EveryKind, RoundTrip, ::testing::ValuesIn(testing::kAllSampleKinds),
                         [](const auto& info) { return std::string(testing::sample_kind_name(info.param)); });

TEST(RoundTripAta, BuildersPickLba28OrLba48Commands) {
  std::mt19937_64 rng(42);
  std::array<std::uint8_t, kMaxFrameSize> buf{};
  for (int i = 0; i < 1000; ++i) {
    const bool lba48 = (i & 1) != 0;
    const std::uint64_t lba = rng() & (lba48 ? ata::kMaxLba48 : ata::kMaxLba28);
    const auto count = static_cast<std::uint8_t>(rng() % 18);
    const bool write = (i & 2) != 0;
    const AtaArg a = write ? ata_write_arg(lba, count, lba48, (i & 4) != 0) : ata_read_arg(lba, count, lba48);
    EXPECT_EQ(a.extended(), lba48);
    EXPECT_EQ(a.write(), write);
    EXPECT_EQ(a.cmd_status, write ? (lba48 ? ata::kWriteSectorsExt : ata::kWriteSectors)
                                   : (lba48 ? ata::kReadSectorsExt : ata::kReadSectors));
    const std::vector<std::uint8_t> data(write ? a.data_bytes() : 0, static_cast<std::uint8_t>(i));
    Header h;
    h.tag = static_cast<std::uint32_t>(i);
    const auto len = encode_ata(buf, h, a, data);
    ASSERT_EQ(len, std::max<std::size_t>(kAtaHeaderSize + data.size(), kMinFrameSize));
    auto m = parse_frame(ByteSpan(buf.data(), len));
    ASSERT_TRUE(m.ok()) << parse_error_name(m.error());
    EXPECT_EQ(m->ata()->arg, a);
    EXPECT_EQ(m->ata()->data.size(), data.size());
    if (!lba48) {
      EXPECT_EQ(buf[31], 0xE0 | ((lba >> 24) & 0x0F));
    }
  }
}

TEST(RoundTripEncode, ReportsZeroWhenTheBufferIsTooSmall) {
  std::array<std::uint8_t, kMaxFrameSize> buf{};
  const Header h;
  const std::vector<std::uint8_t> sector(512, 1);
  EXPECT_EQ(encode_ata(MutableByteSpan(buf.data(), 59), h, ata_read_arg(0, 1, true)), 0u);  // padded needs 60
  EXPECT_EQ(encode_ata(MutableByteSpan(buf.data(), 36), h, ata_read_arg(0, 1, true), {}, false), 36u);
  EXPECT_EQ(encode_ata(MutableByteSpan(buf.data(), 547), h, ata_write_arg(0, 1, true), sector), 0u);
  EXPECT_EQ(encode_ata(MutableByteSpan(buf.data(), 548), h, ata_write_arg(0, 1, true), sector), 548u);

  QueryConfigArg q;
  EXPECT_EQ(encode_query_config(MutableByteSpan(buf.data(), 31), h, q, false), 0u);
  EXPECT_EQ(encode_query_config(MutableByteSpan(buf.data(), 32), h, q, false), 32u);
  const std::vector<std::uint8_t> too_long(kMaxConfigStringSize + 1, 'x');
  q.config = too_long;
  EXPECT_EQ(encode_query_config(buf, h, q), 0u);

  const std::vector<MacMaskDirective> directives(256);
  EXPECT_EQ(encode_mac_mask_list(buf, h, 0, 0, directives), 0u);
  EXPECT_EQ(encode_mac_mask_list(MutableByteSpan(buf.data(), 27), h, 0, 0, {}, false), 0u);
  const std::vector<MacAddress> macs(256);
  EXPECT_EQ(encode_reserve_release(buf, h, 0, macs), 0u);
  EXPECT_EQ(encode_reserve_release(MutableByteSpan(buf.data(), 25), h, 0, {}, false), 0u);
  EXPECT_EQ(encode_vendor(MutableByteSpan(buf.data(), 23), h, {}, false), 0u);
  EXPECT_EQ(encode_vendor(MutableByteSpan(buf.data(), 24), h, {}, false), 24u);
}

}  // namespace
}  // namespace aoeh::proto
