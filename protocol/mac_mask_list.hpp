#pragma once
// Mac Mask List (command 2): 4-byte argument at 24, then 8-byte directives.
#include <cstddef>
#include <cstdint>
#include <span>

#include "protocol/header.hpp"

namespace aoeh::proto {

struct MacMaskDirective {
  std::uint8_t dcmd = 0;  // DirectiveCommand
  MacAddress mac;
  friend bool operator==(const MacMaskDirective&, const MacMaskDirective&) = default;
};

struct MacMaskListBody {
  std::uint8_t mcmd = 0;    // MaskCommand
  std::uint8_t merror = 0;  // MaskError
  std::uint8_t directive_count = 0;
  ByteSpan directives;      // directive_count * 8 bytes

  MacMaskDirective directive(std::size_t i) const;
};

Parsed<MacMaskListBody> parse_mac_mask_list_body(const Header& h, ByteSpan frame, bool reject_reserved);

std::size_t encode_mac_mask_list(MutableByteSpan out, const Header& h, std::uint8_t mcmd, std::uint8_t merror,
                                 std::span<const MacMaskDirective> directives, bool pad = true);

}  // namespace aoeh::proto
