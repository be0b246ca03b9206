// Mac Mask List: read, edit (add/delete), errors, and that masked-out initiators are ignored.
#include <algorithm>

#include "conformance/test_support.hpp"

namespace aoeh::conformance {
using namespace support;
namespace {

using proto::MacAddress;
using proto::MacMaskDirective;

MacMaskDirective add(const MacAddress& m) { return {static_cast<std::uint8_t>(proto::DirectiveCommand::Add), m}; }
MacMaskDirective del(const MacAddress& m) { return {static_cast<std::uint8_t>(proto::DirectiveCommand::Delete), m}; }

struct MaskReply {
  Reply reply;
  proto::Parsed<proto::Message> parsed;
  const proto::MacMaskListBody* body;
};

MaskReply mask_expect(TestContext& t, proto::MaskCommand mcmd, const std::vector<MacMaskDirective>& d,
                      const std::string& what) {
  auto r = t.expect_reply(mac_mask_frame(t.header(kMacMask), mcmd, d), what);
  MaskReply out{std::move(r), proto::ParseError::TruncatedHeader, nullptr};
  out.parsed = out.reply.parse();
  out.body = mask_of(out.parsed);
  if (out.body == nullptr && !out.reply.header.is_error())
    t.fail(what + ": reply does not parse as Mac Mask List");
  return out;
}

std::vector<MacAddress> edit_ok(TestContext& t, const std::vector<MacMaskDirective>& d, const std::string& what) {
  auto r = mask_expect(t, proto::MaskCommand::Edit, d, what);
  if (r.body == nullptr || r.reply.header.is_error() || r.body->merror != 0)
    t.fail(fmt::format("{} failed: {}{}", what, describe(r.reply),
                       r.body != nullptr ? fmt::format(" MError {}", r.body->merror) : ""));
  return macs_of(*r.body);
}

std::vector<MacAddress> read_list(TestContext& t) {
  auto r = mask_expect(t, proto::MaskCommand::Read, {}, "Mac Mask List read");
  if (r.body == nullptr || r.reply.header.is_error()) t.fail("Mac Mask List read failed: " + describe(r.reply));
  return macs_of(*r.body);
}

bool has(const std::vector<MacAddress>& v, const MacAddress& m) { return std::find(v.begin(), v.end(), m) != v.end(); }

// Tests that shrink the list need it empty at the start (else the probe might lock itself out).
void require_empty_list(TestContext& t) {
  if (!read_list(t).empty()) t.not_applicable("the mask list is not empty on this target; not changing access");
}

}  // namespace

void add_mac_mask_tests(Catalogue& c) {
  c.add({"AOE.MacMask.Read", "AoEr11 §5 (MCmd 0: read)", MUST, READS, {},
         "A read is answered with MError 0 and a well-formed directive list."},
        [](TestContext& t) {
          auto r = mask_expect(t, proto::MaskCommand::Read, {}, "Mac Mask List read");
          if (r.body == nullptr || r.reply.header.is_error()) t.fail("read failed: " + describe(r.reply));
          t.check(r.body->merror == 0, fmt::format("MError {} on a read", r.body->merror));
          for (std::size_t i = 0; i < r.body->directive_count; ++i)
            t.check(r.body->directive(i).mac.bytes != MacAddress{}.bytes, "the list holds a zero MAC");
          t.note(fmt::format("{} entries", r.body->directive_count));
        });

  c.add({"AOE.MacMask.AddEntry", "AoEr11 §5 (MCmd 1: edit; DCmd 1: add)", MUST, WRITES, {},
         "Adding the probe's MAC puts it on the list (reply and later read) and it is still served."},
        [](TestContext& t) {
          t.guard_mask();
          const auto list = edit_ok(t, {add(t.my_mac())}, "add own MAC");
          t.check(has(list, t.my_mac()), "the edit reply does not list the added MAC");
          t.check(has(read_list(t), t.my_mac()), "a read after the edit does not list the added MAC");
          auto r = t.identify();
          t.check(TestContext::ata_ok(r), "a listed initiator's IDENTIFY failed: " + describe(r));
        });

  c.add({"AOE.MacMask.DeleteEntry", "AoEr11 §5 (DCmd 2: delete)", MUST, WRITES, {},
         "Deleting entries removes them; deleting the last one empties the list."},
        [](TestContext& t) {
          require_empty_list(t);
          t.guard_mask();
          edit_ok(t, {add(t.my_mac()), add(t.stranger_mac(1))}, "add own MAC and a stranger");
          const auto after = edit_ok(t, {del(t.stranger_mac(1))}, "delete the stranger");
          t.check(!has(after, t.stranger_mac(1)), "the deleted MAC is still listed");
          t.check(has(after, t.my_mac()), "deleting one entry removed another");
          const auto empty = edit_ok(t, {del(t.my_mac())}, "delete own MAC");
          t.check(empty.empty(), fmt::format("{} entries left after deleting all", empty.size()));
        });

  c.add({"AOE.MacMask.MaskedInitiatorIgnored", "AoEr11 §5 (only listed MACs are served)", MUST, WRITES, {},
         "With only another MAC on the list, the probe's Query Config and ATA requests are ignored."},
        [](TestContext& t) {
          require_empty_list(t);
          t.guard_mask();
          const auto key = t.stranger_mac(2);
          t.add_mask_key(key);
          edit_ok(t, {add(key)}, "add a stranger only");
          t.check(t.expect_silence(qc_frame(t, proto::ConfigCommand::Read), "Query Config read while masked out"),
                  "a masked-out initiator's Query Config was answered");
          t.check(t.expect_silence(ata_frame(t.header(kAta), proto::ata_identify_arg()), "IDENTIFY while masked out"),
                  "a masked-out initiator's IDENTIFY was answered");
          // Speak as the listed MAC to open the list again, then prove the probe is served.
          std::string why;
          t.ops().mask_edit(t.port(), {del(key)}, &why, key);
          t.expect_alive();
        });

  c.add({"AOE.MacMask.ListFull", "AoEr11 §5 (MError 3: list full)", SHOULD, WRITES, {},
         "Adding more MACs than the list holds gets MError 3 (not applicable if 255 fit)."},
        [](TestContext& t) {
          require_empty_list(t);
          t.guard_mask();
          edit_ok(t, {add(t.my_mac())}, "add own MAC");
          std::size_t added = 1;
          for (std::uint8_t batch = 0; added < 255; ++batch) {
            std::vector<MacMaskDirective> d;
            for (int i = 0; i < 32 && added + d.size() < 255; ++i)
              d.push_back(add(MacAddress{{0x02, 0xAE, 0x0F, 0x11, batch, static_cast<std::uint8_t>(i)}}));
            auto r = mask_expect(t, proto::MaskCommand::Edit, d, fmt::format("add {} strangers", d.size()));
            if (r.body == nullptr) t.fail("edit failed: " + describe(r.reply));
            if (r.body->merror == static_cast<std::uint8_t>(proto::MaskError::ListFull)) {
              t.note(fmt::format("list full after about {} entries", r.body->directive_count));
              t.check(has(read_list(t), t.my_mac()), "the list lost an entry when it filled up");
              return;
            }
            if (r.body->merror != 0) t.fail(fmt::format("expected MError 0 or 3, got {}", r.body->merror));
            added += d.size();
          }
          t.not_applicable("255 entries fit: the list never reported full");
        });

  c.add({"AOE.MacMask.BadDirectiveRejected", "AoEr11 §5 (MError 2: bad directive)", MUST, WRITES, {},
         "A directive with an undefined DCmd (7) gets MError 2 and changes nothing."},
        [](TestContext& t) {
          t.guard_mask();
          const auto before = read_list(t);
          auto r = mask_expect(t, proto::MaskCommand::Edit, {{7, t.stranger_mac(3)}}, "edit with DCmd 7");
          if (r.body == nullptr) t.fail("bad directive got " + describe(r.reply));
          t.check(r.body->merror == static_cast<std::uint8_t>(proto::MaskError::BadDirective),
                  fmt::format("expected MError 2, got {}", r.body->merror));
          t.check(read_list(t) == before, "the list changed after a bad directive");
        });

  c.add({"AOE.MacMask.DeleteAbsentHarmless", "AoEr11 §5 (DCmd 2: delete)", SHOULD, WRITES, {},
         "Deleting a MAC that is not listed succeeds and changes nothing."},
        [](TestContext& t) {
          t.guard_mask();
          const auto before = read_list(t);
          const auto after = edit_ok(t, {del(t.stranger_mac(4))}, "delete an absent MAC");
          t.check(after == before, "deleting an absent MAC changed the list");
        });

  c.add({"AOE.MacMask.UnknownMcmdRejected", "AoEr11 §5 (MCmd; Error 2)", SHOULD, READS, {},
         "An undefined MCmd (2) is refused with Error 2 or MError 1."},
        [](TestContext& t) {
          auto r = mask_expect(t, static_cast<proto::MaskCommand>(2), {}, "Mac Mask List MCmd 2");
          const bool aoe2 = TestContext::aoe_error(r.reply, proto::AoeError::BadArgument);
          const bool merr = r.body != nullptr && r.body->merror != 0;
          t.check(aoe2 || merr, "MCmd 2 was accepted: " + describe(r.reply));
        });
}

}  // namespace aoeh::conformance
