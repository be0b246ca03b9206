// ATA IDENTIFY pages: hand-built pages parse to the right capacity and strings; built pages hold
// the words ATA says, and parse back.
#include <gtest/gtest.h>

#include <array>

#include "protocol/constants.hpp"
#include "protocol/identify.hpp"

namespace aoeh::proto {
namespace {

using Page = std::array<std::uint8_t, kIdentifyPageSize>;

void set_word(Page& p, int word, std::uint16_t v) {
  p[2 * word] = static_cast<std::uint8_t>(v);
  p[2 * word + 1] = static_cast<std::uint8_t>(v >> 8);
}
std::uint16_t word(const Page& p, int w) { return static_cast<std::uint16_t>(p[2 * w] | p[2 * w + 1] << 8); }

// ATA string layout written out by hand: characters in pairs, second character first.
void set_ata_string(Page& p, int first_word, int words, const char* text) {
  std::string s(text);
  s.resize(2 * words, ' ');
  for (int i = 0; i < words; ++i) {
    p[2 * (first_word + i)] = static_cast<std::uint8_t>(s[2 * i + 1]);
    p[2 * (first_word + i) + 1] = static_cast<std::uint8_t>(s[2 * i]);
  }
}

TEST(IdentifyParse, VbladeStylePageWithLba48Capacity) {
  Page p{};
  set_word(p, 83, 0x5400);  // bit 10: 48-bit addressing
  set_word(p, 86, 0x1400);
  set_word(p, 60, 0xFFFF);  // LBA28 clamp 0x0FFFFFFF
  set_word(p, 61, 0x0FFF);
  set_word(p, 100, 0x0000);  // 0x1_0000_0000 sectors (2 TiB)
  set_word(p, 101, 0x0000);
  set_word(p, 102, 0x0001);
  set_ata_string(p, 27, 20, "Coraid EtherDrive vblade");
  set_ata_string(p, 23, 4, "V25");
  set_ata_string(p, 10, 10, "serial-0001");
  auto id = parse_identify(p);
  ASSERT_TRUE(id.ok());
  EXPECT_TRUE(id->lba48);
  EXPECT_EQ(id->capacity_sectors, 0x100000000ull);
  EXPECT_EQ(id->model.view(), "Coraid EtherDrive vblade");
  EXPECT_EQ(id->firmware.view(), "V25");
  EXPECT_EQ(id->serial.view(), "serial-0001");
}

TEST(IdentifyParse, Lba28OnlyPageUsesWords60And61) {
  Page p{};
  set_word(p, 60, 0x3456);
  set_word(p, 61, 0x0012);
  set_word(p, 100, 0xFFFF);  // ignored without word 83/86 bit 10
  auto id = parse_identify(p);
  ASSERT_TRUE(id.ok());
  EXPECT_FALSE(id->lba48);
  EXPECT_EQ(id->capacity_sectors, 0x123456u);
}

TEST(IdentifyParse, Word86AloneEnablesLba48) {
  Page p{};
  set_word(p, 86, 1u << 10);
  set_word(p, 100, 0x9ABC);
  set_word(p, 101, 0x5678);
  set_word(p, 102, 0x1234);
  set_word(p, 103, 0x0000);
  auto id = parse_identify(p);
  ASSERT_TRUE(id.ok());
  EXPECT_TRUE(id->lba48);
  EXPECT_EQ(id->capacity_sectors, 0x123456789ABCull);
}

TEST(IdentifyParse, TrimsSpacesAndNuls) {
  Page p{};
  set_ata_string(p, 10, 10, "   SN 42");  // leading spaces, inner space kept
  set_ata_string(p, 27, 20, "model");
  // "model" travels as "om ed  l" (bytes 54..59); a NUL replaces the 'l', NULs fill words 30..46.
  p[59] = 0;
  for (int i = 2 * 30; i < 2 * 47; ++i) p[i] = 0;
  auto id = parse_identify(p);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->serial.view(), "SN 42");
  EXPECT_EQ(id->model.view(), "mode");  // trailing NULs and spaces, mixed, are all trimmed
  EXPECT_EQ(id->firmware.view(), "");   // all zero
}

TEST(IdentifyBuild, Lba28PageClampsAndLeavesLba48WordsClear) {
  Page p;
  p.fill(0xAA);  // every byte must be written
  Identity id;
  id.capacity_sectors = 0x20000000;  // beyond LBA28
  id.lba48 = false;
  build_identify(p, id);
  EXPECT_EQ(word(p, 60), 0xFFFF);
  EXPECT_EQ(word(p, 61), 0x0FFF);
  EXPECT_EQ(word(p, 83) & (1u << 10), 0);
  EXPECT_EQ(word(p, 86) & (1u << 10), 0);
  for (int w = 100; w < 104; ++w) EXPECT_EQ(word(p, w), 0) << w;
  EXPECT_NE(word(p, 49) & (1u << 9), 0);  // LBA supported
  auto back = parse_identify(p);
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(back->lba48);
  EXPECT_EQ(back->capacity_sectors, ata::kMaxLba28);
}

TEST(IdentifyBuild, SmallLba28CapacityIsExact) {
  Page p;
  Identity id;
  id.capacity_sectors = 2048;
  id.lba48 = false;
  build_identify(p, id);
  EXPECT_EQ(word(p, 60), 2048);
  EXPECT_EQ(word(p, 61), 0);
  EXPECT_EQ(parse_identify(p)->capacity_sectors, 2048u);
}

TEST(IdentifyBuild, Lba48PageCarriesFullCapacityAndClampedLba28) {
  Page p;
  Identity id;
  id.capacity_sectors = 0x123456789ABull;
  id.lba48 = true;
  build_identify(p, id);
  EXPECT_EQ(word(p, 100), 0x89AB);
  EXPECT_EQ(word(p, 101), 0x4567);
  EXPECT_EQ(word(p, 102), 0x0123);
  EXPECT_EQ(word(p, 103), 0);
  EXPECT_EQ(word(p, 60), 0xFFFF);
  EXPECT_EQ(word(p, 61), 0x0FFF);
  EXPECT_NE(word(p, 83) & (1u << 10), 0);
  EXPECT_NE(word(p, 86) & (1u << 10), 0);
  EXPECT_EQ(parse_identify(p)->capacity_sectors, 0x123456789ABull);
}

TEST(IdentifyBuild, StringsAreByteSwappedAndSpacePadded) {
  Page p;
  Identity id;
  id.model = "ABCDE";
  id.serial = "S1";
  id.firmware = "0.1";
  build_identify(p, id);
  // model at word 27 = byte 54: "BA DC  E" (odd length: the last pair is 'E' then pad space).
  EXPECT_EQ(p[54], 'B');
  EXPECT_EQ(p[55], 'A');
  EXPECT_EQ(p[56], 'D');
  EXPECT_EQ(p[57], 'C');
  EXPECT_EQ(p[58], ' ');
  EXPECT_EQ(p[59], 'E');
  for (int i = 60; i < 94; ++i) EXPECT_EQ(p[i], ' ') << i;
  EXPECT_EQ(p[20], '1');  // serial at word 10 = byte 20
  EXPECT_EQ(p[21], 'S');
  EXPECT_EQ(p[46], '.');  // firmware at word 23 = byte 46: ".0 1"
  EXPECT_EQ(p[47], '0');
  EXPECT_EQ(p[48], ' ');
  EXPECT_EQ(p[49], '1');
  auto back = parse_identify(p);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->model.view(), "ABCDE");
  EXPECT_EQ(back->serial.view(), "S1");
  EXPECT_EQ(back->firmware.view(), "0.1");
}

TEST(IdentifyBuild, FullLengthStringsRoundTripAndLongerOnesTruncate) {
  Page p;
  Identity id;
  id.model = "0123456789012345678901234567890123456789";  // 40, the field size
  id.serial = "abcdefghijklmnopqrstuvwxyz";                // 26: keeps 20
  id.firmware = "12345678";
  EXPECT_EQ(id.serial.view(), "abcdefghijklmnopqrst");
  build_identify(p, id);
  auto back = parse_identify(p);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->model, id.model);
  EXPECT_EQ(back->serial, id.serial);
  EXPECT_EQ(back->firmware, id.firmware);
}

}  // namespace
}  // namespace aoeh::proto
