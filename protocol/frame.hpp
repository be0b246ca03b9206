#pragma once
// Whole-frame parse: header + the body of its command, all views into the caller's bytes.
#include <variant>

#include "protocol/ata.hpp"
#include "protocol/header.hpp"
#include "protocol/mac_mask_list.hpp"
#include "protocol/query_config.hpp"
#include "protocol/reserve_release.hpp"
#include "protocol/vendor.hpp"

namespace aoeh::proto {

using Body = std::variant<AtaBody, QueryConfigArg, MacMaskListBody, ReserveReleaseBody, VendorBody>;

struct Message {
  Header header;
  Body body;

  const AtaBody* ata() const { return std::get_if<AtaBody>(&body); }
  const QueryConfigArg* query_config() const { return std::get_if<QueryConfigArg>(&body); }
  const MacMaskListBody* mac_mask_list() const { return std::get_if<MacMaskListBody>(&body); }
  const ReserveReleaseBody* reserve_release() const { return std::get_if<ReserveReleaseBody>(&body); }
  const VendorBody* vendor() const { return std::get_if<VendorBody>(&body); }
};

struct ParseOptions {
  bool require_version_1 = true;  // vblade's start-up announcement carries version 0
  bool reject_reserved = true;    // reserved header flag bits and reserved argument bytes
};

Parsed<Message> parse_frame(ByteSpan frame, ParseOptions options = {});

// Encodes a message (typically one parse_frame returned, perhaps edited) back into `out`. Fields
// travel as parse_frame reports them; bytes parse_frame ignores are written as the encoders write
// them (reserved bytes zero, LBA28 byte 31 = 0xE0 | lba bits 24..27). Returns the frame length,
// or 0 when `out` is too small or a view is longer than its count field can say.
std::size_t encode_frame(MutableByteSpan out, const Message& m, bool pad = true);

}  // namespace aoeh::proto
