#pragma once
// In-place decoders behind parse_frame: each fills `out` and returns nullopt, or returns the error.
// parse_frame builds its result with these so that a frame is decoded straight into the returned
// Message, without intermediate copies (the receive hot path). The parse_*_body functions in each
// command's header wrap them.
#include <optional>

#include "protocol/ata.hpp"
#include "protocol/mac_mask_list.hpp"
#include "protocol/query_config.hpp"
#include "protocol/reserve_release.hpp"

namespace aoeh::proto {

// Decodes the 24 header bytes at `p`; the caller has checked the size (ethertype not judged).
void load_header(const std::uint8_t* p, Header& out);

std::optional<ParseError> parse_ata_body_into(const Header& h, ByteSpan frame, bool reject_reserved, AtaBody& out);
std::optional<ParseError> parse_query_config_body_into(ByteSpan frame, QueryConfigArg& out);
std::optional<ParseError> parse_mac_mask_list_body_into(ByteSpan frame, bool reject_reserved, MacMaskListBody& out);
std::optional<ParseError> parse_reserve_release_body_into(ByteSpan frame, ReserveReleaseBody& out);

}  // namespace aoeh::proto
