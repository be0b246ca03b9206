#include "protocol/reserve_release.hpp"

#include <algorithm>

#include "protocol/parse_into.hpp"

namespace aoeh::proto {

Parsed<ReserveReleaseBody> parse_reserve_release_body(const Header&, ByteSpan frame) {
  ReserveReleaseBody r;
  if (auto error = parse_reserve_release_body_into(frame, r)) return *error;
  return r;
}

std::optional<ParseError> parse_reserve_release_body_into(ByteSpan frame, ReserveReleaseBody& r) {
  if (frame.size() < kReserveHeaderSize) return ParseError::TruncatedArgument;
  const std::uint8_t* p = frame.data() + kHeaderSize;
  r.rcmd = p[0];
  r.mac_count = p[1];
  const std::size_t need = std::size_t{r.mac_count} * 6;
  if (frame.size() - kReserveHeaderSize < need) return ParseError::MacCountBeyondFrame;
  r.macs = frame.subspan(kReserveHeaderSize, need);
  return std::nullopt;
}

std::size_t encode_reserve_release(MutableByteSpan out, const Header& h, std::uint8_t rcmd,
                                   std::span<const MacAddress> macs, bool pad) {
  if (macs.size() > 255) return 0;
  const std::size_t length = kReserveHeaderSize + macs.size() * 6;
  if (out.size() < std::max(length, pad ? kMinFrameSize : std::size_t{0})) return 0;
  std::uint8_t* p = out.data();
  store_header(p, h);
  p[kHeaderSize] = rcmd;
  p[kHeaderSize + 1] = static_cast<std::uint8_t>(macs.size());
  p += kReserveHeaderSize;
  for (const auto& m : macs) {
    m.store(p);
    p += 6;
  }
  return pad_frame(out, length, pad);
}

}  // namespace aoeh::proto
