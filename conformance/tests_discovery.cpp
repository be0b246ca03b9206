// Addressing and discovery: broadcast shelf/slot, other addresses ignored, announcements, every port.
#include "conformance/test_support.hpp"

namespace aoeh::conformance {
using namespace support;
namespace {

// A Query Config read to `to` (broadcast MAC), answered by whoever matches; returns the target's replies.
std::vector<Reply> query_address(TestContext& t, proto::DeviceAddress to, const std::string& what,
                                 const std::string& port = {}) {
  const auto& p = port.empty() ? t.port() : port;
  auto h = t.header(kQueryConfig, p);
  h.dst = proto::MacAddress::broadcast();
  h.set_address(to);
  const auto frame = query_config_frame(h, proto::ConfigCommand::Read);
  std::vector<Reply> replies;
  for (int attempt = 0; attempt < t.probe().timing().attempts && replies.empty(); ++attempt) {
    t.probe().send(p, frame, what);
    // Others on the segment may answer a broadcast too: keep only the target's replies.
    replies = t.probe().await(h.tag, 1, t.probe().timing().reply_timeout,
                              [&](const Reply& r) { return t.probe().is_target_response(r); });
  }
  return replies;
}

// Sends to `to` and waits the silence window; true when the target (by MAC) stayed silent.
bool target_silent(TestContext& t, const proto::Header& h, const Bytes& frame, const std::string& what) {
  t.probe().send(t.port(), frame, what);
  const auto& macs = t.probe().target_macs();
  auto replies = t.probe().await(h.tag, 1, t.probe().timing().silence, [&](const Reply& r) {
    return std::find(macs.begin(), macs.end(), r.header.src) != macs.end();
  });
  return replies.empty();
}

proto::DeviceAddress other_shelf(proto::DeviceAddress a) {
  a.shelf = static_cast<std::uint16_t>(a.shelf ^ 1);
  if (a.shelf == proto::kBroadcastShelf) a.shelf = 0x0FFE;
  return a;
}
proto::DeviceAddress other_slot(proto::DeviceAddress a) {
  a.slot = static_cast<std::uint8_t>(a.slot ^ 1);
  if (a.slot == proto::kBroadcastSlot) a.slot = 0xFD;
  return a;
}

}  // namespace

void add_discovery_tests(Catalogue& c) {
  c.add({"AOE.Discovery.BroadcastShelfAndSlot", "AoEr11 §2 (Major 0xffff, Minor 0xff)", MUST, READS, {},
         "A Query Config to shelf 0xffff slot 0xff (broadcast MAC) is answered."},
        [](TestContext& t) {
          if (query_address(t, proto::DeviceAddress::broadcast(), "Query Config to ffff.ff").empty())
            t.fail("no reply to a Query Config broadcast to every shelf and slot");
        });

  c.add({"AOE.Discovery.BroadcastSlot", "AoEr11 §2 (Minor 0xff)", MUST, READS, {},
         "A Query Config to the target's shelf with slot 0xff is answered."},
        [](TestContext& t) {
          const proto::DeviceAddress to{t.target().address.shelf, proto::kBroadcastSlot};
          if (query_address(t, to, "Query Config to " + to.to_string()).empty())
            t.fail("no reply to a Query Config for every slot of the target's shelf");
        });

  c.add({"AOE.Discovery.BroadcastShelf", "AoEr11 §2 (Major 0xffff)", MUST, READS, {},
         "A Query Config to shelf 0xffff with the target's slot is answered."},
        [](TestContext& t) {
          const proto::DeviceAddress to{proto::kBroadcastShelf, t.target().address.slot};
          if (query_address(t, to, "Query Config to " + to.to_string()).empty())
            t.fail("no reply to a Query Config for the target's slot on every shelf");
        });

  c.add({"AOE.Discovery.ReplyCarriesOwnAddress", "AoEr11 §2 (Major, Minor)", MUST, READS, {},
         "Replies to broadcast requests carry the target's own shelf and slot, never 0xffff or 0xff."},
        [](TestContext& t) {
          auto replies = query_address(t, proto::DeviceAddress::broadcast(), "Query Config to ffff.ff");
          if (replies.empty()) t.fail("no reply to a Query Config broadcast");
          const auto a = replies.front().header.address();
          t.check(!a.is_broadcast_shelf() && !a.is_broadcast_slot(),
                  "reply carries a broadcast address " + a.to_string());
          t.check(a == t.target().address,
                  fmt::format("reply from {} (expected {})", a.to_string(), t.target().address.to_string()));
        });

  c.add({"AOE.Discovery.OtherShelfIgnored", "AoEr11 §2 (Major)", MUST, READS, {},
         "A request for another shelf is not answered."},
        [](TestContext& t) {
          auto h = t.header(kQueryConfig);
          h.dst = proto::MacAddress::broadcast();
          h.set_address(other_shelf(t.target().address));
          t.check(target_silent(t, h, query_config_frame(h, proto::ConfigCommand::Read),
                                "Query Config to " + h.address().to_string()),
                  "the target answered a request for shelf " + std::to_string(h.shelf));
        });

  c.add({"AOE.Discovery.OtherSlotIgnored", "AoEr11 §2 (Minor)", MUST, READS, {},
         "A request for another slot of the same shelf is not answered."},
        [](TestContext& t) {
          auto h = t.header(kQueryConfig);
          h.dst = proto::MacAddress::broadcast();
          h.set_address(other_slot(t.target().address));
          t.check(target_silent(t, h, query_config_frame(h, proto::ConfigCommand::Read),
                                "Query Config to " + h.address().to_string()),
                  "the target answered a request for slot " + std::to_string(h.slot));
        });

  c.add({"AOE.Discovery.AtaToOtherSlotIgnored", "AoEr11 §2 (Minor), §3", MUST, READS, {},
         "An ATA request sent to the target's MAC but another slot is not answered."},
        [](TestContext& t) {
          auto h = t.header(kAta);
          h.set_address(other_slot(t.target().address));
          t.check(target_silent(t, h, ata_frame(h, proto::ata_identify_arg()), "ATA IDENTIFY to " + h.address().to_string()),
                  "the target answered an ATA request for another slot");
        });

  c.add({"AOE.Discovery.UnicastAnswered", "AoEr11 §2 (Ethernet destination)", MUST, READS, {},
         "A Query Config sent to the target's unicast MAC (not broadcast) is answered."},
        [](TestContext& t) {
          auto h = t.header(kQueryConfig);
          t.check(!h.dst.is_broadcast(), "no unicast MAC known for the target");
          t.expect_reply(query_config_frame(h, proto::ConfigCommand::Read), "Query Config read to " + h.dst.to_string());
        });

  c.add({"AOE.Discovery.EveryPortAnswers", "AoEr11 §1.1, §4", MUST, READS, {},
         "Every probe port reaches the target: a Query Config broadcast on each is answered."},
        [](TestContext& t) {
          for (const auto& port : t.probe().ports()) {
            auto replies = query_address(t, t.target().address, "Query Config read on " + port, port);
            t.check(!replies.empty(), "no reply on port " + port);
          }
        });

  c.add({"AOE.Discovery.AnnouncementOnStart", "AoEr11 §4 (unsolicited Query Config response)", SHOULD, READS, {},
         "A starting target announces itself with a broadcast Query Config response."},
        [](TestContext& t) {
          if (!t.target().fresh_start) t.skip("the target was already running before this run");
          const auto& seen = t.target().announcements;
          const Reply* found = nullptr;
          for (const auto& a : seen)
            if (t.probe().from_target(a)) found = &a;
          if (found == nullptr) t.fail(fmt::format("no announcement from the target ({} other frames heard)", seen.size()));
          t.probe().cite(*found, "announcement heard before the first request");
          t.check(found->header.is_response(), "the announcement lacks the Response flag");
          t.check(found->header.dst.is_broadcast(), "the announcement is not broadcast: " + found->header.dst.to_string());
          t.check(found->header.address() == t.target().address,
                  "the announcement carries address " + found->header.address().to_string());
          t.note(fmt::format("announcement at t={} ns", found->time));
        });
}

}  // namespace aoeh::conformance
