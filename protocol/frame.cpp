#include "protocol/frame.hpp"

namespace aoeh::proto {

Parsed<Message> parse_frame(ByteSpan frame, ParseOptions options) {
  auto header = parse_header(frame);
  if (!header) return header.error();
  const Header& h = header.value();
  if (options.require_version_1 && h.version != kAoEVersion) return ParseError::BadVersion;
  if (options.reject_reserved && (h.flags & kFlagReservedMask) != 0) return ParseError::ReservedFlagsSet;

  auto wrap = [&](auto parsed) -> Parsed<Message> {
    if (!parsed) return parsed.error();
    return Message{h, Body{parsed.value()}};
  };
  switch (h.command) {
    case static_cast<std::uint8_t>(Command::Ata):
      return wrap(parse_ata_body(h, frame, options.reject_reserved));
    case static_cast<std::uint8_t>(Command::QueryConfig):
      return wrap(parse_query_config_body(h, frame));
    case static_cast<std::uint8_t>(Command::MacMaskList):
      return wrap(parse_mac_mask_list_body(h, frame, options.reject_reserved));
    case static_cast<std::uint8_t>(Command::ReserveRelease):
      return wrap(parse_reserve_release_body(h, frame));
    default:
      if (is_vendor_command(h.command)) return Message{h, Body{VendorBody{frame.subspan(kHeaderSize)}}};
      return ParseError::UnknownCommand;
  }
}

}  // namespace aoeh::proto
