// FLUSH CACHE (EXT), CHECK POWER MODE, SMART, unknown ATA commands, read-only targets.
#include "conformance/test_support.hpp"

namespace aoeh::conformance {
using namespace support;

void add_cache_power_tests(Catalogue& c) {
  c.add({"AOE.CachePower.FlushCache", "ATA8-ACS FLUSH CACHE 0xE7", MUST, READS, {},
         "FLUSH CACHE completes without BSY, DF, DRQ or ERR."},
        [](TestContext& t) {
          auto r = t.ata(proto::ata_flush_arg(false), {}, "FLUSH CACHE");
          t.check(TestContext::ata_ok(r), "FLUSH CACHE got " + describe(r));
        });

  c.add({"AOE.CachePower.FlushCacheExt", "ATA8-ACS FLUSH CACHE EXT 0xEA", MUST, READS, {kNeedLba48},
         "FLUSH CACHE EXT, when IDENTIFY advertises it, completes without BSY, DF, DRQ or ERR."},
        [](TestContext& t) {
          if (!t.target().flush_ext()) t.not_applicable("IDENTIFY does not advertise FLUSH CACHE EXT (word 83 bit 13)");
          auto r = t.ata(proto::ata_flush_arg(true), {}, "FLUSH CACHE EXT");
          t.check(TestContext::ata_ok(r), "FLUSH CACHE EXT got " + describe(r));
        });

  c.add({"AOE.CachePower.FlushStatusReady", "ATA8-ACS FLUSH CACHE (EXT) normal outputs: DRDY", SHOULD, READS, {},
         "FLUSH CACHE (and EXT when advertised) report DRDY in the status of a successful completion."},
        [](TestContext& t) {
          for (bool ext : {false, true}) {
            if (ext && !t.target().flush_ext()) continue;
            auto r = t.ata(proto::ata_flush_arg(ext), {}, ext ? "FLUSH CACHE EXT" : "FLUSH CACHE");
            if (!TestContext::ata_ok(r)) t.fail("FLUSH failed: " + describe(r));
            t.check(TestContext::ata_ready(r), std::string(ext ? "FLUSH CACHE EXT" : "FLUSH CACHE") +
                                                   " status lacks DRDY: " + describe(r));
          }
        });

  c.add({"AOE.CachePower.FlushAfterWritePersists", "ATA8-ACS FLUSH CACHE; AoEr11 §3", MUST, WRITES,
         {kNeedIdentify, kNeedWritable}, "Data written, then flushed, reads back identical."},
        [](TestContext& t) {
          const auto lba = scratch_lba(t, 7);
          const auto n = static_cast<std::uint32_t>(std::min<std::uint32_t>(t.target().sector_count, 4));
          const auto pattern = sector_pattern(lba, n, 0x3C);
          t.write(lba, pattern);
          auto r = t.ata(proto::ata_flush_arg(t.target().flush_ext()), {}, "FLUSH CACHE after the write");
          t.check(TestContext::ata_ok(r), "FLUSH got " + describe(r));
          t.check(t.read(lba, n) == pattern, "flushed data reads back different");
        });

  c.add({"AOE.CachePower.CheckPowerMode", "ATA8-ACS CHECK POWER MODE 0xE5", SHOULD, READS, {},
         "CHECK POWER MODE completes and reports a defined power mode in the count register."},
        [](TestContext& t) {
          proto::AtaArg a;
          a.cmd_status = proto::ata::kCheckPowerMode;
          auto r = t.ata(a, {}, "CHECK POWER MODE");
          if (!TestContext::ata_ok(r)) t.fail("CHECK POWER MODE got " + describe(r));
          t.check(TestContext::ata_ready(r), "CHECK POWER MODE status lacks DRDY: " + describe(r));
          const auto mode = ata_arg_of(r)->sector_count;
          t.check(mode == 0x00 || mode == 0x40 || mode == 0x41 || mode == 0x80 || mode == 0xFF,
                  fmt::format("undefined power mode 0x{:02x}", mode));
          t.note(fmt::format("power mode 0x{:02x}", mode));
        });

  c.add({"AOE.CachePower.SmartReturnStatus", "ATA8-ACS SMART RETURN STATUS (0xB0/0xDA)", MAY, READS, {},
         "SMART RETURN STATUS completes, or is aborted when SMART is not supported (then skipped)."},
        [](TestContext& t) {
          proto::AtaArg a;
          a.cmd_status = proto::ata::kSmart;
          a.err_feature = 0xDA;
          a.lba = 0xC24F00;  // LBA mid/high must hold the SMART signature 0x4F/0xC2
          auto r = t.ata(a, {}, "SMART RETURN STATUS");
          if (TestContext::ata_error(r, proto::ata::kErrorAbrt)) t.skip("SMART not supported (ABRT)");
          t.check(TestContext::ata_ok(r), "SMART RETURN STATUS got " + describe(r));
        });

  c.add({"AOE.CachePower.UnknownAtaCommandAborted", "ATA8-ACS (Error: ABRT); AoEr11 §3", MUST, READS, {},
         "An ATA command the device does not implement (0x01) fails with ERR and ABRT, without data."},
        [](TestContext& t) {
          proto::AtaArg a;
          a.cmd_status = 0x01;
          a.sector_count = 1;
          auto r = t.ata(a, {}, "ATA command 0x01");
          t.check(TestContext::ata_error(r, proto::ata::kErrorAbrt), "expected ERR with ABRT, got " + describe(r));
          t.check(r.bytes.size() < proto::kAtaHeaderSize + proto::kSectorSize, "the aborted command returned data");
        });

  c.add({"AOE.CachePower.ReadOnlyRejectsWrites", "ATA8-ACS (Error: ABRT); AoEr11 §3", MUST, WRITES,
         {kNeedIdentify, kNeedReadOnly}, "A read-only target refuses a write with ERR and ABRT and keeps the data."},
        [](TestContext& t) {
          const auto lba = scratch_lba(t, 0);
          t.guard_sectors(lba, 1);
          const auto before = t.read(lba, 1);
          auto r = t.ata(proto::ata_write_arg(lba, 1, t.target().lba48()), sector_pattern(lba, 1, 0x4D), "WRITE");
          t.check(TestContext::ata_error(r, proto::ata::kErrorAbrt), "expected ERR with ABRT, got " + describe(r));
          t.check(t.read(lba, 1) == before, "a read-only target changed the sector");
        });
}

}  // namespace aoeh::conformance
