#pragma once
// Shorthand shared by the catalogue files (conformance/tests_*.cpp) only.
#include <fmt/format.h>

#include <cstdint>
#include <string>

#include "conformance/catalogue.hpp"
#include "conformance/context.hpp"
#include "protocol/frame.hpp"

namespace aoeh::conformance::support {

inline constexpr auto MUST = reports::Level::Must;
inline constexpr auto SHOULD = reports::Level::Should;
inline constexpr auto MAY = reports::Level::May;
inline constexpr bool WRITES = true;
inline constexpr bool READS = false;

inline constexpr auto kAta = proto::Command::Ata;
inline constexpr auto kQueryConfig = proto::Command::QueryConfig;
inline constexpr auto kMacMask = proto::Command::MacMaskList;
inline constexpr auto kReserve = proto::Command::ReserveRelease;

inline std::uint8_t byte_of(proto::Command c) { return static_cast<std::uint8_t>(c); }

inline const proto::QueryConfigArg* qc_of(const proto::Parsed<proto::Message>& m) {
  return m ? m->query_config() : nullptr;
}
inline const proto::AtaBody* ata_of(const proto::Parsed<proto::Message>& m) { return m ? m->ata() : nullptr; }
inline const proto::MacMaskListBody* mask_of(const proto::Parsed<proto::Message>& m) {
  return m ? m->mac_mask_list() : nullptr;
}
inline const proto::ReserveReleaseBody* reserve_of(const proto::Parsed<proto::Message>& m) {
  return m ? m->reserve_release() : nullptr;
}

// Query Config request frame with the given CCmd to the target (fresh tag).
inline Bytes qc_frame(TestContext& t, proto::ConfigCommand ccmd, std::string_view value = {},
                      const std::string& port = {}) {
  return query_config_frame(t.header(kQueryConfig, port), ccmd, value);
}

// A scratch LBA in the middle of the device, aligned, slots 64 sectors apart.
inline std::uint64_t scratch_lba(const TestContext& t, std::uint32_t slot = 0) {
  const std::uint64_t cap = t.target().capacity();
  const std::uint64_t base = (cap / 2) & ~std::uint64_t{0xFF};
  return base + std::uint64_t{slot} * 64;
}

inline std::string describe(const Reply& r) { return describe_reply(r); }

}  // namespace aoeh::conformance::support
