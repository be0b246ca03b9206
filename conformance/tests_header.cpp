// AoE common header: version, flags, error, address, command and tag in replies.
#include "conformance/test_support.hpp"

namespace aoeh::conformance {
using namespace support;

void add_header_tests(Catalogue& c) {
  c.add({"AOE.Header.VersionAndResponseFlag", "AoEr11 §2 (Ver, Flags: R)", MUST, READS, {},
         "Every reply carries version 1 and the Response flag."},
        [](TestContext& t) {
          // Accept frames from the target with the tag whatever their flags, to judge the flags.
          for (auto cmd : {kQueryConfig, kAta}) {
            const auto frame = cmd == kAta ? ata_frame(t.header(kAta), proto::ata_identify_arg())
                                           : qc_frame(t, proto::ConfigCommand::Read);
            std::vector<Reply> replies;
            for (int attempt = 0; attempt < t.probe().timing().attempts && replies.empty(); ++attempt) {
              t.probe().send(t.port(), frame, cmd == kAta ? "ATA IDENTIFY" : "Query Config read");
              replies = t.probe().await(frame_tag(frame), 1, t.probe().timing().reply_timeout,
                                        [&](const Reply& r) { return t.probe().from_target(r); });
            }
            if (replies.empty()) t.fail("no reply (with or without Response flag)");
            const auto& r = replies.front();
            t.check(r.header.version == proto::kAoEVersion, fmt::format("reply version {} (expected 1)", r.header.version));
            t.check(r.header.is_response(), "reply without the Response flag");
          }
        });

  c.add({"AOE.Header.TagEchoed", "AoEr11 §2 (Tag)", MUST, READS, {},
         "The tag of a request comes back verbatim, including the high bit and all-ones."},
        [](TestContext& t) {
          for (std::uint32_t tag : {0x80000001u, 0xFFFFFFFFu, 0x0000FFFEu, 0x5A5AA5A5u}) {
            auto h = t.header(kQueryConfig);
            h.tag = tag;
            const auto frame = query_config_frame(h, proto::ConfigCommand::Read);
            std::vector<Reply> replies;
            for (int attempt = 0; attempt < t.probe().timing().attempts && replies.empty(); ++attempt) {
              t.probe().send(t.port(), frame, fmt::format("Query Config read, tag 0x{:08x}", tag));
              // Any response from the target to this request, whatever its tag.
              replies = t.probe().await(std::nullopt, 1, t.probe().timing().reply_timeout, [&](const Reply& r) {
                return t.probe().is_target_response(r) && r.header.command == byte_of(kQueryConfig);
              });
            }
            if (replies.empty()) t.fail(fmt::format("no reply to the request with tag 0x{:08x}", tag));
            t.check(replies.front().header.tag == tag,
                    fmt::format("tag 0x{:08x} came back as 0x{:08x}", tag, replies.front().header.tag));
          }
        });

  c.add({"AOE.Header.AddressEchoed", "AoEr11 §2 (Major, Minor)", MUST, READS, {},
         "Replies carry the target's own shelf and slot."},
        [](TestContext& t) {
          const auto want = t.target().address;
          auto r1 = t.expect_reply(qc_frame(t, proto::ConfigCommand::Read), "Query Config read");
          t.check(r1.header.address() == want,
                  fmt::format("Query Config reply from {} (expected {})", r1.header.address().to_string(), want.to_string()));
          auto r2 = t.identify();
          t.check(r2.header.address() == want,
                  fmt::format("ATA reply from {} (expected {})", r2.header.address().to_string(), want.to_string()));
        });

  c.add({"AOE.Header.CommandEchoed", "AoEr11 §2 (Command)", MUST, READS, {},
         "Replies carry the command of their request (ATA, Query Config, Mac Mask List, Reserve/Release)."},
        [](TestContext& t) {
          struct Case {
            proto::Command cmd;
            Bytes frame;
            const char* what;
          };
          const Case cases[] = {
              {kAta, ata_frame(t.header(kAta), proto::ata_identify_arg()), "ATA IDENTIFY"},
              {kQueryConfig, qc_frame(t, proto::ConfigCommand::Read), "Query Config read"},
              {kMacMask, mac_mask_frame(t.header(kMacMask), proto::MaskCommand::Read), "Mac Mask List read"},
              {kReserve, reserve_frame(t.header(kReserve), proto::ReserveCommand::Read), "Reserve/Release read"},
          };
          for (const auto& k : cases) {
            auto r = t.expect_reply(k.frame, k.what);
            t.check(r.header.command == byte_of(k.cmd),
                    fmt::format("{}: reply command {} (expected {})", k.what, r.header.command, byte_of(k.cmd)));
          }
        });

  c.add({"AOE.Header.ReservedFlagsZero", "AoEr11 §2 (Flags: reserved bits)", MUST, READS, {},
         "Reserved flag bits (0x2, 0x1) are zero in replies."},
        [](TestContext& t) {
          auto r1 = t.expect_reply(qc_frame(t, proto::ConfigCommand::Read), "Query Config read");
          auto r2 = t.identify();
          for (const auto* r : {&r1, &r2})
            t.check((r->header.flags & proto::kFlagReservedMask) == 0,
                    fmt::format("reply flags 0x{:x} have reserved bits set", r->header.flags));
        });

  c.add({"AOE.Header.ErrorClearOnSuccess", "AoEr11 §2 (Flags: E, Error)", MUST, READS, {},
         "A successful reply has the Error flag clear and error field zero."},
        [](TestContext& t) {
          auto r1 = t.expect_reply(qc_frame(t, proto::ConfigCommand::Read), "Query Config read");
          auto r2 = t.identify();
          for (const auto* r : {&r1, &r2}) {
            t.check(!r->header.is_error(), "Error flag set on a request that should succeed");
            t.check(r->header.error == 0, fmt::format("error field {} on success", r->header.error));
          }
        });

  c.add({"AOE.Header.ReplyAddressedToRequester", "AoEr11 §2 (Ethernet addresses)", MUST, READS, {},
         "A reply goes to the requester's MAC from the target's own unicast MAC."},
        [](TestContext& t) {
          auto r = t.expect_reply(qc_frame(t, proto::ConfigCommand::Read), "Query Config read");
          t.check(r.header.dst == t.my_mac(),
                  fmt::format("reply sent to {} (expected {})", r.header.dst.to_string(), t.my_mac().to_string()));
          t.check(!r.header.src.is_multicast() && !r.header.src.is_zero(),
                  fmt::format("reply source MAC {} is not a unicast address", r.header.src.to_string()));
        });

  c.add({"AOE.Header.UnknownCommandError1", "AoEr11 §2 (Error 1: unrecognized command)", MUST, READS, {},
         "A request with an unknown command code (0x10) gets Error 1 with the command echoed."},
        [](TestContext& t) {
          const std::uint8_t zeros[8] = {};
          auto r = t.expect_reply(raw_frame(t.header(0x10), zeros), "command 0x10");
          t.check(r.header.is_error() && r.header.aoe_error() == proto::AoeError::UnrecognizedCommand,
                  "expected Error 1, got " + describe(r));
          t.check(r.header.command == 0x10, fmt::format("reply command {} (expected 0x10)", r.header.command));
        });

  c.add({"AOE.Header.UnsupportedVersionError5", "AoEr11 §2 (Ver; Error 5: unsupported version)", MUST, READS, {},
         "A request with version 2 gets Error 5."},
        [](TestContext& t) {
          auto h = t.header(kQueryConfig);
          h.version = 2;
          auto r = t.expect_reply(query_config_frame(h, proto::ConfigCommand::Read), "Query Config read, version 2");
          t.check(r.header.is_error() && r.header.aoe_error() == proto::AoeError::UnsupportedVersion,
                  "expected Error 5, got " + describe(r));
        });

  c.add({"AOE.Header.RepliesPadded", "IEEE 802.3 §3.2.8 (minimum frame), AoEr11 §2", SHOULD, READS, {},
         "Short replies are padded to the 60-byte Ethernet minimum."},
        [](TestContext& t) {
          auto check_len = [&](const Reply& r, const char* what) {
            t.check(r.bytes.size() >= proto::kMinFrameSize,
                    fmt::format("{} reply is {} bytes (minimum 60)", what, r.bytes.size()));
          };
          check_len(t.expect_reply(reserve_frame(t.header(kReserve), proto::ReserveCommand::Read), "Reserve/Release read"),
                    "Reserve/Release");
          check_len(t.expect_reply(mac_mask_frame(t.header(kMacMask), proto::MaskCommand::Read), "Mac Mask List read"),
                    "Mac Mask List");
          proto::AtaArg power;
          power.cmd_status = proto::ata::kCheckPowerMode;
          check_len(t.ata(power, {}, "ATA CHECK POWER MODE"), "ATA (no data)");
        });

  c.add({"AOE.Header.ResponseFlagRequestIgnored", "AoEr11 §2 (Flags: R)", MUST, READS, {},
         "A frame with the Response flag set is a response, not a request: the target does not answer it."},
        [](TestContext& t) {
          auto h = t.header(kQueryConfig);
          h.flags = proto::kFlagResponse;
          t.check(t.expect_silence(query_config_frame(h, proto::ConfigCommand::Read), "Query Config with R set"),
                  "the target answered a frame that had the Response flag set");
          auto h2 = t.header(kAta);
          h2.flags = proto::kFlagResponse;
          t.check(t.expect_silence(ata_frame(h2, proto::ata_identify_arg()), "ATA IDENTIFY with R set"),
                  "the target answered an ATA frame that had the Response flag set");
        });

  c.add({"AOE.Header.UnpaddedRequestAccepted", "AoEr11 §2; IEEE 802.3 (runt frames on veth/tap)", MUST, READS, {},
         "Requests shorter than 60 bytes (not padded) are answered: lengths come from AoE fields."},
        [](TestContext& t) {
          const auto qc = query_config_frame(t.header(kQueryConfig), proto::ConfigCommand::Read, {}, false);
          t.expect_reply(qc, fmt::format("Query Config read, {} bytes unpadded", qc.size()));
          const auto id = ata_frame(t.header(kAta), proto::ata_identify_arg(), {}, false);
          auto r = t.expect_reply(id, fmt::format("ATA IDENTIFY, {} bytes unpadded", id.size()));
          t.check(TestContext::ata_ok(r), "unpadded IDENTIFY failed: " + describe(r));
        });

  c.add({"AOE.Header.PaddedRequestAccepted", "AoEr11 §2 (lengths from AoE fields)", MUST, READS, {},
         "Trailing padding after a request is ignored (not read as a config string or data)."},
        [](TestContext& t) {
          auto qc = qc_frame(t, proto::ConfigCommand::Read);
          qc.resize(300, 0);
          auto r = t.expect_reply(qc, "Query Config read padded to 300 bytes");
          auto m = r.parse();
          const auto* q = qc_of(m);
          t.check(q != nullptr && !r.header.is_error(), "padded Query Config failed: " + describe(r));
          if (q != nullptr)
            t.check(q->config_string() == t.target().config_string,
                    "padding changed the config string the target reports");
          auto id = ata_frame(t.header(kAta), proto::ata_identify_arg());
          id.resize(200, 0);
          auto r2 = t.expect_reply(id, "ATA IDENTIFY padded to 200 bytes");
          t.check(TestContext::ata_ok(r2), "padded IDENTIFY failed: " + describe(r2));
        });
}

}  // namespace aoeh::conformance
