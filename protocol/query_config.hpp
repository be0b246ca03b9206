#pragma once
// Query Config (command 1): 8-byte argument at 24, config string at 32 (at most 1024 bytes).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/header.hpp"

namespace aoeh::proto {

struct QueryConfigArg {
  std::uint16_t buffer_count = 0;      // requests the target can queue
  std::uint16_t firmware_version = 0;
  std::uint8_t sector_count = 0;       // max sectors per ATA request; 0 means 2
  std::uint8_t aoe_version = kAoEVersion;
  std::uint8_t ccmd = 0;               // ConfigCommand
  ByteSpan config;                     // config string bytes (not NUL-terminated)

  ConfigCommand command() const { return static_cast<ConfigCommand>(ccmd); }
  std::string_view config_string() const {
    return {reinterpret_cast<const char*>(config.data()), config.size()};
  }
  // Sectors per frame the target allows: 0 is read as 2 (pre-AoEr11 targets).
  std::uint32_t effective_sector_count() const { return sector_count == 0 ? 2u : sector_count; }
};

Parsed<QueryConfigArg> parse_query_config_body(const Header& h, ByteSpan frame);

// Returns the frame length, or 0 when `out` is too small or the string exceeds 1024 bytes.
std::size_t encode_query_config(MutableByteSpan out, const Header& h, const QueryConfigArg& q, bool pad = true);

inline ByteSpan as_bytes(std::string_view s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

}  // namespace aoeh::proto
