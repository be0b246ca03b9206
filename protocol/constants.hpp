#pragma once
// AoEr11 wire constants. Offsets count from the first byte of the Ethernet frame.
#include <cstddef>
#include <cstdint>

namespace aoeh::proto {

inline constexpr std::uint16_t kEtherTypeAoE = 0x88A2;
inline constexpr std::uint8_t kAoEVersion = 1;

inline constexpr std::size_t kEthernetHeaderSize = 14;
inline constexpr std::size_t kHeaderSize = 24;       // Ethernet + AoE common header
inline constexpr std::size_t kAtaHeaderSize = 36;    // + ATA argument; data follows
inline constexpr std::size_t kQueryConfigHeaderSize = 32;
inline constexpr std::size_t kMacMaskHeaderSize = 28;
inline constexpr std::size_t kReserveHeaderSize = 26;
inline constexpr std::size_t kMinFrameSize = 60;     // Ethernet minimum without FCS
inline constexpr std::size_t kMaxFrameSize = 9216;   // comfortably above a 9000-byte MTU + header
inline constexpr std::size_t kSectorSize = 512;
inline constexpr std::size_t kMaxConfigStringSize = 1024;
inline constexpr std::size_t kMacMaskDirectiveSize = 8;

inline constexpr std::uint16_t kBroadcastShelf = 0xFFFF;
inline constexpr std::uint8_t kBroadcastSlot = 0xFF;
inline constexpr std::uint16_t kUnsetShelf = 0x0FFF;  // Linux: "check shelf switches"

// AoE header flags (low nibble of byte 14).
inline constexpr std::uint8_t kFlagResponse = 0x8;
inline constexpr std::uint8_t kFlagError = 0x4;
inline constexpr std::uint8_t kFlagReservedMask = 0x3;

enum class Command : std::uint8_t {
  Ata = 0,
  QueryConfig = 1,
  MacMaskList = 2,
  ReserveRelease = 3,
};
inline constexpr std::uint8_t kVendorCommandFirst = 0xF0;
inline constexpr bool is_vendor_command(std::uint8_t c) { return c >= kVendorCommandFirst; }

enum class AoeError : std::uint8_t {
  None = 0,
  UnrecognizedCommand = 1,
  BadArgument = 2,
  DeviceUnavailable = 3,
  ConfigStringPresent = 4,
  UnsupportedVersion = 5,
  TargetReserved = 6,
};
const char* aoe_error_name(AoeError e);

// ATA argument AFlags (byte 24).
inline constexpr std::uint8_t kAtaFlagExtended = 0x40;  // E: LBA48
inline constexpr std::uint8_t kAtaFlagDevice = 0x10;    // D
inline constexpr std::uint8_t kAtaFlagAsync = 0x02;     // A: asynchronous write
inline constexpr std::uint8_t kAtaFlagWrite = 0x01;     // W: data flows to the target

namespace ata {
inline constexpr std::uint8_t kIdentify = 0xEC;
inline constexpr std::uint8_t kReadSectors = 0x20;
inline constexpr std::uint8_t kReadSectorsExt = 0x24;
inline constexpr std::uint8_t kWriteSectors = 0x30;
inline constexpr std::uint8_t kWriteSectorsExt = 0x34;
inline constexpr std::uint8_t kFlushCache = 0xE7;
inline constexpr std::uint8_t kFlushCacheExt = 0xEA;
inline constexpr std::uint8_t kCheckPowerMode = 0xE5;
inline constexpr std::uint8_t kSmart = 0xB0;

// Status register bits.
inline constexpr std::uint8_t kStatusErr = 0x01;
inline constexpr std::uint8_t kStatusDrq = 0x08;
inline constexpr std::uint8_t kStatusDf = 0x20;
inline constexpr std::uint8_t kStatusDrdy = 0x40;
inline constexpr std::uint8_t kStatusBsy = 0x80;
// Status bits that fail a request (Linux aoe: BSY|DF|DRQ|ERR).
inline constexpr std::uint8_t kStatusFailMask = kStatusBsy | kStatusDf | kStatusDrq | kStatusErr;

// Error register bits.
inline constexpr std::uint8_t kErrorAbrt = 0x04;
inline constexpr std::uint8_t kErrorIdnf = 0x10;
inline constexpr std::uint8_t kErrorUnc = 0x40;

inline constexpr std::uint64_t kMaxLba28 = 0x0FFFFFFF;            // sectors addressable by LBA28
inline constexpr std::uint64_t kMaxLba48 = 0xFFFFFFFFFFFFull;
}  // namespace ata

// Query Config CCmd (low nibble of byte 29).
enum class ConfigCommand : std::uint8_t {
  Read = 0,
  Test = 1,
  TestPrefix = 2,
  Set = 3,
  ForceSet = 4,
};

// Mac Mask List.
enum class MaskCommand : std::uint8_t { Read = 0, Edit = 1 };
enum class MaskError : std::uint8_t { None = 0, Unspecified = 1, BadDirective = 2, ListFull = 3 };
enum class DirectiveCommand : std::uint8_t { None = 0, Add = 1, Delete = 2 };

// Reserve/Release.
enum class ReserveCommand : std::uint8_t { Read = 0, Set = 1, ForceSet = 2 };

// Sectors carried per ATA frame on a port of the given MTU. The exact AoE overhead inside the
// MTU is 22 bytes, but vblade and the Linux driver use (mtu - 36) / 512; we match them.
inline constexpr std::uint32_t sectors_for_mtu(std::uint32_t mtu) {
  return mtu > kAtaHeaderSize ? static_cast<std::uint32_t>((mtu - kAtaHeaderSize) / kSectorSize) : 0;
}

}  // namespace aoeh::proto
