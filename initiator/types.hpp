#pragma once
// Plain types of the initiator engine's contract: time, ports, requests, events, introspection.
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "protocol/constants.hpp"
#include "protocol/device_address.hpp"
#include "protocol/mac_address.hpp"

namespace aoeh::initiator {

using proto::DeviceAddress;
using proto::MacAddress;

// Time is a plain nanosecond count supplied by the driver (simulated or real).
using Nanos = std::int64_t;
inline constexpr Nanos kNever = std::numeric_limits<Nanos>::max();
inline constexpr Nanos kMillisecond = 1'000'000;
inline constexpr Nanos kSecond = 1'000'000'000;

using PortId = std::uint16_t;      // index into EngineConfig::ports
using RequestId = std::uint64_t;   // 0 is never a valid id

struct PortConfig {
  std::string name;          // e.g. "eth0" or "sim0"
  MacAddress mac;
  std::uint32_t mtu = 1500;
  bool up = true;
};

enum class IoKind : std::uint8_t { Read, Write, Flush };

struct IoRequest {
  IoKind kind = IoKind::Read;
  std::uint64_t lba = 0;
  std::uint32_t sectors = 0;          // 0 only for Flush
  // Read: where data lands. Write: the data to send. Must be exactly sectors * 512 bytes and stay
  // valid until the request's IoCompleted event. Unused for Flush.
  std::span<std::uint8_t> buffer;
  std::uint64_t user_data = 0;        // echoed in the completion event
};

enum class SubmitError : std::uint8_t {
  None,
  NoSuchDevice,
  DeviceNotUp,       // down, failed, closewait or still identifying
  BadBuffer,         // buffer size != sectors * 512, or sectors == 0 for read/write
  BeyondEnd,         // lba + sectors past the device's capacity
  TooLarge,          // above EngineConfig::max_request_sectors
};
const char* submit_error_name(SubmitError e);

struct SubmitResult {
  RequestId id = 0;
  SubmitError error = SubmitError::None;
  bool ok() const { return error == SubmitError::None; }
};

enum class IoStatus : std::uint8_t {
  Ok,
  AtaError,          // ATA status had BSY|DF|DRQ|ERR; see ata_status / ata_error
  AoeError,          // an AoE Error reply that is not retried (codes 1, 2, 3 after retries, 5)
  Reserved,          // AoE Error 6: the target is reserved by another initiator
  DeviceDown,        // dead_after elapsed without progress; all I/O of the device fails
  Cancelled,         // device went away (failed, revalidate found it gone)
};
const char* io_status_name(IoStatus s);

enum class DeviceState : std::uint8_t {
  Discovered,        // Query Config answered, IDENTIFY pending
  Up,
  Down,              // dead_after elapsed while closed
  Closewait,         // dead_after elapsed while open: comes back on last close or revalidate
  Failed,            // identify failed or the target answered with fatal errors
};
const char* device_state_name(DeviceState s);

enum class EventKind : std::uint8_t {
  DeviceUp,          // identified: capacity, model, serial known
  DeviceDown,        // to Down or Closewait (see Event::state)
  DeviceFailed,
  DeviceResized,     // old_sectors -> new_sectors
  IoCompleted,       // request, status, registers
  PathAdded,         // a new MAC answers for a device
  PathUnhealthy,     // repeated timeouts on a path
  PathHealthy,       // a probed path answers again
  PayloadFallback,   // large frames keep failing on a path: back to 2-sector frames
  ShelfUnset,        // a target answered with shelf 0x0FFF: "check shelf switches"
  ConfigChanged,     // a path's Query Config fields changed (bufcnt, firmware, sector count, string)
};
const char* event_kind_name(EventKind k);

struct Event {
  EventKind kind{};
  Nanos time = 0;
  DeviceAddress device;
  DeviceState state = DeviceState::Discovered;
  // IoCompleted
  RequestId request = 0;
  std::uint64_t user_data = 0;
  IoStatus status = IoStatus::Ok;
  std::uint8_t ata_status = 0;
  std::uint8_t ata_error = 0;
  proto::AoeError aoe_error = proto::AoeError::None;
  // Path events
  MacAddress path;
  PortId port = 0;
  // DeviceResized / DeviceUp
  std::uint64_t old_sectors = 0;
  std::uint64_t new_sectors = 0;
};

// A frame the driver must put on the wire. `frame` stays valid until the next call into the engine.
struct Transmit {
  PortId port = 0;
  MacAddress dst;
  std::span<const std::uint8_t> frame;
};

struct PathInfo {
  MacAddress mac;
  std::vector<PortId> ports;          // ports the path answered on
  std::uint16_t buffer_count = 0;
  std::uint16_t firmware = 0;
  std::uint8_t sector_count = 0;      // as advertised (0 means 2)
  std::string config;
  std::uint32_t payload_sectors = 0;  // sectors per frame in use on this path
  Nanos srtt = 0, rttvar = 0, rto = 0;
  std::uint32_t cwnd = 0, ssthresh = 0, outstanding = 0;
  bool healthy = true;
  bool fallback = false;              // MTU-mismatch fallback active until revalidate
};

struct DeviceInfo {
  DeviceAddress address;
  DeviceState state = DeviceState::Discovered;
  std::uint64_t capacity_sectors = 0;
  bool lba48 = false;
  std::string model, serial, firmware;
  bool open = false;
  std::uint32_t queued = 0;           // frames waiting for a window slot
  std::uint32_t in_flight = 0;
  std::vector<PathInfo> paths;
};

struct Counters {
  std::uint64_t frames_sent = 0;
  std::uint64_t frames_received = 0;
  std::uint64_t retransmits = 0;
  std::uint64_t late_replies = 0;      // answered an earlier tag of a still-outstanding frame
  std::uint64_t duplicate_replies = 0;
  std::uint64_t unknown_tags = 0;
  std::uint64_t malformed = 0;         // did not parse
  std::uint64_t ignored = 0;           // parsed but not for us (port not allowed, request, ...)
  std::uint64_t error_replies[8] = {}; // by AoE error code 0..7 (7: any higher)
  std::uint64_t timeouts = 0;
  std::uint64_t fallbacks = 0;
  std::uint64_t requests_completed = 0;
  std::uint64_t requests_failed = 0;
  std::uint64_t discoveries = 0;       // broadcast Query Config rounds
};

}  // namespace aoeh::initiator
