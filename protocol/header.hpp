#pragma once
// The common AoE header (Ethernet addresses, version/flags, error, shelf.slot, command, tag).
// One struct serves both directions: parse fills it, encode reads it.
#include <cstddef>
#include <cstdint>
#include <span>

#include "protocol/constants.hpp"
#include "protocol/device_address.hpp"
#include "protocol/mac_address.hpp"
#include "protocol/parse_result.hpp"

namespace aoeh::proto {

using ByteSpan = std::span<const std::uint8_t>;
using MutableByteSpan = std::span<std::uint8_t>;

struct Header {
  MacAddress dst;
  MacAddress src;
  std::uint8_t version = kAoEVersion;
  std::uint8_t flags = 0;  // low nibble of byte 14: kFlagResponse | kFlagError (| reserved bits)
  std::uint8_t error = 0;  // AoeError when kFlagError is set
  std::uint16_t shelf = 0;
  std::uint8_t slot = 0;
  std::uint8_t command = 0;
  std::uint32_t tag = 0;

  bool is_response() const { return (flags & kFlagResponse) != 0; }
  bool is_error() const { return (flags & kFlagError) != 0; }
  AoeError aoe_error() const { return static_cast<AoeError>(error); }
  DeviceAddress address() const { return {shelf, slot}; }
  void set_address(DeviceAddress a) {
    shelf = a.shelf;
    slot = a.slot;
  }
  friend bool operator==(const Header&, const Header&) = default;
};

// Decodes the 24-byte header without judging version or flags (a target must still read a
// frame with a bad version to answer Error 5). Errors: TruncatedHeader, WrongEtherType.
Parsed<Header> parse_header(ByteSpan frame);

// Writes the 24-byte header; `out` must hold at least kHeaderSize bytes.
void store_header(std::uint8_t* out, const Header& h);

// Zero-pads a frame of `length` bytes up to 60 when `pad` and room allow; returns the new length.
std::size_t pad_frame(MutableByteSpan out, std::size_t length, bool pad);

// A reply header for a request: addresses swapped, Response flag set, tag and address echoed.
Header reply_header(const Header& request, const MacAddress& my_mac);

}  // namespace aoeh::proto
