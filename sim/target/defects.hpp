#pragma once
// Named defects: deliberate deviations from AoEr11, one switch each, so that every conformance test
// can be shown to fail against a target that gets its area wrong. Each one is visible on the wire.
// sim/target/README.md describes what each does and which test class catches it.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace aoeh::target {

enum class Defect : std::uint8_t {
  NoVersionCheck,            // frames with version != 1 are served instead of answered with Error 5
  NoPadding,                 // replies shorter than 60 bytes go out unpadded
  IgnoreWriteFlag,           // data direction taken from the ATA command alone; W/command mismatch not aborted
  WrongTagEcho,              // replies carry tag + 1
  NoErrorOnBadCount,         // sector count above the advertised maximum is served instead of Error 2
  Lba28NotMasked,            // LBA28 commands use all of bytes 28..33 as the LBA (the 0xE0 device bits leak in)
  IdentifyCapacityOffByOne,  // IDENTIFY reports capacity + 1 sectors
  ConfigSetOverwrites,       // CCmd set replaces a non-empty config string instead of Error 4
  MaskListIgnored,           // frames from MACs not on a non-empty mask list are served
  ReservationIgnored,        // a reserved target serves ATA commands from non-holders
  FlushStatusWithoutDrdy,    // FLUSH CACHE (EXT) replies with status 0x00 instead of DRDY
  BufcntOverrunCorrupts,     // a request beyond bufcnt overwrites the data of the newest queued request
  ResponseFlagMissing,       // replies lack the Response flag
  BroadcastIgnored,          // frames to shelf 0xFFFF or slot 0xFF are ignored
  NoIdnfBeyondEnd,           // I/O past the end succeeds (reads give zeros, writes vanish) instead of IDNF
  AnswersResponses,          // frames with the Response flag set are answered as if they were requests
  ConfigTestAlwaysAnswers,   // CCmd test / test prefix answer even when the string does not match
  SectorCountIgnoresMtu,     // Query Config advertises 255 sectors per request whatever the MTU
  ErrorFlagMissing,          // AoE error replies carry the error code without the Error flag
  ReplyFromFirstPort,        // replies always leave from port 0 with port 0's MAC, whatever port received
  Lba48TruncatedTo28,        // LBA48 commands drop LBA bits 28..47
  ShortWriteAccepted,        // write data shorter than count * 512 is written (zero-filled) instead of Error 2
};

inline constexpr std::size_t kDefectCount = static_cast<std::size_t>(Defect::ShortWriteAccepted) + 1;

// snake_case names: "no_version_check", "no_padding", ... (stable: used by CLI, fault plans, Python).
std::string_view defect_name(Defect d);
std::optional<Defect> defect_from_name(std::string_view name);
std::span<const Defect> all_defects();

// A set of defects; empty means a conforming target.
class DefectSet {
 public:
  DefectSet() = default;
  DefectSet(std::initializer_list<Defect> ds) {
    for (Defect d : ds) set(d);
  }
  bool has(Defect d) const { return (bits_ >> static_cast<unsigned>(d) & 1u) != 0; }
  void set(Defect d, bool on = true) {
    const std::uint64_t bit = std::uint64_t{1} << static_cast<unsigned>(d);
    bits_ = on ? (bits_ | bit) : (bits_ & ~bit);
  }
  bool empty() const { return bits_ == 0; }
  std::uint64_t bits() const { return bits_; }
  friend bool operator==(const DefectSet&, const DefectSet&) = default;

 private:
  std::uint64_t bits_ = 0;
};

}  // namespace aoeh::target
