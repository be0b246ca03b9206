#include "protocol/ata.hpp"

#include <algorithm>
#include <cstring>

#include "protocol/byte_order.hpp"
#include "protocol/parse_into.hpp"

namespace aoeh::proto {

bool ata_carries_data(const Header& h, const AtaArg& a) { return !h.is_response() && a.write(); }

Parsed<AtaBody> parse_ata_body(const Header& h, ByteSpan frame, bool reject_reserved) {
  AtaBody body;
  if (auto error = parse_ata_body_into(h, frame, reject_reserved, body)) return *error;
  return body;
}

std::optional<ParseError> parse_ata_body_into(const Header& h, ByteSpan frame, bool reject_reserved, AtaBody& body) {
  if (frame.size() < kAtaHeaderSize) return ParseError::TruncatedArgument;
  const std::uint8_t* p = frame.data() + kHeaderSize;
  AtaArg& a = body.arg;
  a.aflags = p[0];
  a.err_feature = p[1];
  a.sector_count = p[2];
  a.cmd_status = p[3];
  if (a.extended()) {
    a.lba = load_le48(p + 4);
  } else {
    a.lba = std::uint64_t{p[4]} | std::uint64_t{p[5]} << 8 | std::uint64_t{p[6]} << 16 |
            std::uint64_t{p[7] & 0x0Fu} << 24;
  }
  if (reject_reserved && (p[10] != 0 || p[11] != 0)) return ParseError::ReservedBitsSet;
  body.raw_arg = frame.subspan(kHeaderSize, kAtaHeaderSize - kHeaderSize);
  const std::size_t after_arg = frame.size() - kAtaHeaderSize;
  if (ata_carries_data(h, a)) {
    const std::size_t need = a.data_bytes();
    if (after_arg < need) return ParseError::DataShorterThanCount;
    body.data = frame.subspan(kAtaHeaderSize, need);
  } else if (h.is_response() && !h.is_error()) {
    // Whole sectors only: Ethernet padding (at most 24 bytes) never reaches a sector.
    body.data = frame.subspan(kAtaHeaderSize, after_arg - after_arg % kSectorSize);
  }
  return std::nullopt;
}

std::size_t encode_ata(MutableByteSpan out, const Header& h, const AtaArg& a, ByteSpan data, bool pad) {
  const std::size_t length = kAtaHeaderSize + data.size();
  if (out.size() < std::max(length, pad ? kMinFrameSize : std::size_t{0})) return 0;
  std::uint8_t* p = out.data();
  store_header(p, h);
  p += kHeaderSize;
  p[0] = a.aflags;
  p[1] = a.err_feature;
  p[2] = a.sector_count;
  p[3] = a.cmd_status;
  if (a.extended()) {
    store_le48(p + 4, a.lba);
  } else {
    p[4] = static_cast<std::uint8_t>(a.lba);
    p[5] = static_cast<std::uint8_t>(a.lba >> 8);
    p[6] = static_cast<std::uint8_t>(a.lba >> 16);
    p[7] = static_cast<std::uint8_t>(0xE0 | ((a.lba >> 24) & 0x0F));
    p[8] = 0;
    p[9] = 0;
  }
  p[10] = 0;
  p[11] = 0;
  if (!data.empty()) std::memcpy(out.data() + kAtaHeaderSize, data.data(), data.size());
  return pad_frame(out, length, pad);
}

AtaArg ata_read_arg(std::uint64_t lba, std::uint8_t count, bool lba48) {
  AtaArg a;
  a.aflags = lba48 ? kAtaFlagExtended : 0;
  a.sector_count = count;
  a.cmd_status = lba48 ? ata::kReadSectorsExt : ata::kReadSectors;
  a.lba = lba;
  return a;
}

AtaArg ata_write_arg(std::uint64_t lba, std::uint8_t count, bool lba48, bool async) {
  AtaArg a;
  a.aflags = static_cast<std::uint8_t>((lba48 ? kAtaFlagExtended : 0) | kAtaFlagWrite | (async ? kAtaFlagAsync : 0));
  a.sector_count = count;
  a.cmd_status = lba48 ? ata::kWriteSectorsExt : ata::kWriteSectors;
  a.lba = lba;
  return a;
}

AtaArg ata_flush_arg(bool lba48) {
  AtaArg a;
  a.aflags = lba48 ? kAtaFlagExtended : 0;
  a.cmd_status = lba48 ? ata::kFlushCacheExt : ata::kFlushCache;
  return a;
}

AtaArg ata_identify_arg() {
  AtaArg a;
  a.sector_count = 1;
  a.cmd_status = ata::kIdentify;
  return a;
}

}  // namespace aoeh::proto
