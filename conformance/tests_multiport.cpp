// Multiport: one device behind several ports shows the same identity and data through each.
#include "conformance/test_support.hpp"

namespace aoeh::conformance {
using namespace support;

void add_multiport_tests(Catalogue& c) {
  c.add({"AOE.Multiport.SameIdentityEveryPort", "AoEr11 §1.1 (one device, several interfaces)", MUST, READS,
         {kNeedTwoPorts}, "IDENTIFY returns the same page through every port."},
        [](TestContext& t) {
          Bytes first;
          for (const auto& port : t.ports()) {
            auto r = t.identify(port);
            const auto data = reply_data(r, 1);
            if (!data) t.fail("IDENTIFY on " + port + " failed: " + describe(r));
            Bytes page(data->begin(), data->end());
            if (first.empty())
              first = page;
            else
              t.check(page == first, "the IDENTIFY page on " + port + " differs");
          }
        });

  c.add({"AOE.Multiport.SameConfigEveryPort", "AoEr11 §4", MUST, READS, {kNeedTwoPorts},
         "Query Config reports the same firmware, buffer count and config string through every port."},
        [](TestContext& t) {
          std::optional<std::tuple<std::uint16_t, std::uint16_t, std::string>> first;
          for (const auto& port : t.ports()) {
            auto r = t.query_config(proto::ConfigCommand::Read, {}, port);
            if (!r) t.fail("no Query Config reply on " + port);
            auto m = r->parse();
            const auto* q = qc_of(m);
            if (q == nullptr) t.fail("Query Config on " + port + " failed: " + describe(*r));
            auto facts = std::make_tuple(q->firmware_version, q->buffer_count, std::string(q->config_string()));
            if (!first)
              first = facts;
            else
              t.check(facts == *first, "Query Config on " + port + " differs");
          }
        });

  c.add({"AOE.Multiport.SameDataEveryPort", "AoEr11 §1.1", MUST, READS, {kNeedTwoPorts, kNeedIdentify},
         "The same sectors read through every port are identical."},
        [](TestContext& t) {
          Bytes first;
          for (const auto& port : t.ports()) {
            auto data = t.read(0, 2, port);
            if (first.empty())
              first = data;
            else
              t.check(data == first, "sectors 0-1 read on " + port + " differ");
          }
        });

  c.add({"AOE.Multiport.ReplyOnArrivalPort", "AoEr11 §2 (reply to the requester)", MUST, READS, {kNeedTwoPorts},
         "A request through each port is answered on that same port."},
        [](TestContext& t) {
          for (const auto& port : t.ports()) {
            auto r = t.query_config(proto::ConfigCommand::Read, {}, port);
            if (!r) t.fail("no reply on " + port);
            t.check(r->port == port, "request on " + port + " answered on " + r->port);
          }
        });

  c.add({"AOE.Multiport.WriteVisibleOnOtherPort", "AoEr11 §1.1", MUST, WRITES,
         {kNeedTwoPorts, kNeedIdentify, kNeedWritable}, "Data written through one port reads back through the others."},
        [](TestContext& t) {
          const auto lba = scratch_lba(t, 8);
          const auto pattern = sector_pattern(lba, 1, 0x5E);
          t.write(lba, pattern, t.ports().front());
          for (std::size_t i = 1; i < t.ports().size(); ++i)
            t.check(t.read(lba, 1, t.ports()[i]) == pattern, "the write is not visible on " + t.ports()[i]);
        });

  c.add({"AOE.Multiport.ConfigVisibleOnOtherPort", "AoEr11 §4 (CCmd 4: force set)", MUST, WRITES, {kNeedTwoPorts},
         "A config string set through one port is read through the others."},
        [](TestContext& t) {
          t.guard_config();
          std::string why;
          if (!t.ops().force_config(t.ports().front(), "aoeh-multiport", &why)) t.fail(why);
          for (std::size_t i = 1; i < t.ports().size(); ++i) {
            auto s = t.ops().config_string(t.ports()[i], &why);
            if (!s) t.fail(why);
            t.check(*s == "aoeh-multiport", "the config string on " + t.ports()[i] + " is different");
          }
        });
}

}  // namespace aoeh::conformance
