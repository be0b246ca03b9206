#pragma once
// Reserve/Release (command 3): RCmd and MAC count at 24, then 6-byte MACs.
#include <cstddef>
#include <cstdint>
#include <span>

#include "protocol/header.hpp"

namespace aoeh::proto {

struct ReserveReleaseBody {
  std::uint8_t rcmd = 0;  // ReserveCommand
  std::uint8_t mac_count = 0;
  ByteSpan macs;          // mac_count * 6 bytes

  MacAddress mac(std::size_t i) const { return MacAddress::from(macs.data() + i * 6); }
};

Parsed<ReserveReleaseBody> parse_reserve_release_body(const Header& h, ByteSpan frame);

std::size_t encode_reserve_release(MutableByteSpan out, const Header& h, std::uint8_t rcmd,
                                   std::span<const MacAddress> macs, bool pad = true);

}  // namespace aoeh::proto
