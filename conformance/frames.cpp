#include "conformance/frames.hpp"

#include <array>

namespace aoeh::conformance {
namespace {
template <class Encode>
Bytes build(Encode&& encode) {
  Bytes out(proto::kMaxFrameSize);
  const std::size_t n = encode(proto::MutableByteSpan(out));
  out.resize(n);
  return out;
}
}  // namespace

Bytes ata_frame(const proto::Header& h, const proto::AtaArg& arg, proto::ByteSpan data, bool pad) {
  return build([&](proto::MutableByteSpan out) { return proto::encode_ata(out, h, arg, data, pad); });
}

Bytes query_config_frame(const proto::Header& h, proto::ConfigCommand ccmd, std::string_view config, bool pad) {
  proto::QueryConfigArg q;
  q.ccmd = static_cast<std::uint8_t>(ccmd);
  q.config = proto::as_bytes(config);
  return build([&](proto::MutableByteSpan out) { return proto::encode_query_config(out, h, q, pad); });
}

Bytes mac_mask_frame(const proto::Header& h, proto::MaskCommand mcmd,
                     std::span<const proto::MacMaskDirective> directives, bool pad) {
  return build([&](proto::MutableByteSpan out) {
    return proto::encode_mac_mask_list(out, h, static_cast<std::uint8_t>(mcmd), 0, directives, pad);
  });
}

Bytes reserve_frame(const proto::Header& h, proto::ReserveCommand rcmd, std::span<const proto::MacAddress> macs,
                    bool pad) {
  return build([&](proto::MutableByteSpan out) {
    return proto::encode_reserve_release(out, h, static_cast<std::uint8_t>(rcmd), macs, pad);
  });
}

Bytes raw_frame(const proto::Header& h, proto::ByteSpan payload, bool pad) {
  Bytes out(proto::kHeaderSize + payload.size());
  proto::store_header(out.data(), h);
  std::copy(payload.begin(), payload.end(), out.begin() + proto::kHeaderSize);
  if (pad && out.size() < proto::kMinFrameSize) out.resize(proto::kMinFrameSize, 0);
  return out;
}

void set_tag(Bytes& frame, std::uint32_t tag) {
  if (frame.size() < proto::kHeaderSize) return;
  for (int i = 0; i < 4; ++i) frame[20 + i] = static_cast<std::uint8_t>(tag >> (24 - 8 * i));
}

std::uint32_t frame_tag(std::span<const std::uint8_t> frame) {
  if (frame.size() < proto::kHeaderSize) return 0;
  return std::uint32_t{frame[20]} << 24 | std::uint32_t{frame[21]} << 16 | std::uint32_t{frame[22]} << 8 | frame[23];
}

std::string to_hex(std::span<const std::uint8_t> bytes, std::size_t limit) {
  static constexpr char kDigits[] = "0123456789abcdef";
  const std::size_t n = bytes.size() < limit ? bytes.size() : limit;
  std::string s;
  s.reserve(n * 2 + 24);
  for (std::size_t i = 0; i < n; ++i) {
    s.push_back(kDigits[bytes[i] >> 4]);
    s.push_back(kDigits[bytes[i] & 0xF]);
  }
  if (n < bytes.size()) s += "..(" + std::to_string(bytes.size()) + " bytes)";
  return s;
}

Bytes sector_pattern(std::uint64_t lba, std::uint32_t count, std::uint32_t salt) {
  Bytes out(std::size_t{count} * proto::kSectorSize);
  for (std::uint32_t s = 0; s < count; ++s) {
    std::uint64_t x = (lba + s) * 0x9E3779B97F4A7C15ull ^ (std::uint64_t{salt} << 32 | salt);
    for (std::size_t i = 0; i < proto::kSectorSize; i += 8) {
      x ^= x >> 12;
      x ^= x << 25;
      x ^= x >> 27;
      const std::uint64_t v = x * 0x2545F4914F6CDD1Dull;
      for (int b = 0; b < 8; ++b) out[s * proto::kSectorSize + i + b] = static_cast<std::uint8_t>(v >> (8 * b));
    }
    // The first bytes spell the LBA so a hex dump of evidence shows which sector it was.
    for (int b = 0; b < 8; ++b) out[s * proto::kSectorSize + b] = static_cast<std::uint8_t>((lba + s) >> (8 * b));
  }
  return out;
}

}  // namespace aoeh::conformance
