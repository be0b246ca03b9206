// ATA IDENTIFY DEVICE: the page, its capacity words and its strings.
#include "conformance/test_support.hpp"

namespace aoeh::conformance {
using namespace support;
namespace {

std::uint16_t word(const Bytes& page, std::size_t w) {
  return static_cast<std::uint16_t>(page[2 * w] | page[2 * w + 1] << 8);
}

// IDENTIFY that must succeed with a 512-byte page; returns the page.
Bytes identify_page(TestContext& t, const std::string& port = {}) {
  auto r = t.identify(port);
  if (!TestContext::ata_ok(r)) t.fail("IDENTIFY failed: " + describe(r));
  const auto page = reply_data(r, 1);
  if (!page) t.fail(fmt::format("IDENTIFY returned {} bytes after the argument (expected 512)", r.bytes.size() - 36));
  return Bytes(page->begin(), page->end());
}

// ATA strings are byte-swapped in words; check the raw bytes are printable ASCII.
bool printable(const Bytes& page, std::size_t first_word, std::size_t words) {
  for (std::size_t i = first_word * 2; i < (first_word + words) * 2; ++i)
    if (page[i] < 0x20 || page[i] > 0x7E) return false;
  return true;
}

}  // namespace

void add_identify_tests(Catalogue& c) {
  c.add({"AOE.Identify.PageIs512Bytes", "AoEr11 §3; ATA8-ACS IDENTIFY DEVICE", MUST, READS, {},
         "IDENTIFY returns exactly one 512-byte page with a good status."},
        [](TestContext& t) {
          auto r = t.identify();
          if (!TestContext::ata_ok(r)) t.fail("IDENTIFY failed: " + describe(r));
          // Whatever follows the argument: exactly one page (padding cannot apply above 60 bytes).
          const std::size_t carried = r.bytes.size() - proto::kAtaHeaderSize;
          t.check(carried == proto::kIdentifyPageSize, fmt::format("IDENTIFY carried {} bytes (expected 512)", carried));
        });

  c.add({"AOE.Identify.StatusReady", "ATA8-ACS (Status: DRDY, BSY, DF, DRQ, ERR)", MUST, READS, {},
         "The IDENTIFY status has DRDY set and none of BSY, DF, DRQ, ERR."},
        [](TestContext& t) {
          auto r = t.identify();
          const auto a = ata_arg_of(r);
          if (r.header.is_error() || !a) t.fail("IDENTIFY failed: " + describe(r));
          const auto st = a->cmd_status;
          t.check((st & proto::ata::kStatusDrdy) != 0, fmt::format("status 0x{:02x} lacks DRDY", st));
          t.check((st & proto::ata::kStatusFailMask) == 0, fmt::format("status 0x{:02x} has BSY/DF/DRQ/ERR", st));
        });

  c.add({"AOE.Identify.Lba28CapacityConsistent", "ATA8-ACS IDENTIFY words 60-61", MUST, READS, {kNeedIdentify},
         "Words 60-61 hold min(capacity, 0x0FFFFFFF); an LBA28-only device fits in them."},
        [](TestContext& t) {
          const auto page = identify_page(t);
          const std::uint32_t w60 = word(page, 60) | std::uint32_t{word(page, 61)} << 16;
          const std::uint64_t cap = t.target().capacity();
          t.check(w60 == std::min<std::uint64_t>(cap, proto::ata::kMaxLba28),
                  fmt::format("words 60-61 = {} for a capacity of {} sectors", w60, cap));
          t.check(w60 > 0, "words 60-61 are zero");
          if (!t.target().identity.lba48)
            t.check(cap <= proto::ata::kMaxLba28, "an LBA28-only device claims more than 2^28-1 sectors");
        });

  c.add({"AOE.Identify.Lba48WordsConsistent", "ATA8-ACS IDENTIFY words 83, 86, 100-103", MUST, READS, {kNeedLba48},
         "With LBA48, words 83 and 86 both have bit 10 and words 100-103 hold the capacity."},
        [](TestContext& t) {
          const auto page = identify_page(t);
          t.check((word(page, 83) & 0x0400) != 0, fmt::format("word 83 = 0x{:04x} lacks bit 10", word(page, 83)));
          t.check((word(page, 86) & 0x0400) != 0, fmt::format("word 86 = 0x{:04x} lacks bit 10", word(page, 86)));
          std::uint64_t w100 = 0;
          for (int i = 3; i >= 0; --i) w100 = w100 << 16 | word(page, 100 + static_cast<std::size_t>(i));
          const std::uint32_t w60 = word(page, 60) | std::uint32_t{word(page, 61)} << 16;
          t.check(w100 >= w60, fmt::format("words 100-103 ({}) below words 60-61 ({})", w100, w60));
          t.check(w100 <= proto::ata::kMaxLba48, "words 100-103 exceed 48 bits");
        });

  c.add({"AOE.Identify.CapacityMatchesMedium", "ATA8-ACS IDENTIFY; AoEr11 §3", MUST, READS, {kNeedIdentify},
         "The last sector the page claims is readable and the one after it is not."},
        [](TestContext& t) {
          const std::uint64_t cap = t.target().capacity();
          t.read(cap - 1, 1);
          auto r = t.ata(proto::ata_read_arg(cap, 1, t.target().lba48()), {}, fmt::format("READ LBA {} (capacity)", cap));
          t.check(!TestContext::ata_ok(r), fmt::format("sector {} (= capacity) was readable: the page understates the size", cap));
        });

  c.add({"AOE.Identify.StableAcrossRequests", "ATA8-ACS IDENTIFY", MUST, READS, {},
         "Two IDENTIFY pages are byte-identical."},
        [](TestContext& t) {
          const auto a = identify_page(t);
          const auto b = identify_page(t);
          t.check(a == b, "two IDENTIFY pages differ");
        });

  c.add({"AOE.Identify.StringsPrintable", "ATA8-ACS IDENTIFY words 10-19, 23-26, 27-46", SHOULD, READS, {},
         "Serial, firmware and model strings are printable ASCII (space padded)."},
        [](TestContext& t) {
          const auto page = identify_page(t);
          t.check(printable(page, 10, 10), "serial number (words 10-19) has non-printable bytes");
          t.check(printable(page, 23, 4), "firmware revision (words 23-26) has non-printable bytes");
          t.check(printable(page, 27, 20), "model number (words 27-46) has non-printable bytes");
        });

  c.add({"AOE.Identify.ModelAndSerialPresent", "ATA8-ACS IDENTIFY words 10-19, 27-46", SHOULD, READS,
         {kNeedIdentify}, "Model and serial number are not blank."},
        [](TestContext& t) {
          const auto page = identify_page(t);
          auto parsed = proto::parse_identify(page);
          if (!parsed) t.fail("the IDENTIFY page does not parse");
          const auto& id = parsed.value();
          t.check(!id.model.view().empty(), "model number is blank");
          t.check(!id.serial.view().empty(), "serial number is blank");
          t.note(fmt::format("model \"{}\" serial \"{}\" firmware \"{}\"", id.model.view(), id.serial.view(),
                             id.firmware.view()));
        });
}

}  // namespace aoeh::conformance
