#include "protocol/header.hpp"

#include <cstring>

#include "protocol/byte_order.hpp"
#include "protocol/parse_into.hpp"

namespace aoeh::proto {

void load_header(const std::uint8_t* p, Header& h) {
  std::memcpy(h.dst.bytes.data(), p, 6);
  std::memcpy(h.src.bytes.data(), p + 6, 6);
  h.version = p[14] >> 4;
  h.flags = p[14] & 0x0F;
  h.error = p[15];
  h.shelf = load_be16(p + 16);
  h.slot = p[18];
  h.command = p[19];
  h.tag = load_be32(p + 20);
}

Parsed<Header> parse_header(ByteSpan frame) {
  if (frame.size() < kHeaderSize) return ParseError::TruncatedHeader;
  if (load_be16(frame.data() + 12) != kEtherTypeAoE) return ParseError::WrongEtherType;
  Header h;
  load_header(frame.data(), h);
  return h;
}

void store_header(std::uint8_t* out, const Header& h) {
  h.dst.store(out);
  h.src.store(out + 6);
  store_be16(out + 12, kEtherTypeAoE);
  out[14] = static_cast<std::uint8_t>((h.version << 4) | (h.flags & 0x0F));
  out[15] = h.error;
  store_be16(out + 16, h.shelf);
  out[18] = h.slot;
  out[19] = h.command;
  store_be32(out + 20, h.tag);
}

std::size_t pad_frame(MutableByteSpan out, std::size_t length, bool pad) {
  if (!pad || length >= kMinFrameSize || out.size() < kMinFrameSize) return length;
  std::memset(out.data() + length, 0, kMinFrameSize - length);
  return kMinFrameSize;
}

Header reply_header(const Header& request, const MacAddress& my_mac) {
  Header h = request;
  h.dst = request.src;
  h.src = my_mac;
  h.version = kAoEVersion;
  h.flags = kFlagResponse;
  h.error = 0;
  return h;
}

}  // namespace aoeh::proto
