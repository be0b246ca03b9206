#pragma once
// Request frames as owned byte vectors, built with the protocol codec. Tests also build deliberately
// malformed frames by editing these bytes (offsets per protocol/constants.hpp).
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/frame.hpp"

namespace aoeh::conformance {

using Bytes = std::vector<std::uint8_t>;

Bytes ata_frame(const proto::Header& h, const proto::AtaArg& arg, proto::ByteSpan data = {}, bool pad = true);
Bytes query_config_frame(const proto::Header& h, proto::ConfigCommand ccmd, std::string_view config = {},
                         bool pad = true);
Bytes mac_mask_frame(const proto::Header& h, proto::MaskCommand mcmd,
                     std::span<const proto::MacMaskDirective> directives = {}, bool pad = true);
Bytes reserve_frame(const proto::Header& h, proto::ReserveCommand rcmd, std::span<const proto::MacAddress> macs = {},
                    bool pad = true);
// A header followed by `payload` (any command, e.g. vendor or unknown), padded to 60 when `pad`.
Bytes raw_frame(const proto::Header& h, proto::ByteSpan payload = {}, bool pad = true);

// Rewrites the tag of an already built frame (a retransmission keeps everything else).
void set_tag(Bytes& frame, std::uint32_t tag);
std::uint32_t frame_tag(std::span<const std::uint8_t> frame);

// Lower-case hex of at most `limit` bytes (evidence), with "..(N bytes)" when cut.
std::string to_hex(std::span<const std::uint8_t> bytes, std::size_t limit = 256);

// A sector-sized pattern that names its LBA and a salt, so a misplaced sector is recognisable.
Bytes sector_pattern(std::uint64_t lba, std::uint32_t count, std::uint32_t salt);

}  // namespace aoeh::conformance
