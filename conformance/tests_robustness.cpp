// Robustness: malformed, truncated, reserved-bit, vendor, oversized and garbage frames never stop the
// target from answering, and never change its state.
#include "conformance/test_support.hpp"

namespace aoeh::conformance {
using namespace support;
namespace {

// Seeded generator (the run's --seed): the same frames every run.
struct SplitMix {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::uint8_t byte() { return static_cast<std::uint8_t>(next()); }
};

// Sends `frame` and waits the silence window; the description of a success reply if one came.
std::optional<std::string> answered_with_success(TestContext& t, const Bytes& frame, const std::string& what) {
  for (const auto& r : t.probe().expect_silence(t.port(), frame, what))
    if (!r.header.is_error()) return describe(r);
  return std::nullopt;
}

}  // namespace

void add_robustness_tests(Catalogue& c) {
  c.add({"AOE.Robustness.TruncatedHeaders", "AoEr11 §2", MUST, READS, {},
         "AoE frames cut inside the 24-byte header are ignored and the target still answers."},
        [](TestContext& t) {
          const auto full = qc_frame(t, proto::ConfigCommand::Read);
          for (std::size_t len : {14, 15, 18, 20, 23}) {
            Bytes cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(len));
            t.probe().send(t.port(), cut, fmt::format("AoE frame of {} bytes", len));
          }
          t.probe().settle(t.probe().timing().silence);
          t.expect_alive();
        });

  c.add({"AOE.Robustness.TruncatedArguments", "AoEr11 §3-§6", MUST, READS, {},
         "Requests cut inside their argument are not answered with success; the target still answers."},
        [](TestContext& t) {
          struct Cut {
            Bytes frame;
            std::size_t keep;
            const char* what;
          };
          const Cut cuts[] = {
              {ata_frame(t.header(kAta), proto::ata_identify_arg(), {}, false), 30, "IDENTIFY cut at 30 bytes"},
              {qc_frame(t, proto::ConfigCommand::Read), 28, "Query Config cut at 28 bytes"},
              {mac_mask_frame(t.header(kMacMask), proto::MaskCommand::Read, {}, false), 26, "Mac Mask List cut at 26 bytes"},
              {reserve_frame(t.header(kReserve), proto::ReserveCommand::Read, {}, false), 25, "Reserve/Release cut at 25 bytes"},
          };
          for (const auto& cut : cuts) {
            Bytes frame(cut.frame.begin(), cut.frame.begin() + static_cast<std::ptrdiff_t>(cut.keep));
            const auto got = answered_with_success(t, frame, cut.what);
            t.check(!got, std::string(cut.what) + " was answered with success: " + got.value_or(""));
          }
          t.expect_alive();
        });

  c.add({"AOE.Robustness.ReservedFlagBits", "AoEr11 §2 (Flags: reserved)", SHOULD, READS, {},
         "A request with reserved flag bits set is ignored or answered normally, never echoing the bits."},
        [](TestContext& t) {
          auto h = t.header(kQueryConfig);
          h.flags = proto::kFlagReservedMask;
          const auto frame = query_config_frame(h, proto::ConfigCommand::Read);
          t.probe().send(t.port(), frame, "Query Config with flag bits 0x3");
          auto replies = t.probe().await(h.tag, 1, t.probe().timing().reply_timeout);
          if (!replies.empty())
            t.check((replies.front().header.flags & proto::kFlagReservedMask) == 0, "the reply echoes reserved flag bits");
          t.expect_alive();
        });

  c.add({"AOE.Robustness.ReservedArgumentBytes", "AoEr11 §3 (ATA argument bytes 10-11 reserved)", SHOULD, READS, {},
         "An IDENTIFY with the reserved argument bytes set is handled like a normal one or ignored."},
        [](TestContext& t) {
          auto frame = ata_frame(t.header(kAta), proto::ata_identify_arg());
          frame[34] = 0xA5;
          frame[35] = 0x5A;
          auto r = t.transact(frame, "IDENTIFY with reserved bytes 0xa55a");
          if (r) t.check(TestContext::ata_ok(*r) || r->header.is_error(), "unexpected reply: " + describe(*r));
          t.expect_alive();
        });

  c.add({"AOE.Robustness.VendorCommands", "AoEr11 §2 (Command 0xF0-0xFF vendor specific)", MUST, READS, {},
         "Vendor commands 0xF0 and 0xFF with payload do not disturb the target."},
        [](TestContext& t) {
          const std::uint8_t payload[64] = {0xDE, 0xAD, 0xBE, 0xEF};
          for (std::uint8_t cmd : {std::uint8_t{0xF0}, std::uint8_t{0xFF}}) {
            auto r = t.transact(raw_frame(t.header(cmd), payload), fmt::format("vendor command 0x{:02x}", cmd));
            if (r) t.note(fmt::format("0x{:02x}: {}", cmd, describe(*r)));
          }
          t.expect_alive();
        });

  c.add({"AOE.Robustness.UnknownCommandSweep", "AoEr11 §2 (Error 1)", MUST, READS, {},
         "Unknown commands 4..0xEF are never answered with success; the target keeps answering."},
        [](TestContext& t) {
          for (std::uint8_t cmd : {4, 5, 0x10, 0x7F, 0x80, 0xEF}) {
            const std::uint8_t zeros[16] = {};
            const auto got = answered_with_success(t, raw_frame(t.header(cmd), zeros), fmt::format("command 0x{:02x}", cmd));
            t.check(!got, fmt::format("command 0x{:02x} answered with success: {}", cmd, got.value_or("")));
          }
          t.expect_alive();
        });

  c.add({"AOE.Robustness.ExtraDataIgnored", "AoEr11 §3 (data length from Sector Count)", MUST, WRITES,
         {kNeedIdentify, kNeedWritable}, "A one-sector write carrying two sectors of data writes only one."},
        [](TestContext& t) {
          const auto lba = scratch_lba(t, 9);
          t.guard_sectors(lba, 2);
          const auto next_before = t.read(lba + 1, 1);
          const auto data = sector_pattern(lba, 2, 0x6F);
          auto r = t.ata(proto::ata_write_arg(lba, 1, t.target().lba48()), data, "WRITE count 1 with 1024 bytes");
          if (TestContext::ata_ok(r))
            t.check(t.read(lba, 1) == Bytes(data.begin(), data.begin() + proto::kSectorSize),
                    "the accepted write did not store its sector");
          t.check(t.read(lba + 1, 1) == next_before, "the extra data was written to the next sector");
        });

  c.add({"AOE.Robustness.ConfigLengthBeyondFrame", "AoEr11 §4 (Config String Length)", MUST, WRITES, {},
         "A force set whose length field runs past the frame changes nothing; the target still answers."},
        [](TestContext& t) {
          t.guard_config();
          std::string why;
          if (!t.ops().force_config(t.port(), "aoeh-intact", &why)) t.fail(why);
          auto frame = query_config_frame(t.header(kQueryConfig), proto::ConfigCommand::ForceSet, "0123456789", false);
          frame[proto::kHeaderSize + 6] = 0x03;  // claims 900 bytes, carries 10
          frame[proto::kHeaderSize + 7] = 0x84;
          const auto got = answered_with_success(t, frame, "force set claiming 900 bytes, carrying 10");
          t.check(!got, "a force set with a length beyond the frame succeeded: " + got.value_or(""));
          auto s = t.ops().config_string(t.port(), &why);
          if (!s) t.fail("the target stopped answering: " + why);
          t.check(*s == "aoeh-intact", "the config string changed");
        });

  c.add({"AOE.Robustness.MaskCountBeyondFrame", "AoEr11 §5 (Directive Count)", MUST, WRITES, {},
         "A mask edit whose directive count runs past the frame changes nothing; the target still answers."},
        [](TestContext& t) {
          t.guard_mask();
          std::string why;
          auto before = t.ops().mask_list(t.port(), &why);
          if (!before) t.fail(why);
          const proto::MacMaskDirective d[] = {{1, t.stranger_mac(9)}};
          auto frame = mac_mask_frame(t.header(kMacMask), proto::MaskCommand::Edit, d, false);
          frame[proto::kHeaderSize + 3] = 100;  // claims 100 directives, carries 1
          const auto got = answered_with_success(t, frame, "mask edit claiming 100 directives, carrying 1");
          t.check(!got, "an edit with a count beyond the frame succeeded: " + got.value_or(""));
          auto after = t.ops().mask_list(t.port(), &why);
          if (!after) t.fail("the target stopped answering: " + why);
          t.check(*after == *before, "the mask list changed");
        });

  c.add({"AOE.Robustness.ReserveCountBeyondFrame", "AoEr11 §6 (NMacs)", MUST, WRITES, {},
         "A reserve set whose MAC count runs past the frame changes nothing; the target still answers."},
        [](TestContext& t) {
          t.guard_reservation();
          std::string why;
          auto before = t.ops().reservation(t.port(), &why);
          if (!before) t.fail(why);
          const proto::MacAddress m[] = {t.stranger_mac(10)};
          auto frame = reserve_frame(t.header(kReserve), proto::ReserveCommand::ForceSet, m, false);
          frame[proto::kHeaderSize + 1] = 100;  // claims 100 MACs, carries 1
          const auto got = answered_with_success(t, frame, "reserve force set claiming 100 MACs, carrying 1");
          t.check(!got, "a reservation with a count beyond the frame succeeded: " + got.value_or(""));
          auto after = t.ops().reservation(t.port(), &why);
          if (!after) t.fail("the target stopped answering: " + why);
          t.check(*after == *before, "the reservation changed");
        });

  c.add({"AOE.Robustness.NonAoeEtherTypeIgnored", "AoEr11 §2 (Ethernet Type 0x88A2)", MUST, READS, {},
         "An AoE-shaped request under another EtherType is not answered."},
        [](TestContext& t) {
          auto frame = qc_frame(t, proto::ConfigCommand::Read);
          frame[12] = 0x88;
          frame[13] = 0xB5;  // IEEE local experimental EtherType
          const auto tag = frame_tag(frame);
          t.probe().send(t.port(), frame, "Query Config under EtherType 0x88b5");
          auto replies = t.probe().await(tag, 1, t.probe().timing().silence);
          t.check(replies.empty(), "the target answered a frame with EtherType 0x88b5");
          t.expect_alive();
        });

  c.add({"AOE.Robustness.GarbageFrames", "AoEr11 §2-§6", MUST, READS, {},
         "200 seeded random frames (read-only commands, random lengths and fields) leave the target answering."},
        [](TestContext& t) {
          SplitMix rng{t.target().seed};
          const std::uint32_t mtu = t.probe().world().port_mtu(t.port());
          for (int i = 0; i < 200; ++i) {
            auto h = t.header(kAta);
            h.command = static_cast<std::uint8_t>(rng.next() % 4);
            h.version = static_cast<std::uint8_t>(rng.next() % 3);
            h.flags = static_cast<std::uint8_t>(rng.byte() & 0x7);  // never the Response flag
            const std::size_t len = proto::kHeaderSize + rng.next() % (mtu + proto::kEthernetHeaderSize - proto::kHeaderSize);
            Bytes arg(len - proto::kHeaderSize);
            for (auto& b : arg) b = rng.byte();
            // Keep every frame harmless whatever the rest says: no ATA write, no config set, no edits.
            if (arg.size() >= 4 && h.command == 0) {
              arg[0] = static_cast<std::uint8_t>(arg[0] & ~proto::kAtaFlagWrite);
              static constexpr std::uint8_t kSafe[] = {0x20, 0x24, 0xEC, 0xE5, 0xE7, 0xEA, 0x00};
              arg[3] = kSafe[rng.next() % sizeof kSafe];
            }
            if (arg.size() >= 6 && h.command == 1) arg[5] = static_cast<std::uint8_t>((arg[5] & 0xF0) | rng.next() % 3);
            if (arg.size() >= 2 && h.command == 2) arg[1] = 0;
            if (h.command == 3 && !arg.empty()) arg[0] = 0;
            t.probe().send(t.port(), raw_frame(h, arg, false), i == 0 ? "first of 200 garbage frames" : std::string{});
          }
          t.probe().settle(t.probe().timing().silence);
          t.expect_alive();
          t.identify();
        });
}

}  // namespace aoeh::conformance
