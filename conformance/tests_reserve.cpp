// Reserve/Release: read, set, force set, Error 6 for non-holders, release.
#include "conformance/test_support.hpp"

namespace aoeh::conformance {
using namespace support;
namespace {

using proto::MacAddress;
using RC = proto::ReserveCommand;

struct ReserveReply {
  Reply reply;
  proto::Parsed<proto::Message> parsed;
  const proto::ReserveReleaseBody* body;
};

ReserveReply reserve_expect(TestContext& t, RC rcmd, const std::vector<MacAddress>& macs, const std::string& what) {
  auto r = t.expect_reply(reserve_frame(t.header(kReserve), rcmd, macs), what);
  ReserveReply out{std::move(r), proto::ParseError::TruncatedHeader, nullptr};
  out.parsed = out.reply.parse();
  out.body = reserve_of(out.parsed);
  if (out.body == nullptr && !out.reply.header.is_error()) t.fail(what + ": reply does not parse as Reserve/Release");
  return out;
}

std::vector<MacAddress> set_ok(TestContext& t, RC rcmd, const std::vector<MacAddress>& macs, const std::string& what) {
  auto r = reserve_expect(t, rcmd, macs, what);
  if (r.body == nullptr || r.reply.header.is_error()) t.fail(what + " failed: " + describe(r.reply));
  return macs_of(*r.body);
}

std::vector<MacAddress> read_list(TestContext& t) { return set_ok(t, RC::Read, {}, "Reserve/Release read"); }

void require_unreserved(TestContext& t) {
  if (!read_list(t).empty()) t.not_applicable("the target is reserved by someone; not taking it over");
}

}  // namespace

void add_reserve_tests(Catalogue& c) {
  c.add({"AOE.Reserve.Read", "AoEr11 §6 (RCmd 0: read)", MUST, READS, {},
         "A read is answered with the reservation list."},
        [](TestContext& t) { t.note(fmt::format("{} holder(s)", read_list(t).size())); });

  c.add({"AOE.Reserve.SetSelf", "AoEr11 §6 (RCmd 1: set)", MUST, WRITES, {},
         "Set with the probe's MAC reserves the target for it; the holder's ATA requests still work."},
        [](TestContext& t) {
          require_unreserved(t);
          t.guard_reservation();
          const auto list = set_ok(t, RC::Set, {t.my_mac()}, "reserve for own MAC");
          t.check(list == std::vector<MacAddress>{t.my_mac()}, "the set reply does not list exactly the holder");
          t.check(read_list(t) == std::vector<MacAddress>{t.my_mac()}, "a read does not show the reservation");
          auto r = t.identify();
          t.check(TestContext::ata_ok(r), "the holder's IDENTIFY failed: " + describe(r));
        });

  c.add({"AOE.Reserve.NonHolderGetsError6", "AoEr11 §6 (Error 6: target reserved)", MUST, WRITES, {},
         "While another MAC holds the reservation, the probe's ATA requests get Error 6."},
        [](TestContext& t) {
          require_unreserved(t);
          t.guard_reservation();
          set_ok(t, RC::ForceSet, {t.stranger_mac(5)}, "force set for a stranger");
          auto r = t.identify();
          t.check(TestContext::aoe_error(r, proto::AoeError::TargetReserved), "expected Error 6, got " + describe(r));
        });

  c.add({"AOE.Reserve.NonHolderSetGetsError6", "AoEr11 §6 (RCmd 1: set; Error 6)", MUST, WRITES, {},
         "A set from a non-holder while reserved gets Error 6 and changes nothing."},
        [](TestContext& t) {
          require_unreserved(t);
          t.guard_reservation();
          set_ok(t, RC::ForceSet, {t.stranger_mac(6)}, "force set for a stranger");
          auto r = reserve_expect(t, RC::Set, {t.my_mac()}, "set from a non-holder");
          t.check(TestContext::aoe_error(r.reply, proto::AoeError::TargetReserved), "expected Error 6, got " + describe(r.reply));
          t.check(read_list(t) == std::vector<MacAddress>{t.stranger_mac(6)}, "the reservation changed");
        });

  c.add({"AOE.Reserve.ForceSetOverrides", "AoEr11 §6 (RCmd 2: force set)", MUST, WRITES, {},
         "Force set takes the reservation from another holder."},
        [](TestContext& t) {
          require_unreserved(t);
          t.guard_reservation();
          set_ok(t, RC::ForceSet, {t.stranger_mac(7)}, "force set for a stranger");
          const auto list = set_ok(t, RC::ForceSet, {t.my_mac()}, "force set for own MAC");
          t.check(list == std::vector<MacAddress>{t.my_mac()}, "force set did not take over the reservation");
          auto r = t.identify();
          t.check(TestContext::ata_ok(r), "the new holder's IDENTIFY failed: " + describe(r));
        });

  c.add({"AOE.Reserve.ReleaseRestoresAccess", "AoEr11 §6 (set with no MACs releases)", MUST, WRITES, {},
         "The holder's set with an empty list releases the target."},
        [](TestContext& t) {
          require_unreserved(t);
          t.guard_reservation();
          set_ok(t, RC::Set, {t.my_mac()}, "reserve for own MAC");
          const auto list = set_ok(t, RC::Set, {}, "release (set with no MACs)");
          t.check(list.empty(), "the release reply still lists holders");
          t.check(read_list(t).empty(), "a read after release still lists holders");
          auto r = t.identify();
          t.check(TestContext::ata_ok(r), "IDENTIFY after release failed: " + describe(r));
        });

  c.add({"AOE.Reserve.QueryConfigWhileReserved", "AoEr11 §6 (reservations govern ATA commands)", SHOULD, WRITES, {},
         "A non-holder's Query Config read is still answered while the target is reserved."},
        [](TestContext& t) {
          require_unreserved(t);
          t.guard_reservation();
          set_ok(t, RC::ForceSet, {t.stranger_mac(8)}, "force set for a stranger");
          auto r = t.query_config(proto::ConfigCommand::Read);
          if (!r) t.fail("a non-holder's Query Config was not answered while reserved");
          t.check(!r->header.is_error(), "Query Config while reserved got " + describe(*r));
        });
}

}  // namespace aoeh::conformance
