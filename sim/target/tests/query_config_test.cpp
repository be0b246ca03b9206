// Query Config: the five CCmd values, Error 4, and the fields every reply carries.
#include "sim/target/tests/target_fixture.hpp"

namespace aoeh::target::testing {
namespace {

using proto::AoeError;
using proto::ConfigCommand;

struct CcmdCase {
  const char* name;
  std::string current;      // string on the target before the request
  ConfigCommand ccmd;
  std::string argument;
  bool answered;
  AoeError error;           // None for a normal reply
  std::string after;        // string on the target afterwards (also the string in the reply)
};

class QueryConfigCcmd : public ::testing::TestWithParam<CcmdCase> {};

TEST_P(QueryConfigCcmd, AnswersAsSpecified) {
  const CcmdCase& c = GetParam();
  auto cfg = base_config();
  cfg.config_string = c.current;
  Target t(cfg);
  auto out = transact(t, config_frame(request_header(1, 0x5150), c.ccmd, c.argument));
  EXPECT_EQ(t.config().config_string, c.after);
  ASSERT_EQ(out.size(), c.answered ? 1u : 0u);
  if (!c.answered) {
    EXPECT_EQ(t.counters().ignored_config_mismatch, 1u);
    return;
  }
  auto m = parse_reply(out[0].bytes);
  EXPECT_TRUE(m.header.is_response());
  EXPECT_EQ(m.header.is_error(), c.error != AoeError::None);
  EXPECT_EQ(m.header.aoe_error(), c.error);
  EXPECT_EQ(m.header.tag, 0x5150u);
  const auto* q = m.query_config();
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->config_string(), c.after);  // a reply always carries the current string
  EXPECT_EQ(q->ccmd, static_cast<std::uint8_t>(c.ccmd));
  EXPECT_EQ(q->aoe_version, proto::kAoEVersion);
  EXPECT_EQ(q->buffer_count, 16);
  EXPECT_EQ(q->firmware_version, 0x0100);
  EXPECT_EQ(q->sector_count, 2);  // (1500 - 36) / 512
}

INSTANTIATE_TEST_SUITE_P(
    Table, QueryConfigCcmd,
    ::testing::Values(
        CcmdCase{"read_empty", "", ConfigCommand::Read, "", true, AoeError::None, ""},
        CcmdCase{"read_ignores_argument", "abc", ConfigCommand::Read, "zzz", true, AoeError::None, "abc"},
        CcmdCase{"test_exact", "abc", ConfigCommand::Test, "abc", true, AoeError::None, "abc"},
        CcmdCase{"test_prefix_only", "abc", ConfigCommand::Test, "ab", false, AoeError::None, "abc"},
        CcmdCase{"test_longer", "abc", ConfigCommand::Test, "abcd", false, AoeError::None, "abc"},
        CcmdCase{"test_empty_matches_empty", "", ConfigCommand::Test, "", true, AoeError::None, ""},
        CcmdCase{"prefix_match", "abcdef", ConfigCommand::TestPrefix, "abc", true, AoeError::None, "abcdef"},
        CcmdCase{"prefix_whole", "abc", ConfigCommand::TestPrefix, "abc", true, AoeError::None, "abc"},
        CcmdCase{"prefix_empty", "abc", ConfigCommand::TestPrefix, "", true, AoeError::None, "abc"},
        CcmdCase{"prefix_mismatch", "abcdef", ConfigCommand::TestPrefix, "abd", false, AoeError::None, "abcdef"},
        CcmdCase{"prefix_longer", "abc", ConfigCommand::TestPrefix, "abcd", false, AoeError::None, "abc"},
        CcmdCase{"set_when_empty", "", ConfigCommand::Set, "mine", true, AoeError::None, "mine"},
        CcmdCase{"set_when_present", "theirs", ConfigCommand::Set, "mine", true, AoeError::ConfigStringPresent,
                 "theirs"},
        CcmdCase{"force_set_when_present", "theirs", ConfigCommand::ForceSet, "mine", true, AoeError::None, "mine"},
        CcmdCase{"force_set_empty_clears", "theirs", ConfigCommand::ForceSet, "", true, AoeError::None, ""},
        CcmdCase{"unknown_ccmd", "abc", static_cast<ConfigCommand>(7), "x", true, AoeError::BadArgument, "abc"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(QueryConfig, UnknownCcmdErrorEchoesArgument) {
  Target t(base_config());
  auto reply = transact_one(t, config_frame(request_header(1), static_cast<ConfigCommand>(9)));
  auto h = proto::parse_header(reply);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->aoe_error(), AoeError::BadArgument);
  EXPECT_EQ(reply[29] & 0x0F, 9);
}

TEST(QueryConfig, MaximumLengthStringIsStoredAndReturned) {
  Target t(base_config());
  const std::string big(1024, 'q');
  auto m = parse_reply(transact_one(t, config_frame(request_header(1), ConfigCommand::ForceSet, big)));
  ASSERT_NE(m.query_config(), nullptr);
  EXPECT_EQ(m.query_config()->config_string(), big);
}

TEST(QueryConfig, OverlongLengthFieldIsBadArgument) {
  Target t(base_config());
  Bytes f = config_frame(request_header(1), ConfigCommand::Set, "abc");
  f[30] = 0x04;  // length 1025
  f[31] = 0x01;
  auto h = proto::parse_header(transact_one(t, f));
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->aoe_error(), AoeError::BadArgument);
  EXPECT_EQ(t.config().config_string, "");
}

TEST(QueryConfig, RuntimeFieldsShowInReplies) {
  Target t(base_config());
  t.set_bufcnt(64);
  t.set_firmware_version(0x4242);
  t.set_sector_count(8);
  ASSERT_TRUE(t.set_config_string("rt"));
  EXPECT_FALSE(t.set_config_string(std::string(1025, 'x')));
  auto m = parse_reply(transact_one(t, config_frame(request_header(1), ConfigCommand::Read)));
  const auto* q = m.query_config();
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->buffer_count, 64);
  EXPECT_EQ(q->firmware_version, 0x4242);
  EXPECT_EQ(q->sector_count, 8);
  EXPECT_EQ(q->config_string(), "rt");
}

TEST(QueryConfig, SectorCountFollowsReceivingPortMtu) {
  auto c = base_config();
  c.ports.push_back({kTargetMac2, 9000});
  Target t(c);
  auto h2 = request_header(1, 1, kHostA, kShelf, kSlot, kTargetMac2);
  auto m = parse_reply(transact_one(t, config_frame(h2, ConfigCommand::Read), 1));
  ASSERT_NE(m.query_config(), nullptr);
  EXPECT_EQ(m.query_config()->sector_count, 17);  // (9000 - 36) / 512
  t.set_mtu(1, 4200);
  m = parse_reply(transact_one(t, config_frame(h2, ConfigCommand::Read), 1));
  EXPECT_EQ(m.query_config()->sector_count, 8);
}

}  // namespace
}  // namespace aoeh::target::testing
