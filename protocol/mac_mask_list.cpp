#include "protocol/mac_mask_list.hpp"

#include <algorithm>

#include "protocol/parse_into.hpp"

namespace aoeh::proto {

MacMaskDirective MacMaskListBody::directive(std::size_t i) const {
  const std::uint8_t* p = directives.data() + i * kMacMaskDirectiveSize;
  return {p[1], MacAddress::from(p + 2)};
}

Parsed<MacMaskListBody> parse_mac_mask_list_body(const Header&, ByteSpan frame, bool reject_reserved) {
  MacMaskListBody m;
  if (auto error = parse_mac_mask_list_body_into(frame, reject_reserved, m)) return *error;
  return m;
}

std::optional<ParseError> parse_mac_mask_list_body_into(ByteSpan frame, bool reject_reserved, MacMaskListBody& m) {
  if (frame.size() < kMacMaskHeaderSize) return ParseError::TruncatedArgument;
  const std::uint8_t* p = frame.data() + kHeaderSize;
  if (reject_reserved && p[0] != 0) return ParseError::ReservedBitsSet;
  m.mcmd = p[1];
  m.merror = p[2];
  m.directive_count = p[3];
  const std::size_t need = std::size_t{m.directive_count} * kMacMaskDirectiveSize;
  if (frame.size() - kMacMaskHeaderSize < need) return ParseError::DirectiveCountBeyondFrame;
  m.directives = frame.subspan(kMacMaskHeaderSize, need);
  if (reject_reserved) {
    for (std::size_t i = 0; i < m.directive_count; ++i)
      if (m.directives[i * kMacMaskDirectiveSize] != 0) return ParseError::ReservedBitsSet;
  }
  return std::nullopt;
}

std::size_t encode_mac_mask_list(MutableByteSpan out, const Header& h, std::uint8_t mcmd, std::uint8_t merror,
                                 std::span<const MacMaskDirective> directives, bool pad) {
  if (directives.size() > 255) return 0;
  const std::size_t length = kMacMaskHeaderSize + directives.size() * kMacMaskDirectiveSize;
  if (out.size() < std::max(length, pad ? kMinFrameSize : std::size_t{0})) return 0;
  std::uint8_t* p = out.data();
  store_header(p, h);
  p += kHeaderSize;
  p[0] = 0;
  p[1] = mcmd;
  p[2] = merror;
  p[3] = static_cast<std::uint8_t>(directives.size());
  p += 4;
  for (const auto& d : directives) {
    p[0] = 0;
    p[1] = d.dcmd;
    d.mac.store(p + 2);
    p += kMacMaskDirectiveSize;
  }
  return pad_frame(out, length, pad);
}

}  // namespace aoeh::proto
