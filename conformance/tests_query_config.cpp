// Query Config: advertised limits, and the read / test / prefix / set / force set semantics.
#include "conformance/test_support.hpp"

namespace aoeh::conformance {
using namespace support;
namespace {

using CC = proto::ConfigCommand;

// A Query Config reply that must exist and parse; fails the test otherwise.
struct QcReply {
  Reply reply;
  proto::Parsed<proto::Message> parsed;
  const proto::QueryConfigArg* q;
};

QcReply qc_expect(TestContext& t, CC ccmd, std::string_view value, const std::string& what) {
  auto r = t.expect_reply(qc_frame(t, ccmd, value), what);
  QcReply out{std::move(r), proto::ParseError::TruncatedHeader, nullptr};
  out.parsed = out.reply.parse();  // spans must point into out.reply's bytes
  out.q = qc_of(out.parsed);
  if (out.q == nullptr && !out.reply.header.is_error())
    t.fail(what + ": reply does not parse as Query Config (" +
           (out.parsed ? std::string("wrong command") : proto::parse_error_name(out.parsed.error())) + ")");
  return out;
}

std::string current_string(TestContext& t) {
  auto r = qc_expect(t, CC::Read, {}, "Query Config read");
  if (r.q == nullptr) t.fail("Query Config read failed: " + describe(r.reply));
  return std::string(r.q->config_string());
}

void force(TestContext& t, const std::string& value) {
  auto r = qc_expect(t, CC::ForceSet, value, fmt::format("Query Config force set ({} bytes)", value.size()));
  if (r.q == nullptr || r.reply.header.is_error()) t.fail("force set failed: " + describe(r.reply));
  t.check(r.q->config_string() == value, "force set reply does not carry the new string");
}

}  // namespace

void add_query_config_tests(Catalogue& c) {
  c.add({"AOE.QueryConfig.BufferCountAtLeastTwo", "AoEr11 §4 (Buffer Count)", SHOULD, READS, {},
         "The advertised buffer count allows at least two outstanding requests."},
        [](TestContext& t) {
          auto r = qc_expect(t, CC::Read, {}, "Query Config read");
          if (r.q == nullptr) t.fail("Query Config read failed: " + describe(r.reply));
          t.check(r.q->buffer_count >= 2, fmt::format("buffer count {} (expected >= 2)", r.q->buffer_count));
          t.note(fmt::format("buffer count {}", r.q->buffer_count));
        });

  c.add({"AOE.QueryConfig.SectorCountFitsMtu", "AoEr11 §4 (Sector Count)", MUST, READS, {},
         "The advertised sectors per request fit in one frame on every port's MTU."},
        [](TestContext& t) {
          for (const auto& port : t.ports()) {
            auto r = t.expect_reply(qc_frame(t, CC::Read, {}, port), "Query Config read on " + port, port);
            auto m = r.parse();
            const auto* q = qc_of(m);
            if (q == nullptr) t.fail("Query Config read failed: " + describe(r));
            const std::uint32_t mtu = t.probe().world().port_mtu(port);
            const std::uint32_t fits = (mtu - (proto::kAtaHeaderSize - proto::kEthernetHeaderSize)) / proto::kSectorSize;
            t.check(q->effective_sector_count() <= fits,
                    fmt::format("port {}: {} sectors advertised but MTU {} carries at most {}", port,
                                q->effective_sector_count(), mtu, fits));
          }
        });

  c.add({"AOE.QueryConfig.SectorCountAdvertised", "AoEr11 §4 (Sector Count, new in r11)", SHOULD, READS, {},
         "The sector count field is filled in (0 is the pre-AoEr11 default of 2)."},
        [](TestContext& t) {
          auto r = qc_expect(t, CC::Read, {}, "Query Config read");
          if (r.q == nullptr) t.fail("Query Config read failed: " + describe(r.reply));
          t.check(r.q->sector_count != 0, "sector count 0 (pre-AoEr11 target)");
        });

  c.add({"AOE.QueryConfig.VersionField", "AoEr11 §4 (AoE version)", MUST, READS, {},
         "The Query Config argument reports AoE protocol version 1."},
        [](TestContext& t) {
          auto r = qc_expect(t, CC::Read, {}, "Query Config read");
          if (r.q == nullptr) t.fail("Query Config read failed: " + describe(r.reply));
          t.check(r.q->aoe_version == proto::kAoEVersion, fmt::format("argument version {}", r.q->aoe_version));
        });

  c.add({"AOE.QueryConfig.StableAnswers", "AoEr11 §4", MUST, READS, {},
         "Firmware version, buffer count and sector count do not change between queries."},
        [](TestContext& t) {
          auto first = qc_expect(t, CC::Read, {}, "Query Config read 1");
          if (first.q == nullptr) t.fail("Query Config read failed: " + describe(first.reply));
          for (int i = 2; i <= 4; ++i) {
            auto next = qc_expect(t, CC::Read, {}, fmt::format("Query Config read {}", i));
            if (next.q == nullptr) t.fail("Query Config read failed: " + describe(next.reply));
            t.check(next.q->firmware_version == first.q->firmware_version,
                    fmt::format("firmware changed 0x{:04x} -> 0x{:04x}", first.q->firmware_version, next.q->firmware_version));
            t.check(next.q->buffer_count == first.q->buffer_count, "buffer count changed between queries");
            t.check(next.q->sector_count == first.q->sector_count, "sector count changed between queries");
          }
        });

  c.add({"AOE.QueryConfig.ReadReturnsString", "AoEr11 §4 (CCmd 0: read)", MUST, READS, {},
         "A read is always answered and carries the current config string (at most 1024 bytes)."},
        [](TestContext& t) {
          auto r = qc_expect(t, CC::Read, {}, "Query Config read");
          if (r.q == nullptr || r.reply.header.is_error()) t.fail("Query Config read failed: " + describe(r.reply));
          t.check(r.q->config.size() <= proto::kMaxConfigStringSize, "config string longer than 1024 bytes");
          t.check(r.q->config_string() == t.target().config_string, "config string differs from the identity step");
        });

  c.add({"AOE.QueryConfig.TestExactMatchAnswered", "AoEr11 §4 (CCmd 1: test)", MUST, READS, {},
         "A test with exactly the current string is answered."},
        [](TestContext& t) {
          const auto s = current_string(t);
          auto r = t.query_config(CC::Test, s);
          if (!r) t.fail("no reply to a test with the exact current string");
          t.check(!r->header.is_error(), "test with the exact string got " + describe(*r));
        });

  c.add({"AOE.QueryConfig.TestMismatchIgnored", "AoEr11 §4 (CCmd 1: test)", MUST, READS, {},
         "A test with a different string is not answered."},
        [](TestContext& t) {
          const auto s = current_string(t) + "-aoeh-mismatch";
          t.check(t.expect_silence(qc_frame(t, CC::Test, s), "Query Config test, different string"),
                  "the target answered a test with a string that does not match");
        });

  c.add({"AOE.QueryConfig.PrefixMatchAnswered", "AoEr11 §4 (CCmd 2: test prefix)", MUST, READS, {},
         "A prefix test with a prefix of the current string is answered."},
        [](TestContext& t) {
          const auto s = current_string(t);
          const auto prefix = s.substr(0, (s.size() + 1) / 2);
          auto r = t.query_config(CC::TestPrefix, prefix);
          if (!r) t.fail(fmt::format("no reply to a prefix test with \"{}\"", prefix));
          t.check(!r->header.is_error(), "prefix test got " + describe(*r));
        });

  c.add({"AOE.QueryConfig.PrefixMismatchIgnored", "AoEr11 §4 (CCmd 2: test prefix)", MUST, READS, {},
         "A prefix test with a string that is not a prefix is not answered."},
        [](TestContext& t) {
          const auto s = current_string(t);
          std::string not_prefix = "\x01zz-aoeh";
          if (!s.empty()) not_prefix = s + "~longer-than-the-string";
          t.check(t.expect_silence(qc_frame(t, CC::TestPrefix, not_prefix), "Query Config test prefix, not a prefix"),
                  "the target answered a prefix test that does not match");
        });

  c.add({"AOE.QueryConfig.SetWhenEmpty", "AoEr11 §4 (CCmd 3: set)", MUST, WRITES, {},
         "Set succeeds when the string is empty, and the reply and later reads carry the new string."},
        [](TestContext& t) {
          t.guard_config();
          force(t, "");
          auto r = qc_expect(t, CC::Set, "aoeh-set", "Query Config set \"aoeh-set\"");
          t.check(!r.reply.header.is_error(), "set on an empty string got " + describe(r.reply));
          if (r.q != nullptr) t.check(r.q->config_string() == "aoeh-set", "set reply does not carry the new string");
          t.check(current_string(t) == "aoeh-set", "a read after set does not return the new string");
        });

  c.add({"AOE.QueryConfig.SetWhenPresentError4", "AoEr11 §4 (CCmd 3: set; Error 4)", MUST, WRITES, {},
         "Set on a non-empty string fails with Error 4, carries the current string and changes nothing."},
        [](TestContext& t) {
          t.guard_config();
          force(t, "aoeh-first");
          auto r = qc_expect(t, CC::Set, "aoeh-second", "Query Config set \"aoeh-second\"");
          t.check(r.reply.header.is_error() && r.reply.header.aoe_error() == proto::AoeError::ConfigStringPresent,
                  "expected Error 4, got " + describe(r.reply));
          if (r.q != nullptr)
            t.check(r.q->config_string() == "aoeh-first", "the Error 4 reply does not carry the current string");
          t.check(current_string(t) == "aoeh-first", "the string changed although set was refused");
        });

  c.add({"AOE.QueryConfig.ForceSetOverrides", "AoEr11 §4 (CCmd 4: force set)", MUST, WRITES, {},
         "Force set replaces a non-empty string."},
        [](TestContext& t) {
          t.guard_config();
          force(t, "aoeh-old");
          force(t, "aoeh-new");
          t.check(current_string(t) == "aoeh-new", "a read after force set does not return the new string");
        });

  c.add({"AOE.QueryConfig.MaxLengthString", "AoEr11 §4 (Config String Length <= 1024)", MUST, WRITES, {},
         "A 1024-byte config string is stored and returned whole."},
        [](TestContext& t) {
          t.guard_config();
          std::string big(proto::kMaxConfigStringSize, 'x');
          for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 26);
          force(t, big);
          const auto back = current_string(t);
          t.check(back == big, fmt::format("read back {} bytes, expected the 1024 written", back.size()));
        });

  c.add({"AOE.QueryConfig.OverlongStringRejected", "AoEr11 §4 (Config String Length <= 1024; Error 2)", MUST,
         WRITES, {}, "A force set with a 1025-byte string is refused (Error 2 or no answer) and changes nothing."},
        [](TestContext& t) {
          t.guard_config();
          force(t, "aoeh-keep");
          // Built by hand: the codec refuses strings over 1024 bytes.
          auto h = t.header(kQueryConfig);
          Bytes frame = query_config_frame(h, CC::ForceSet, "");
          frame.resize(proto::kQueryConfigHeaderSize);
          frame[proto::kHeaderSize + 6] = 0x04;  // length 1025
          frame[proto::kHeaderSize + 7] = 0x01;
          frame.insert(frame.end(), 1025, 'y');
          t.probe().send(t.port(), frame, "Query Config force set with 1025 bytes");
          auto replies = t.probe().await(h.tag, 1, t.probe().timing().reply_timeout);
          if (!replies.empty())
            t.check(replies.front().header.is_error(), "an over-long string was accepted: " + describe(replies.front()));
          t.check(current_string(t) == "aoeh-keep", "the over-long force set changed the string");
        });

  c.add({"AOE.QueryConfig.ReadIgnoresArgument", "AoEr11 §4 (CCmd 0: read)", MUST, WRITES, {},
         "A read carrying a string does not change the config string."},
        [](TestContext& t) {
          t.guard_config();
          const auto before = current_string(t);
          auto r = qc_expect(t, CC::Read, "aoeh-not-a-set", "Query Config read with a string");
          t.check(!r.reply.header.is_error(), "read with a string got " + describe(r.reply));
          t.check(current_string(t) == before, "a read with a string changed the config string");
        });

  c.add({"AOE.QueryConfig.UnknownCcmdRejected", "AoEr11 §4 (CCmd; Error 2)", SHOULD, WRITES, {},
         "An undefined CCmd (5) changes nothing and, if answered, gets Error 2."},
        [](TestContext& t) {
          t.guard_config();
          const auto before = current_string(t);
          auto h = t.header(kQueryConfig);
          auto frame = query_config_frame(h, CC::ForceSet, "aoeh-ccmd5");
          frame[proto::kHeaderSize + 5] = static_cast<std::uint8_t>((proto::kAoEVersion << 4) | 5);
          t.probe().send(t.port(), frame, "Query Config CCmd 5");
          auto replies = t.probe().await(h.tag, 1, t.probe().timing().reply_timeout);
          if (!replies.empty())
            t.check(TestContext::aoe_error(replies.front(), proto::AoeError::BadArgument),
                    "expected Error 2 or no answer, got " + describe(replies.front()));
          t.check(current_string(t) == before, "CCmd 5 changed the config string");
        });
}

}  // namespace aoeh::conformance
