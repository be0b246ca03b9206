#include "protocol/query_config.hpp"

#include <algorithm>
#include <cstring>

#include "protocol/byte_order.hpp"
#include "protocol/parse_into.hpp"

namespace aoeh::proto {

Parsed<QueryConfigArg> parse_query_config_body(const Header&, ByteSpan frame) {
  QueryConfigArg q;
  if (auto error = parse_query_config_body_into(frame, q)) return *error;
  return q;
}

std::optional<ParseError> parse_query_config_body_into(ByteSpan frame, QueryConfigArg& q) {
  if (frame.size() < kQueryConfigHeaderSize) return ParseError::TruncatedArgument;
  const std::uint8_t* p = frame.data() + kHeaderSize;
  q.buffer_count = load_be16(p);
  q.firmware_version = load_be16(p + 2);
  q.sector_count = p[4];
  q.aoe_version = p[5] >> 4;
  q.ccmd = p[5] & 0x0F;
  const std::size_t length = load_be16(p + 6);
  if (length > kMaxConfigStringSize) return ParseError::ConfigStringTooLong;
  if (frame.size() - kQueryConfigHeaderSize < length) return ParseError::ConfigStringTruncated;
  q.config = frame.subspan(kQueryConfigHeaderSize, length);
  return std::nullopt;
}

std::size_t encode_query_config(MutableByteSpan out, const Header& h, const QueryConfigArg& q, bool pad) {
  if (q.config.size() > kMaxConfigStringSize) return 0;
  const std::size_t length = kQueryConfigHeaderSize + q.config.size();
  if (out.size() < std::max(length, pad ? kMinFrameSize : std::size_t{0})) return 0;
  std::uint8_t* p = out.data();
  store_header(p, h);
  p += kHeaderSize;
  store_be16(p, q.buffer_count);
  store_be16(p + 2, q.firmware_version);
  p[4] = q.sector_count;
  p[5] = static_cast<std::uint8_t>((q.aoe_version << 4) | (q.ccmd & 0x0F));
  store_be16(p + 6, static_cast<std::uint16_t>(q.config.size()));
  if (!q.config.empty()) std::memcpy(out.data() + kQueryConfigHeaderSize, q.config.data(), q.config.size());
  return pad_frame(out, length, pad);
}

}  // namespace aoeh::proto
