#include "protocol/frame.hpp"

#include <array>

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

namespace aoeh::proto {
namespace {

std::size_t encode_mac_mask_list_body(MutableByteSpan out, const Header& h, const MacMaskListBody& b, bool pad) {
  const std::size_t count = b.directives.size() / kMacMaskDirectiveSize;
  if (count > 255) return 0;
  std::array<MacMaskDirective, 255> directives;  // on the stack: encoding never allocates
  for (std::size_t i = 0; i < count; ++i) directives[i] = b.directive(i);
  return encode_mac_mask_list(out, h, b.mcmd, b.merror, std::span(directives.data(), count), pad);
}

std::size_t encode_reserve_release_body(MutableByteSpan out, const Header& h, const ReserveReleaseBody& b, bool pad) {
  const std::size_t count = b.macs.size() / 6;
  if (count > 255) return 0;
  std::array<MacAddress, 255> macs;
  for (std::size_t i = 0; i < count; ++i) macs[i] = b.mac(i);
  return encode_reserve_release(out, h, b.rcmd, std::span(macs.data(), count), pad);
}

}  // namespace

std::size_t encode_frame(MutableByteSpan out, const Message& m, bool pad) {
  struct Encoder {
    MutableByteSpan out;
    const Header& h;
    bool pad;
    std::size_t operator()(const AtaBody& b) const { return encode_ata(out, h, b.arg, b.data, pad); }
    std::size_t operator()(const QueryConfigArg& q) const { return encode_query_config(out, h, q, pad); }
    std::size_t operator()(const MacMaskListBody& b) const { return encode_mac_mask_list_body(out, h, b, pad); }
    std::size_t operator()(const ReserveReleaseBody& b) const { return encode_reserve_release_body(out, h, b, pad); }
    std::size_t operator()(const VendorBody& b) const { return encode_vendor(out, h, b.payload, pad); }
  };
  return std::visit(Encoder{out, m.header, pad}, m.body);
}

}  // namespace aoeh::proto
