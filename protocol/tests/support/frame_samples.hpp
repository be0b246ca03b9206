#pragma once
// Frames for tests, the tshark cross-check and the fuzz corpus: field values that own their bytes,
// drawn at random from a seeded generator, one kind at a time.
#include <cstdint>
#include <random>
#include <span>
#include <string_view>
#include <vector>

#include "protocol/frame.hpp"

namespace aoeh::proto::testing {

enum class SampleKind {
  AtaRequest,        // no data (READ, FLUSH, IDENTIFY, ... or any command byte), W clear
  AtaWriteRequest,   // W set, sector_count * 512 bytes of data
  AtaResponse,       // whole sectors of data, sector count register unrelated to them
  AtaErrorResponse,  // AoE Error flag: no data
  QueryConfigRequest,
  QueryConfigResponse,
  MacMaskListRequest,
  MacMaskListResponse,
  ReserveReleaseRequest,
  ReserveReleaseResponse,
  Vendor,
};
inline constexpr SampleKind kAllSampleKinds[] = {
    SampleKind::AtaRequest,          SampleKind::AtaWriteRequest,       SampleKind::AtaResponse,
    SampleKind::AtaErrorResponse,    SampleKind::QueryConfigRequest,    SampleKind::QueryConfigResponse,
    SampleKind::MacMaskListRequest,  SampleKind::MacMaskListResponse,   SampleKind::ReserveReleaseRequest,
    SampleKind::ReserveReleaseResponse, SampleKind::Vendor,
};
std::string_view sample_kind_name(SampleKind k);

// One frame's fields. `message()` views into this object, so keep it alive while the view is used.
struct FrameSpec {
  SampleKind kind = SampleKind::AtaRequest;
  Header header;
  AtaArg ata;
  QueryConfigArg query_config;  // its `config` view is replaced by `bytes` in message()
  std::uint8_t mcmd = 0, merror = 0;
  std::vector<MacMaskDirective> directives;
  std::uint8_t rcmd = 0;
  std::vector<MacAddress> macs;
  std::vector<std::uint8_t> bytes;  // ATA data, config string or vendor payload
  std::vector<std::uint8_t> wire;   // directive or MAC list bytes as they travel (built by message())

  Message message();
  // The frame bytes, via encode_frame.
  std::vector<std::uint8_t> encode(bool pad);
  // What parse_frame reports for the padded encoding: a vendor payload includes the zero padding.
  FrameSpec padded_expectation() const;
};

FrameSpec random_frame(std::mt19937_64& rng, SampleKind kind);

// `count` frames cycling through every kind, from `seed`.
std::vector<FrameSpec> sample_frames(std::uint64_t seed, std::size_t count);

}  // namespace aoeh::proto::testing
