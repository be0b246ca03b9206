#pragma once
// Vendor commands (0xF0..0xFF): everything after the header is opaque.
#include <cstddef>

#include "protocol/header.hpp"

namespace aoeh::proto {

struct VendorBody {
  ByteSpan payload;  // bytes 24.. to the end of the frame (padding included: its length is unknown)
};

std::size_t encode_vendor(MutableByteSpan out, const Header& h, ByteSpan payload, bool pad = true);

}  // namespace aoeh::proto
