// ATA READ/WRITE SECTORS (EXT): LBA28 and LBA48, counts, boundaries, errors, data integrity.
#include "conformance/test_support.hpp"

namespace aoeh::conformance {
using namespace support;
namespace {

constexpr std::uint64_t k2p28 = std::uint64_t{1} << 28;

// Sends an ATA request and returns its reply (fails the test when none comes).
Reply ata_req(TestContext& t, const proto::AtaArg& arg, proto::ByteSpan data, const std::string& note) {
  return t.ata(arg, data, note);
}

Bytes data_of(TestContext& t, const Reply& r, std::uint32_t count, const std::string& what) {
  if (!TestContext::ata_ok(r)) t.fail(what + " failed: " + describe(r));
  const auto data = reply_data(r, count);
  if (!data)
    t.fail(fmt::format("{} returned {} bytes after the argument (expected {})", what, r.bytes.size() - 36,
                       count * proto::kSectorSize));
  return Bytes(data->begin(), data->end());
}

bool is_idnf(const Reply& r) { return TestContext::ata_error(r, proto::ata::kErrorIdnf); }

std::uint8_t max_count(const TestContext& t) {
  return static_cast<std::uint8_t>(std::min<std::uint32_t>(t.target().sector_count, 255));
}

}  // namespace

void add_read_write_tests(Catalogue& c) {
  // ---- reads ----
  c.add({"AOE.ReadWrite.ReadLba28", "AoEr11 §3 (AFlags E clear); ATA READ SECTORS 0x20", MUST, READS, {kNeedIdentify},
         "An LBA28 READ SECTORS of one sector returns 512 bytes with a good status."},
        [](TestContext& t) {
          auto r = ata_req(t, proto::ata_read_arg(0, 1, false), {}, "READ SECTORS LBA 0 count 1");
          data_of(t, r, 1, "LBA28 read");
        });

  c.add({"AOE.ReadWrite.ReadLba48", "AoEr11 §3 (AFlags E); ATA READ SECTORS EXT 0x24", MUST, READS, {kNeedLba48},
         "An LBA48 READ SECTORS EXT of one sector returns 512 bytes with a good status."},
        [](TestContext& t) {
          auto r = ata_req(t, proto::ata_read_arg(0, 1, true), {}, "READ SECTORS EXT LBA 0 count 1");
          data_of(t, r, 1, "LBA48 read");
        });

  c.add({"AOE.ReadWrite.ReadCountZero", "AoEr11 §3 (Sector Count)", SHOULD, READS, {kNeedIdentify},
         "A read of zero sectors is answered without data, or refused (Error 2 or ABRT)."},
        [](TestContext& t) {
          auto r = ata_req(t, proto::ata_read_arg(0, 0, t.target().lba48()), {}, "READ LBA 0 count 0");
          const bool refused = TestContext::aoe_error(r, proto::AoeError::BadArgument) ||
                               TestContext::ata_error(r, proto::ata::kErrorAbrt);
          const std::size_t carried = r.bytes.size() > proto::kAtaHeaderSize ? r.bytes.size() - proto::kAtaHeaderSize : 0;
          const bool empty_ok = TestContext::ata_ok(r) && carried < proto::kSectorSize;
          t.check(refused || empty_ok, fmt::format("count 0 got {} with {} bytes after the argument", describe(r), carried));
        });

  c.add({"AOE.ReadWrite.ReadMaxCount", "AoEr11 §3, §4 (Sector Count)", MUST, READS, {kNeedIdentify},
         "A read of the advertised maximum sector count returns all of it in one reply."},
        [](TestContext& t) {
          const auto n = max_count(t);
          auto r = ata_req(t, proto::ata_read_arg(scratch_lba(t), n, t.target().lba48()), {},
                           fmt::format("READ count {} (the advertised maximum)", n));
          data_of(t, r, n, "maximum-count read");
        });

  c.add({"AOE.ReadWrite.ReadMaxPlusOneRejected", "AoEr11 §3, §4 (Sector Count; Error 2)", MUST, READS,
         {kNeedIdentify}, "A read of one sector more than advertised gets Error 2 (bad argument)."},
        [](TestContext& t) {
          if (t.target().sector_count >= 255) t.not_applicable("the advertised maximum is 255: no larger count exists");
          const auto n = static_cast<std::uint8_t>(t.target().sector_count + 1);
          auto r = ata_req(t, proto::ata_read_arg(scratch_lba(t), n, t.target().lba48()), {},
                           fmt::format("READ count {} (one above the advertised maximum)", n));
          t.check(TestContext::aoe_error(r, proto::AoeError::BadArgument), "expected Error 2, got " + describe(r));
        });

  c.add({"AOE.ReadWrite.ReadLastSector", "ATA8-ACS READ SECTORS; IDENTIFY capacity", MUST, READS, {kNeedIdentify},
         "The last sector (capacity - 1) is readable."},
        [](TestContext& t) { t.read(t.target().capacity() - 1, 1); });

  c.add({"AOE.ReadWrite.ReadBeyondEndIdnf", "ATA8-ACS (Error: IDNF)", MUST, READS, {kNeedIdentify},
         "A read at the capacity (one past the last sector) fails with ERR and IDNF."},
        [](TestContext& t) {
          const auto cap = t.target().capacity();
          auto r = ata_req(t, proto::ata_read_arg(cap, 1, t.target().lba48()), {}, fmt::format("READ LBA {} (capacity)", cap));
          t.check(is_idnf(r), "expected ATA ERR with IDNF, got " + describe(r));
        });

  c.add({"AOE.ReadWrite.ReadStraddlingEndIdnf", "ATA8-ACS (Error: IDNF)", MUST, READS, {kNeedIdentify},
         "A read that starts at the last sector but runs past the end fails with ERR and IDNF."},
        [](TestContext& t) {
          if (t.target().sector_count < 2) t.not_applicable("the target allows one sector per request");
          const auto cap = t.target().capacity();
          auto r = ata_req(t, proto::ata_read_arg(cap - 1, 2, t.target().lba48()), {},
                           fmt::format("READ LBA {} count 2", cap - 1));
          t.check(is_idnf(r), "expected ATA ERR with IDNF, got " + describe(r));
        });

  c.add({"AOE.ReadWrite.ReadDataStable", "ATA8-ACS READ SECTORS", MUST, READS, {kNeedIdentify},
         "Reading the same sectors twice returns the same data."},
        [](TestContext& t) {
          const auto lba = scratch_lba(t, 1);
          const auto a = t.read(lba, 2);
          const auto b = t.read(lba, 2);
          t.check(a == b, "two reads of the same sectors differ");
        });

  c.add({"AOE.ReadWrite.ReplyEchoesArgument", "AoEr11 §3 (ATA response argument)", SHOULD, READS, {kNeedIdentify},
         "The reply keeps the request's AFlags (E set for LBA48, W clear for reads)."},
        [](TestContext& t) {
          for (bool e : {false, true}) {
            if (e && !t.target().lba48()) continue;
            auto r = ata_req(t, proto::ata_read_arg(1, 1, e), {}, e ? "READ EXT LBA 1" : "READ LBA 1");
            const auto a = ata_arg_of(r);
            if (!a || r.header.is_error()) t.fail("read failed: " + describe(r));
            t.check(a->extended() == e, fmt::format("reply E bit {} (request {})", a->extended(), e));
            t.check(!a->write(), "reply to a read has the W flag");
          }
        });

  c.add({"AOE.ReadWrite.ReadLba28UpperNibble", "AoEr11 §3 (LBA28: device register bits 24-27)", MUST, READS,
         {kNeedLargeDisk, kNeedLba48}, "An LBA28 read of 0x0FFFFFFE uses the high nibble and matches the LBA48 read."},
        [](TestContext& t) {
          const std::uint64_t lba = proto::ata::kMaxLba28 - 1;
          auto r28 = ata_req(t, proto::ata_read_arg(lba, 1, false), {}, "READ SECTORS LBA 0x0ffffffe");
          const auto d28 = data_of(t, r28, 1, "LBA28 read of 0x0ffffffe");
          auto r48 = ata_req(t, proto::ata_read_arg(lba, 1, true), {}, "READ SECTORS EXT LBA 0x0ffffffe");
          const auto d48 = data_of(t, r48, 1, "LBA48 read of 0x0ffffffe");
          t.check(d28 == d48, "LBA28 and LBA48 reads of the same sector differ");
        });

  c.add({"AOE.ReadWrite.ReadLba48Beyond2p28", "AoEr11 §3 (LBA48)", MUST, READS, {kNeedLargeDisk, kNeedLba48},
         "Sectors 2^28-1 and 2^28 are readable with LBA48."},
        [](TestContext& t) {
          for (std::uint64_t lba : {k2p28 - 1, k2p28}) {
            auto r = ata_req(t, proto::ata_read_arg(lba, 1, true), {}, fmt::format("READ EXT LBA {}", lba));
            data_of(t, r, 1, fmt::format("read of LBA {}", lba));
          }
        });

  // ---- writes ----
  c.add({"AOE.ReadWrite.WritePatternReadBack", "AoEr11 §3 (AFlags W); ATA WRITE SECTORS", MUST, WRITES,
         {kNeedIdentify, kNeedWritable}, "A pattern written with the maximum count reads back identical."},
        [](TestContext& t) {
          const auto lba = scratch_lba(t, 2);
          const auto n = max_count(t);
          const auto pattern = sector_pattern(lba, n, 0xA1);
          t.write(lba, pattern);
          t.check(t.read(lba, n) == pattern, "data read back differs from the pattern written");
        });

  c.add({"AOE.ReadWrite.WriteLba28ReadBack", "AoEr11 §3; ATA WRITE SECTORS 0x30", MUST, WRITES,
         {kNeedIdentify, kNeedWritable}, "An LBA28 write reads back identical through an LBA28 read."},
        [](TestContext& t) {
          const std::uint64_t lba = 8;
          t.guard_sectors(lba, 1);
          const auto pattern = sector_pattern(lba, 1, 0xB2);
          auto w = ata_req(t, proto::ata_write_arg(lba, 1, false), pattern, "WRITE SECTORS LBA 8");
          if (!TestContext::ata_ok(w)) t.fail("LBA28 write failed: " + describe(w));
          auto r = ata_req(t, proto::ata_read_arg(lba, 1, false), {}, "READ SECTORS LBA 8");
          t.check(data_of(t, r, 1, "LBA28 read") == pattern, "LBA28 read back differs from the LBA28 write");
        });

  c.add({"AOE.ReadWrite.WriteLba48ReadBack", "AoEr11 §3; ATA WRITE SECTORS EXT 0x34", MUST, WRITES,
         {kNeedLba48, kNeedWritable}, "An LBA48 write reads back identical through an LBA48 read."},
        [](TestContext& t) {
          const std::uint64_t lba = scratch_lba(t, 3);
          t.guard_sectors(lba, 1);
          const auto pattern = sector_pattern(lba, 1, 0xB3);
          auto w = ata_req(t, proto::ata_write_arg(lba, 1, true), pattern, fmt::format("WRITE SECTORS EXT LBA {}", lba));
          if (!TestContext::ata_ok(w)) t.fail("LBA48 write failed: " + describe(w));
          auto r = ata_req(t, proto::ata_read_arg(lba, 1, true), {}, fmt::format("READ SECTORS EXT LBA {}", lba));
          t.check(data_of(t, r, 1, "LBA48 read") == pattern, "LBA48 read back differs from the LBA48 write");
        });

  c.add({"AOE.ReadWrite.WriteLastSector", "ATA8-ACS WRITE SECTORS; IDENTIFY capacity", MUST, WRITES,
         {kNeedIdentify, kNeedWritable}, "The last sector is writable and reads back identical."},
        [](TestContext& t) {
          const auto lba = t.target().capacity() - 1;
          const auto pattern = sector_pattern(lba, 1, 0xC4);
          t.write(lba, pattern);
          t.check(t.read(lba, 1) == pattern, "the last sector reads back different");
        });

  c.add({"AOE.ReadWrite.WriteBeyondEndIdnf", "ATA8-ACS (Error: IDNF)", MUST, WRITES, {kNeedIdentify, kNeedWritable},
         "A write at the capacity fails with ERR and IDNF and changes no sector (no wrap-around)."},
        [](TestContext& t) {
          const auto cap = t.target().capacity();
          t.guard_sectors(cap - 1, 2);  // also keeps sector 0, where a wrapping target would write
          const auto first = t.read(0, 1);
          const auto last = t.read(cap - 1, 1);
          auto r = ata_req(t, proto::ata_write_arg(cap, 1, t.target().lba48()), sector_pattern(cap, 1, 0xC5),
                           fmt::format("WRITE LBA {} (capacity)", cap));
          t.check(is_idnf(r), "expected ATA ERR with IDNF, got " + describe(r));
          t.check(t.read(0, 1) == first, "sector 0 changed: the write wrapped around");
          t.check(t.read(cap - 1, 1) == last, "the last sector changed");
        });

  c.add({"AOE.ReadWrite.WriteShortDataRejected", "AoEr11 §3 (data length vs Sector Count; Error 2)", MUST, WRITES,
         {kNeedIdentify, kNeedWritable}, "A write whose data is shorter than its count gets Error 2 and writes nothing."},
        [](TestContext& t) {
          const auto lba = scratch_lba(t, 4);
          const std::uint8_t n = t.target().sector_count >= 2 ? 2 : 1;
          t.guard_sectors(lba, n);
          const auto before = t.read(lba, n);
          auto data = sector_pattern(lba, n, 0xD6);
          data.resize(data.size() - proto::kSectorSize / 2);
          auto r = ata_req(t, proto::ata_write_arg(lba, n, t.target().lba48()), data,
                           fmt::format("WRITE count {} with {} bytes of data", n, data.size()));
          t.check(TestContext::aoe_error(r, proto::AoeError::BadArgument), "expected Error 2, got " + describe(r));
          t.check(t.read(lba, n) == before, "sectors changed although the write was short");
        });

  c.add({"AOE.ReadWrite.WriteWithoutWFlagIgnoresData", "AoEr11 §3 (AFlags W)", MUST, WRITES,
         {kNeedIdentify, kNeedWritable}, "A write command without the W flag does not take the frame's data."},
        [](TestContext& t) {
          const auto lba = scratch_lba(t, 5);
          const auto first = sector_pattern(lba, 1, 0xE7);
          t.write(lba, first);
          auto arg = proto::ata_write_arg(lba, 1, t.target().lba48());
          arg.aflags = static_cast<std::uint8_t>(arg.aflags & ~proto::kAtaFlagWrite);
          const auto second = sector_pattern(lba, 1, 0xE8);
          auto r = ata_req(t, arg, second, "WRITE command with W clear, data attached");
          t.check(t.read(lba, 1) == first, "the data of a frame without W was written (" + describe(r) + ")");
        });

  c.add({"AOE.ReadWrite.AsyncWriteAcknowledged", "AoEr11 §3 (AFlags A: asynchronous)", SHOULD, WRITES,
         {kNeedIdentify, kNeedWritable}, "An asynchronous write is acknowledged and its data is there after FLUSH."},
        [](TestContext& t) {
          const auto lba = scratch_lba(t, 6);
          t.guard_sectors(lba, 1);
          const auto pattern = sector_pattern(lba, 1, 0xF9);
          auto w = ata_req(t, proto::ata_write_arg(lba, 1, t.target().lba48(), true), pattern, "async WRITE");
          t.check(TestContext::ata_ok(w), "async write got " + describe(w));
          std::string why;
          if (!t.ops().flush(t.port(), &why)) t.fail(why);
          t.check(t.read(lba, 1) == pattern, "async write data not there after FLUSH");
        });

  c.add({"AOE.ReadWrite.WriteLba48Across2p28", "AoEr11 §3 (LBA48)", MUST, WRITES,
         {kNeedLargeDisk, kNeedLba48, kNeedWritable},
         "Writes at 2^28-1 and 2^28 land there (no 28-bit truncation onto sector 0)."},
        [](TestContext& t) {
          t.guard_sectors(0, 1);
          const auto zero_before = t.read(0, 1);
          // One request per sector: each start LBA must be taken whole (2^28 must not become 0).
          for (std::uint64_t lba : {k2p28 - 1, k2p28}) {
            const auto pattern = sector_pattern(lba, 1, 0x1A);
            t.write(lba, pattern);
            t.check(t.read(lba, 1) == pattern, fmt::format("sector {} reads back different", lba));
          }
          t.check(t.read(0, 1) == zero_before, "sector 0 changed: LBA 2^28 was truncated to 28 bits");
        });

  c.add({"AOE.ReadWrite.WriteLba28UpperNibble", "AoEr11 §3 (LBA28: device register bits 24-27)", MUST, WRITES,
         {kNeedLargeDisk, kNeedWritable}, "An LBA28 write to 0x0FFFFFFE lands there, not at 0x00FFFFFE."},
        [](TestContext& t) {
          const std::uint64_t lba = proto::ata::kMaxLba28 - 1;
          const std::uint64_t alias = lba & 0x00FFFFFF;
          t.guard_sectors(lba, 1);
          t.guard_sectors(alias, 1);
          const auto alias_before = t.read(alias, 1);
          const auto pattern = sector_pattern(lba, 1, 0x2B);
          auto w = ata_req(t, proto::ata_write_arg(lba, 1, false), pattern, "WRITE SECTORS LBA 0x0ffffffe");
          if (!TestContext::ata_ok(w)) t.fail("LBA28 write failed: " + describe(w));
          t.check(t.read(lba, 1) == pattern, "sector 0x0ffffffe reads back different");
          t.check(t.read(alias, 1) == alias_before, "sector 0x00fffffe changed: bits 24-27 were ignored");
        });
}

}  // namespace aoeh::conformance
