// Who the target answers and the common header of its replies.
#include "sim/target/tests/target_fixture.hpp"

namespace aoeh::target::testing {
namespace {

using proto::AoeError;

struct AddressCase {
  const char* name;
  std::uint16_t shelf;
  std::uint8_t slot;
  proto::MacAddress dst;
  bool answered;
};

class Addressing : public ::testing::TestWithParam<AddressCase> {};

TEST_P(Addressing, QueryConfigIsAnsweredOnlyWhenAddressed) {
  const AddressCase& c = GetParam();
  Target t(base_config());
  auto h = request_header(1, 0xCAFE0001, kHostA, c.shelf, c.slot, c.dst);
  auto out = transact(t, config_frame(h, proto::ConfigCommand::Read));
  ASSERT_EQ(out.size(), c.answered ? 1u : 0u);
  if (!c.answered) {
    EXPECT_EQ(t.counters().ignored_not_addressed, 1u);
    return;
  }
  auto m = parse_reply(out[0].bytes);
  // A broadcast request is answered with the target's own address, from its own MAC, to the sender.
  EXPECT_EQ(m.header.shelf, kShelf);
  EXPECT_EQ(m.header.slot, kSlot);
  EXPECT_EQ(m.header.src, kTargetMac);
  EXPECT_EQ(m.header.dst, kHostA);
  EXPECT_EQ(m.header.tag, 0xCAFE0001u);
  EXPECT_TRUE(m.header.is_response());
  EXPECT_FALSE(m.header.is_error());
}

INSTANTIATE_TEST_SUITE_P(
    Table, Addressing,
    ::testing::Values(AddressCase{"exact", kShelf, kSlot, kTargetMac, true},
                      AddressCase{"broadcast_both", 0xFFFF, 0xFF, proto::MacAddress::broadcast(), true},
                      AddressCase{"broadcast_shelf", 0xFFFF, kSlot, proto::MacAddress::broadcast(), true},
                      AddressCase{"broadcast_slot", kShelf, 0xFF, kTargetMac, true},
                      AddressCase{"other_shelf", kShelf + 1, kSlot, kTargetMac, false},
                      AddressCase{"other_slot", kShelf, kSlot + 1, kTargetMac, false},
                      AddressCase{"other_slot_broadcast_shelf", 0xFFFF, kSlot + 1, kTargetMac, false},
                      AddressCase{"other_mac", kShelf, kSlot, kHostB, false}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Addressing, FramesWithResponseFlagAreIgnored) {
  Target t(base_config());
  auto h = request_header(1);
  h.flags = proto::kFlagResponse;
  EXPECT_TRUE(transact(t, config_frame(h, proto::ConfigCommand::Read)).empty());
  EXPECT_EQ(t.counters().ignored_responses, 1u);
}

TEST(Addressing, NonAoeAndTruncatedFramesAreIgnored) {
  Target t(base_config());
  Bytes f = config_frame(request_header(1), proto::ConfigCommand::Read);
  Bytes wrong_type = f;
  wrong_type[12] = 0x08;
  wrong_type[13] = 0x00;
  EXPECT_TRUE(transact(t, wrong_type).empty());
  EXPECT_TRUE(transact(t, Bytes(f.begin(), f.begin() + 20)).empty());
  EXPECT_TRUE(transact(t, f, /*port=*/5).empty());  // no such port
  EXPECT_EQ(t.counters().ignored_malformed, 3u);
}

struct ErrorCase {
  const char* name;
  std::uint8_t version;
  std::uint8_t command;
  AoeError expected;
};

class ErrorReplies : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ErrorReplies, AnswerWithErrorFlagCodeAndEchoedHeader) {
  const ErrorCase& c = GetParam();
  Target t(base_config());
  auto h = request_header(c.command, 0x0BADF00D);
  h.version = c.version;
  Bytes f(proto::kMinFrameSize);
  f.resize(proto::encode_vendor(f, h, Bytes(12, 0)));
  Bytes reply = transact_one(t, f);
  ASSERT_GE(reply.size(), proto::kMinFrameSize);
  auto header = proto::parse_header(reply);
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header->version, proto::kAoEVersion);
  EXPECT_TRUE(header->is_response());
  EXPECT_TRUE(header->is_error());
  EXPECT_EQ(header->aoe_error(), c.expected);
  EXPECT_EQ(header->command, c.command);
  EXPECT_EQ(header->tag, 0x0BADF00Du);
  EXPECT_EQ(t.counters().error_replies, 1u);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ErrorReplies,
    ::testing::Values(ErrorCase{"bad_version_0", 0, 1, AoeError::UnsupportedVersion},
                      ErrorCase{"bad_version_2_ata", 2, 0, AoeError::UnsupportedVersion},
                      ErrorCase{"unknown_command_4", 1, 4, AoeError::UnrecognizedCommand},
                      ErrorCase{"unknown_command_0xEF", 1, 0xEF, AoeError::UnrecognizedCommand},
                      ErrorCase{"vendor_0xF0", 1, 0xF0, AoeError::UnrecognizedCommand},
                      ErrorCase{"vendor_0xFF", 1, 0xFF, AoeError::UnrecognizedCommand}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(ErrorReplies, VendorCommandsCanBeIgnored) {
  auto c = base_config();
  c.vendor_policy = VendorPolicy::Ignore;
  Target t(c);
  Bytes f(proto::kMinFrameSize);
  f.resize(proto::encode_vendor(f, request_header(0xF3), {}));
  EXPECT_TRUE(transact(t, f).empty());
  EXPECT_EQ(t.counters().ignored_vendor, 1u);
}

TEST(ErrorReplies, TruncatedArgumentIsBadArgument) {
  Target t(base_config());
  Bytes f = ata_frame(ata_header(), proto::ata_read_arg(0, 1, true));
  f.resize(30);  // veth does not pad: the frame ends inside the ATA argument
  auto header = proto::parse_header(transact_one(t, f));
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header->aoe_error(), AoeError::BadArgument);
}

TEST(Replies, ShortRepliesArePaddedTo60Bytes) {
  Target t(base_config());
  EXPECT_EQ(transact_one(t, config_frame(request_header(1), proto::ConfigCommand::Read)).size(), 60u);
  EXPECT_EQ(transact_one(t, reserve_frame(request_header(3), proto::ReserveCommand::Read)).size(), 60u);
  EXPECT_EQ(transact_one(t, mask_frame(request_header(2), proto::MaskCommand::Read)).size(), 60u);
  EXPECT_EQ(transact_one(t, ata_frame(ata_header(), proto::ata_flush_arg(true))).size(), 60u);
}

TEST(Replies, UnpaddedRequestsAreServed) {
  Target t(base_config());
  Bytes f(proto::kMaxFrameSize);
  proto::QueryConfigArg q;
  f.resize(proto::encode_query_config(f, request_header(1), q, /*pad=*/false));
  ASSERT_EQ(f.size(), proto::kQueryConfigHeaderSize);
  EXPECT_EQ(transact(t, f).size(), 1u);
}

TEST(Announcement, StartSendsQueryConfigResponseToBroadcastOnEveryPort) {
  auto c = base_config();
  c.announce_on_start = true;
  c.ports.push_back({kTargetMac2, 9000});
  c.config_string = "hello";
  Target t(c);
  EXPECT_TRUE(drain(t).empty());
  t.start(0);
  auto out = drain(t);
  ASSERT_EQ(out.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(out[i].port, i);
    auto m = parse_reply(out[i].bytes);
    EXPECT_TRUE(m.header.dst.is_broadcast());
    EXPECT_EQ(m.header.src, i == 0 ? kTargetMac : kTargetMac2);
    EXPECT_TRUE(m.header.is_response());
    EXPECT_EQ(m.header.command, 1);
    ASSERT_NE(m.query_config(), nullptr);
    EXPECT_EQ(m.query_config()->config_string(), "hello");
    EXPECT_EQ(m.query_config()->sector_count, i == 0 ? 2 : 17);
  }
  EXPECT_EQ(t.counters().announcements, 2u);
}

TEST(Announcement, OffByConfig) {
  Target t(base_config());
  t.start(0);
  EXPECT_TRUE(drain(t).empty());
}

TEST(Config, ProblemsAreReported) {
  auto c = base_config();
  c.ports.clear();
  EXPECT_NE(c.problem(), "");
  EXPECT_THROW(Target{c}, std::invalid_argument);
  c = base_config();
  c.config_string.assign(1025, 'x');
  EXPECT_NE(c.problem(), "");
  c = base_config();
  c.slot = 0xFF;
  EXPECT_NE(c.problem(), "");
  EXPECT_EQ(base_config().problem(), "");
}

}  // namespace
}  // namespace aoeh::target::testing
