// Human-readable names for protocol enums (used in errors, reports and logs).
#include "protocol/constants.hpp"
#include "protocol/parse_result.hpp"

namespace aoeh::proto {

const char* aoe_error_name(AoeError e) {
  switch (e) {
    case AoeError::None: return "none";
    case AoeError::UnrecognizedCommand: return "unrecognized command";
    case AoeError::BadArgument: return "bad argument";
    case AoeError::DeviceUnavailable: return "device unavailable";
    case AoeError::ConfigStringPresent: return "config string present";
    case AoeError::UnsupportedVersion: return "unsupported version";
    case AoeError::TargetReserved: return "target reserved";
  }
  return "unknown error code";
}

const char* parse_error_name(ParseError e) {
  switch (e) {
    case ParseError::TruncatedHeader: return "truncated header";
    case ParseError::WrongEtherType: return "wrong ethertype";
    case ParseError::BadVersion: return "bad version";
    case ParseError::ReservedFlagsSet: return "reserved flags set";
    case ParseError::UnknownCommand: return "unknown command";
    case ParseError::TruncatedArgument: return "truncated argument";
    case ParseError::ReservedBitsSet: return "reserved bits set";
    case ParseError::ConfigStringTooLong: return "config string too long";
    case ParseError::ConfigStringTruncated: return "config string truncated";
    case ParseError::DataShorterThanCount: return "data shorter than sector count";
    case ParseError::DirectiveCountBeyondFrame: return "directive count beyond frame";
    case ParseError::MacCountBeyondFrame: return "MAC count beyond frame";
    case ParseError::IdentifyTooShort: return "identify page too short";
  }
  return "unknown parse error";
}

}  // namespace aoeh::proto
