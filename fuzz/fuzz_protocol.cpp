// fuzz_protocol: parse_frame under both option sets, parse_identify, and re-encoding of whatever
// parsed. Invariants: views stay inside the input; strict success implies lenient success with the
// same fields; encode_frame of a parsed message parses back to the same fields; an IDENTIFY page
// rebuilt from its parse parses to the same identity (LBA28 capacity clamped as ATA says).
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz/fuzz_check.hpp"
#include "protocol/frame.hpp"
#include "protocol/identify.hpp"
#include "protocol/tests/support/message_checks.hpp"

namespace {
using namespace aoeh::proto;

constexpr ParseOptions kStrict{};
constexpr ParseOptions kLenient{.require_version_1 = false, .reject_reserved = false};

void check_reencode(const Message& m, ParseOptions options) {
  std::vector<std::uint8_t> out(kMaxFrameSize * 2);
  for (bool pad : {false, true}) {
    // A padded vendor frame's payload grows by its padding (its length is not on the wire).
    if (pad && m.vendor()) continue;
    const std::size_t len = encode_frame(out, m, pad);
    FUZZ_CHECK(len != 0, "encode_frame refused a parsed message");
    FUZZ_CHECK(!pad || len >= kMinFrameSize, "padded frame shorter than 60");
    const ByteSpan again_bytes(out.data(), len);
    auto again = parse_frame(again_bytes, options);
    FUZZ_CHECK(again.ok(), std::string("re-encoded frame does not parse: ") + parse_error_name(again.error()));
    const std::string diff = aoeh::proto::testing::message_difference(*again, m);
    FUZZ_CHECK(diff.empty(), (pad ? "padded: " : "unpadded: ") + diff);
  }
}

void check_frame(ByteSpan in) {
  auto strict = parse_frame(in, kStrict);
  auto lenient = parse_frame(in, kLenient);
  if (strict.ok()) {
    FUZZ_CHECK(lenient.ok(), "strict parse succeeded, lenient failed");
    FUZZ_CHECK(aoeh::proto::testing::message_difference(*strict, *lenient).empty(), "strict and lenient disagree");
  }
  if (lenient.ok()) {
    const std::string escaped = aoeh::proto::testing::view_outside(*lenient, in);
    FUZZ_CHECK(escaped.empty(), "view outside the input: " + escaped);
    check_reencode(*lenient, kLenient);
  }
  if (strict.ok()) check_reencode(*strict, kStrict);
}

void check_identify(ByteSpan in) {
  auto id = parse_identify(in);
  FUZZ_CHECK(id.ok() == (in.size() >= kIdentifyPageSize), "parse_identify success does not follow the size");
  if (!id.ok()) return;
  std::array<std::uint8_t, kIdentifyPageSize> page;
  build_identify(page, *id);
  auto back = parse_identify(page);
  FUZZ_CHECK(back.ok(), "rebuilt page does not parse");
  FUZZ_CHECK(back->lba48 == id->lba48, "lba48 changed");
  const std::uint64_t want = id->lba48 ? id->capacity_sectors
                                       : (id->capacity_sectors < ata::kMaxLba28 ? id->capacity_sectors : ata::kMaxLba28);
  FUZZ_CHECK(back->capacity_sectors == want, "capacity changed");
  FUZZ_CHECK(back->model == id->model && back->serial == id->serial && back->firmware == id->firmware, "strings changed");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteSpan in(data, size);
  check_frame(in);
  check_identify(in);
  return 0;
}
