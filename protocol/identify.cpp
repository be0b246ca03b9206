#include "protocol/identify.hpp"

#include <cstring>

#include "protocol/byte_order.hpp"
#include "protocol/constants.hpp"

namespace aoeh::proto {
namespace {

using Page = std::span<std::uint8_t, kIdentifyPageSize>;

void put_word(Page page, int word, std::uint16_t v) { store_le16(page.data() + 2 * word, v); }
std::uint16_t get_word(std::span<const std::uint8_t> page, int word) { return load_le16(page.data() + 2 * word); }

// ATA strings: space padded, each 16-bit word holds two characters high byte first.
void put_string(Page page, int word, int words, std::string_view s) {
  for (int i = 0; i < 2 * words; ++i) {
    const char c = i < static_cast<int>(s.size()) ? s[i] : ' ';
    page[2 * word + (i ^ 1)] = static_cast<std::uint8_t>(c);
  }
}

template <std::size_t N>
void get_string(std::span<const std::uint8_t> page, int word, FixedString<N>& out) {
  char buf[N];
  for (std::size_t i = 0; i < N; ++i) buf[i] = static_cast<char>(page[2 * word + (i ^ 1)]);
  std::size_t len = N;
  while (len > 0 && (buf[len - 1] == ' ' || buf[len - 1] == '\0')) --len;
  std::size_t start = 0;
  while (start < len && buf[start] == ' ') ++start;
  out.assign(std::string_view(buf + start, len - start));
}

}  // namespace

void build_identify(Page page, const Identity& id) {
  std::memset(page.data(), 0, page.size());
  put_word(page, 0, 0x0040);                       // fixed device
  put_string(page, 10, 10, id.serial.view());
  put_string(page, 23, 4, id.firmware.view());
  put_string(page, 27, 20, id.model.view());
  put_word(page, 47, 0x8000 | 1);                  // multiple: 1 sector
  put_word(page, 49, 1u << 9);                     // LBA supported
  put_word(page, 53, 0x0006);                      // words 64-70 and 88 valid
  const std::uint64_t lba28 = id.capacity_sectors < ata::kMaxLba28 ? id.capacity_sectors : ata::kMaxLba28;
  put_word(page, 60, static_cast<std::uint16_t>(lba28));
  put_word(page, 61, static_cast<std::uint16_t>(lba28 >> 16));
  put_word(page, 80, 0x00F0);                      // ATA/ATAPI-4..7
  std::uint16_t w83 = 0x4000 | (1u << 12);         // valid; FLUSH CACHE supported
  std::uint16_t w86 = (1u << 12);
  if (id.lba48) {
    w83 |= (1u << 10) | (1u << 13);                // 48-bit addressing; FLUSH CACHE EXT
    w86 |= (1u << 10) | (1u << 13);
  }
  put_word(page, 82, 0x4000);
  put_word(page, 83, w83);
  put_word(page, 84, 0x4000);
  put_word(page, 85, 0x4000);
  put_word(page, 86, w86);
  put_word(page, 87, 0x4000);
  if (id.lba48) {
    for (int i = 0; i < 4; ++i) put_word(page, 100 + i, static_cast<std::uint16_t>(id.capacity_sectors >> (16 * i)));
  }
}

Parsed<Identity> parse_identify(std::span<const std::uint8_t> page) {
  if (page.size() < kIdentifyPageSize) return ParseError::IdentifyTooShort;
  Identity id;
  id.lba48 = ((get_word(page, 83) | get_word(page, 86)) & (1u << 10)) != 0;
  if (id.lba48) {
    id.capacity_sectors = 0;
    for (int i = 3; i >= 0; --i) id.capacity_sectors = id.capacity_sectors << 16 | get_word(page, 100 + i);
  } else {
    id.capacity_sectors = std::uint64_t{get_word(page, 60)} | std::uint64_t{get_word(page, 61)} << 16;
  }
  get_string(page, 10, id.serial);
  get_string(page, 23, id.firmware);
  get_string(page, 27, id.model);
  return id;
}

}  // namespace aoeh::proto
