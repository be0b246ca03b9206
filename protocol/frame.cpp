#include "protocol/frame.hpp"

#include <array>
#include <optional>

#include "protocol/byte_order.hpp"
#include "protocol/parse_into.hpp"

namespace aoeh::proto {

Parsed<Message> parse_frame(ByteSpan frame, ParseOptions options) {
  // One result object, decoded into in place and returned by name on every path (NRVO): the
  // receive hot path makes no intermediate copies of the header or body.
  Parsed<Message> result{Message{}};
  Message& m = result.value();
  std::optional<ParseError> error;
  if (frame.size() < kHeaderSize) {
    error = ParseError::TruncatedHeader;
  } else if (load_be16(frame.data() + 12) != kEtherTypeAoE) {
    error = ParseError::WrongEtherType;
  } else {
    Header& h = m.header;
    load_header(frame.data(), h);
    if (options.require_version_1 && h.version != kAoEVersion) {
      error = ParseError::BadVersion;
    } else if (options.reject_reserved && (h.flags & kFlagReservedMask) != 0) {
      error = ParseError::ReservedFlagsSet;
    } else {
      switch (h.command) {
        case static_cast<std::uint8_t>(Command::Ata):
          error = parse_ata_body_into(h, frame, options.reject_reserved, m.body.emplace<AtaBody>());
          break;
        case static_cast<std::uint8_t>(Command::QueryConfig):
          error = parse_query_config_body_into(frame, m.body.emplace<QueryConfigArg>());
          break;
        case static_cast<std::uint8_t>(Command::MacMaskList):
          error = parse_mac_mask_list_body_into(frame, options.reject_reserved, m.body.emplace<MacMaskListBody>());
          break;
        case static_cast<std::uint8_t>(Command::ReserveRelease):
          error = parse_reserve_release_body_into(frame, m.body.emplace<ReserveReleaseBody>());
          break;
        default:
          if (is_vendor_command(h.command)) {
            m.body.emplace<VendorBody>(VendorBody{frame.subspan(kHeaderSize)});
          } else {
            error = ParseError::UnknownCommand;
          }
      }
    }
  }
  if (error) result = *error;
  return result;
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
