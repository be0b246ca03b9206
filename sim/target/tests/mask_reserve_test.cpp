// Mac Mask List and Reserve/Release.
#include "sim/target/tests/target_fixture.hpp"

namespace aoeh::target::testing {
namespace {

using proto::AoeError;
using proto::DirectiveCommand;
using proto::MacMaskDirective;
using proto::MaskCommand;
using proto::MaskError;
using proto::ReserveCommand;

proto::MacAddress mac(std::uint8_t n) { return proto::MacAddress{{0x02, 0, 0, 0, 0xCC, n}}; }
MacMaskDirective add(const proto::MacAddress& m) { return {static_cast<std::uint8_t>(DirectiveCommand::Add), m}; }
MacMaskDirective del(const proto::MacAddress& m) { return {static_cast<std::uint8_t>(DirectiveCommand::Delete), m}; }

std::vector<proto::MacAddress> listed(const proto::Message& m) {
  std::vector<proto::MacAddress> out;
  if (const auto* b = m.mac_mask_list())
    for (std::size_t i = 0; i < b->directive_count; ++i) out.push_back(b->directive(i).mac);
  if (const auto* r = m.reserve_release())
    for (std::size_t i = 0; i < r->mac_count; ++i) out.push_back(r->mac(i));
  return out;
}

struct MaskCase {
  const char* name;
  std::vector<proto::MacAddress> before;
  std::vector<MacMaskDirective> directives;
  MaskError merror;
  std::vector<proto::MacAddress> after;
};

class MaskEdit : public ::testing::TestWithParam<MaskCase> {};

TEST_P(MaskEdit, AppliesDirectivesAndRepliesWithTheList) {
  const MaskCase& c = GetParam();
  auto cfg = base_config();
  cfg.mask_list_capacity = 3;
  Target t(cfg);
  std::vector<MacMaskDirective> seed;
  for (const auto& m : c.before) seed.push_back(add(m));
  // kHostA stays on the list in every case so that it keeps talking to the target.
  seed.insert(seed.begin(), add(kHostA));
  transact_one(t, mask_frame(request_header(2), MaskCommand::Edit, seed));
  auto m = parse_reply(transact_one(t, mask_frame(request_header(2, 77), MaskCommand::Edit, c.directives)));
  ASSERT_NE(m.mac_mask_list(), nullptr);
  EXPECT_FALSE(m.header.is_error());
  EXPECT_EQ(m.header.tag, 77u);
  EXPECT_EQ(m.mac_mask_list()->mcmd, static_cast<std::uint8_t>(MaskCommand::Edit));
  EXPECT_EQ(m.mac_mask_list()->merror, static_cast<std::uint8_t>(c.merror));
  std::vector<proto::MacAddress> want{kHostA};
  want.insert(want.end(), c.after.begin(), c.after.end());
  EXPECT_EQ(listed(m), want);
  EXPECT_EQ(std::vector<proto::MacAddress>(t.mask_list().begin(), t.mask_list().end()), want);
}

INSTANTIATE_TEST_SUITE_P(
    Table, MaskEdit,
    ::testing::Values(
        MaskCase{"add_one", {}, {add(mac(1))}, MaskError::None, {mac(1)}},
        MaskCase{"add_duplicate", {mac(1)}, {add(mac(1))}, MaskError::None, {mac(1)}},
        MaskCase{"delete", {mac(1), mac(2)}, {del(mac(1))}, MaskError::None, {mac(2)}},
        MaskCase{"delete_absent", {mac(1)}, {del(mac(9))}, MaskError::None, {mac(1)}},
        MaskCase{"none_directive", {}, {{0, mac(1)}}, MaskError::None, {}},
        MaskCase{"bad_directive_stops", {}, {add(mac(1)), {7, mac(2)}, add(mac(3))}, MaskError::BadDirective,
                 {mac(1)}},
        MaskCase{"list_full", {mac(1)}, {add(mac(2)), add(mac(3))}, MaskError::ListFull, {mac(1), mac(2)}}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(MaskList, ReadOnEmptyList) {
  Target t(base_config());
  auto m = parse_reply(transact_one(t, mask_frame(request_header(2), MaskCommand::Read)));
  ASSERT_NE(m.mac_mask_list(), nullptr);
  EXPECT_EQ(m.mac_mask_list()->directive_count, 0);
  EXPECT_EQ(m.mac_mask_list()->merror, 0);
}

TEST(MaskList, UnknownMcmdIsBadArgument) {
  Target t(base_config());
  auto h = proto::parse_header(transact_one(t, mask_frame(request_header(2), static_cast<MaskCommand>(5))));
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->aoe_error(), AoeError::BadArgument);
}

TEST(MaskList, NonEmptyListSilencesOthersForEveryCommand) {
  Target t(base_config());
  transact_one(t, mask_frame(request_header(2), MaskCommand::Edit, {add(kHostA)}));
  auto from_b = [](std::uint8_t cmd) { return request_header(cmd, 1, kHostB); };
  EXPECT_TRUE(transact(t, config_frame(from_b(1), proto::ConfigCommand::Read)).empty());
  EXPECT_TRUE(transact(t, ata_frame(ata_header(1, kHostB), proto::ata_identify_arg())).empty());
  EXPECT_TRUE(transact(t, mask_frame(from_b(2), MaskCommand::Edit, {del(kHostA)})).empty());
  auto broadcast = request_header(1, 1, kHostB, 0xFFFF, 0xFF, proto::MacAddress::broadcast());
  EXPECT_TRUE(transact(t, config_frame(broadcast, proto::ConfigCommand::Read)).empty());
  EXPECT_EQ(t.counters().ignored_masked, 4u);
  // The listed host is still served; deleting itself empties the list and opens the target again.
  EXPECT_EQ(transact(t, ata_frame(ata_header(), proto::ata_identify_arg())).size(), 1u);
  transact_one(t, mask_frame(request_header(2), MaskCommand::Edit, {del(kHostA)}));
  EXPECT_EQ(transact(t, config_frame(from_b(1), proto::ConfigCommand::Read)).size(), 1u);
}

struct ReserveCase {
  const char* name;
  std::vector<proto::MacAddress> held;  // reservation before
  proto::MacAddress sender;
  ReserveCommand rcmd;
  std::vector<proto::MacAddress> macs;
  AoeError error;
  std::vector<proto::MacAddress> after;
};

class ReserveRelease : public ::testing::TestWithParam<ReserveCase> {};

TEST_P(ReserveRelease, FollowsTheHolderRules) {
  const ReserveCase& c = GetParam();
  Target t(base_config());
  if (!c.held.empty()) transact_one(t, reserve_frame(request_header(3, 1, c.held[0]), ReserveCommand::ForceSet, c.held));
  auto m = parse_reply(transact_one(t, reserve_frame(request_header(3, 9, c.sender), c.rcmd, c.macs)));
  EXPECT_TRUE(m.header.is_response());
  EXPECT_EQ(m.header.aoe_error(), c.error);
  EXPECT_EQ(m.header.is_error(), c.error != AoeError::None);
  ASSERT_NE(m.reserve_release(), nullptr);
  EXPECT_EQ(m.reserve_release()->rcmd, static_cast<std::uint8_t>(c.rcmd));
  EXPECT_EQ(listed(m), c.after);  // the reply always shows the reservation in force
  EXPECT_EQ(std::vector<proto::MacAddress>(t.reservation().begin(), t.reservation().end()), c.after);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ReserveRelease,
    ::testing::Values(
        ReserveCase{"read_free", {}, kHostA, ReserveCommand::Read, {}, AoeError::None, {}},
        ReserveCase{"read_held", {kHostB}, kHostA, ReserveCommand::Read, {}, AoeError::None, {kHostB}},
        ReserveCase{"set_free", {}, kHostA, ReserveCommand::Set, {kHostA}, AoeError::None, {kHostA}},
        ReserveCase{"set_by_holder", {kHostA}, kHostA, ReserveCommand::Set, {kHostA, kHostB}, AoeError::None,
                    {kHostA, kHostB}},
        ReserveCase{"set_by_other", {kHostB}, kHostA, ReserveCommand::Set, {kHostA}, AoeError::TargetReserved,
                    {kHostB}},
        ReserveCase{"release_by_holder", {kHostA}, kHostA, ReserveCommand::Set, {}, AoeError::None, {}},
        ReserveCase{"release_by_other", {kHostB}, kHostA, ReserveCommand::Set, {}, AoeError::TargetReserved,
                    {kHostB}},
        ReserveCase{"force_by_other", {kHostB}, kHostA, ReserveCommand::ForceSet, {kHostA}, AoeError::None,
                    {kHostA}},
        ReserveCase{"force_release", {kHostB}, kHostA, ReserveCommand::ForceSet, {}, AoeError::None, {}}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Reservation, NonHoldersGetError6ForAtaButHoldersAreServed) {
  Target t(base_config());
  transact_one(t, reserve_frame(request_header(3), ReserveCommand::Set, {kHostA}));
  auto h = proto::parse_header(transact_one(t, ata_frame(ata_header(5, kHostB), proto::ata_read_arg(0, 1, true))));
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(h->is_error());
  EXPECT_EQ(h->aoe_error(), AoeError::TargetReserved);
  EXPECT_EQ(h->tag, 5u);
  EXPECT_EQ(t.counters().reserved_refusals, 1u);
  EXPECT_EQ(wire_read(t, 0, 1).size(), 512u);
  // Query Config stays open to everyone.
  EXPECT_EQ(transact(t, config_frame(request_header(1, 1, kHostB), proto::ConfigCommand::Read)).size(), 1u);
}

TEST(Reservation, TooManyMacsIsBadArgument) {
  auto c = base_config();
  c.reserve_list_capacity = 1;
  Target t(c);
  auto h = proto::parse_header(transact_one(t, reserve_frame(request_header(3), ReserveCommand::Set, {kHostA, kHostB})));
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->aoe_error(), AoeError::BadArgument);
  EXPECT_TRUE(t.reservation().empty());
}

TEST(Reservation, UnknownRcmdIsBadArgument) {
  Target t(base_config());
  auto h = proto::parse_header(transact_one(t, reserve_frame(request_header(3), static_cast<ReserveCommand>(3))));
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->aoe_error(), AoeError::BadArgument);
}

}  // namespace
}  // namespace aoeh::target::testing
