#pragma once
// ATA over AoE (command 0): 12-byte argument at offset 24, sector data at 36.
#include <cstddef>
#include <cstdint>

#include "protocol/header.hpp"

namespace aoeh::proto {

struct AtaArg {
  std::uint8_t aflags = 0;       // kAtaFlagExtended | kAtaFlagDevice | kAtaFlagAsync | kAtaFlagWrite
  std::uint8_t err_feature = 0;  // feature (request) / error register (response)
  std::uint8_t sector_count = 0;
  std::uint8_t cmd_status = 0;   // ATA command (request) / status register (response)
  // Logical block address. With E set all 48 bits travel; with E clear the low 28 bits travel and
  // byte 31 carries 0xE0 | lba bits 24..27 (the LBA28 device register).
  std::uint64_t lba = 0;

  bool extended() const { return (aflags & kAtaFlagExtended) != 0; }
  bool write() const { return (aflags & kAtaFlagWrite) != 0; }
  bool async() const { return (aflags & kAtaFlagAsync) != 0; }
  std::size_t data_bytes() const { return std::size_t{sector_count} * kSectorSize; }
  friend bool operator==(const AtaArg&, const AtaArg&) = default;
};

struct AtaBody {
  AtaArg arg;
  ByteSpan raw_arg;  // the 12 argument bytes as sent (for checks of reserved/LBA28 bits)
  // Sector data, padding excluded:
  // - a request with W set: exactly sector_count * 512 bytes (else DataShorterThanCount);
  // - any other request: empty;
  // - a response without the AoE Error flag: every whole 512-byte sector after the argument.
  //   A response's sector count register cannot size its data: real targets report the count
  //   *remaining* (vblade answers a good READ or IDENTIFY with 0, CHECK POWER MODE with 0xFF),
  //   so the initiator checks data.size() against its own request (as the Linux driver does);
  // - a response with the AoE Error flag: empty (its ATA registers mean nothing).
  ByteSpan data;

  std::size_t data_sectors() const { return data.size() / kSectorSize; }
};

// Whether this frame's own sector count sizes the data it must carry: a request with W set.
// (A read or IDENTIFY response carries data too, sized by its request; see AtaBody::data.)
bool ata_carries_data(const Header& h, const AtaArg& a);

// Decodes the ATA argument of a frame whose header is already decoded.
Parsed<AtaBody> parse_ata_body(const Header& h, ByteSpan frame, bool reject_reserved);

// Writes header + argument + `data` into `out`. Returns the frame length (padded to 60 when `pad`),
// or 0 when `out` is too small.
std::size_t encode_ata(MutableByteSpan out, const Header& h, const AtaArg& a, ByteSpan data = {}, bool pad = true);

// Builds the argument for a READ/WRITE/FLUSH/IDENTIFY request; picks LBA28 or LBA48 commands.
AtaArg ata_read_arg(std::uint64_t lba, std::uint8_t count, bool lba48);
AtaArg ata_write_arg(std::uint64_t lba, std::uint8_t count, bool lba48, bool async = false);
AtaArg ata_flush_arg(bool lba48);
AtaArg ata_identify_arg();

}  // namespace aoeh::proto
