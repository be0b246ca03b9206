#pragma once
// Typed parse outcome: a value or one specific error. Never throws, never allocates.
#include <cassert>
#include <cstdint>
#include <utility>

namespace aoeh::proto {

enum class ParseError : std::uint8_t {
  TruncatedHeader,            // fewer than 24 bytes
  WrongEtherType,             // not 0x88A2
  BadVersion,                 // version nibble is not 1
  ReservedFlagsSet,           // header flag bits 0x2/0x1 set
  UnknownCommand,             // command 4..0xEF: no body layout is known
  TruncatedArgument,          // frame ends inside the command's fixed argument
  ReservedBitsSet,            // a reserved argument field is not zero
  ConfigStringTooLong,        // Query Config length field above 1024
  ConfigStringTruncated,      // Query Config length field beyond the frame
  DataShorterThanCount,       // ATA data shorter than sector count * 512
  DirectiveCountBeyondFrame,  // Mac Mask List directives run past the frame
  MacCountBeyondFrame,        // Reserve/Release MAC list runs past the frame
  IdentifyTooShort,           // IDENTIFY page shorter than 512 bytes
};

const char* parse_error_name(ParseError e);

template <class T>
class Parsed {
 public:
  Parsed(T value) : value_(std::move(value)), ok_(true) {}  // NOLINT: implicit by design
  Parsed(ParseError error) : error_(error), ok_(false) {}   // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  ParseError error() const {
    assert(!ok_);
    return error_;
  }
  const T& value() const {
    assert(ok_);
    return value_;
  }
  T& value() {
    assert(ok_);
    return value_;
  }
  const T* operator->() const { return &value(); }
  const T& operator*() const { return value(); }

 private:
  T value_{};
  ParseError error_{};
  bool ok_;
};

}  // namespace aoeh::proto
