#pragma once
// A fault plan: the in-memory form of a scenario file (faults/README.md documents the JSON).
// Everything is validated and resolved by the parser (plan_parser.hpp): names refer to existing
// paths, ports and targets, units are converted, so the scenario runner never meets a bad value.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/device_address.hpp"
#include "protocol/mac_address.hpp"
#include "sim/time.hpp"
#include "sim/target/defects.hpp"

namespace aoeh::faults {

using sim::Nanos;

struct PathPlan {
  std::string name;
  std::uint32_t mtu = 1500;                 // every switch port of the path unless a port says otherwise
  std::uint64_t bits_per_second = 10'000'000'000;
  Nanos latency = 1 * sim::kMicrosecond;    // propagation of every cable into the path's switch
  std::uint32_t queue = 1000;               // frames per cable direction
  Nanos forwarding_delay = 0;
};

// One cabled NIC: a host port on a path.
struct PortPlan {
  std::string name;               // initiator: "eth0"; target: "e1.0:0"
  std::uint32_t path = 0;         // index into Plan::paths
  std::uint32_t mtu = 0;          // NIC MTU (resolved: never 0 after parsing)
  std::uint32_t switch_mtu = 0;   // MTU of the switch port facing this NIC (resolved)
  std::optional<proto::MacAddress> mac;  // default: the topology builder's scheme
};

struct EnginePlan {
  Nanos dead_after = 180 * sim::kSecond;
  Nanos discover_interval = 60 * sim::kSecond;
  Nanos rto_initial = 200 * sim::kMillisecond;
  Nanos rto_min = 1 * sim::kMillisecond;
  Nanos rto_max = 5 * sim::kSecond;
  Nanos path_unhealthy_after = 10 * sim::kSecond;
  Nanos probe_interval = 1 * sim::kSecond;
  std::uint32_t max_outstanding = 64;
  bool payload_fallback = true;
  std::uint32_t fallback_after_timeouts = 4;
};

struct TargetPlan {
  proto::DeviceAddress address;
  std::vector<PortPlan> ports;
  std::uint64_t capacity_sectors = 1u << 17;  // 64 MiB
  std::uint16_t bufcnt = 16;
  std::uint16_t firmware = 0x0100;
  std::uint8_t sector_count = 0;
  std::string config_string;
  bool write_cache = false;
  Nanos service_fixed = 0, service_per_sector = 0;
  std::string model = "aoeh reference target";
  target::DefectSet defects;
};

struct WorkloadPlan {
  enum class Pattern : std::uint8_t { Random, Sequential };
  bool enabled = false;
  Pattern pattern = Pattern::Random;
  double read_fraction = 0.5;
  std::uint32_t min_sectors = 8, max_sectors = 8;
  std::uint32_t queue_depth = 4;        // per device
  Nanos duration = 0;                   // 0: no time limit (then `bytes` is)
  std::uint64_t bytes = 0;              // 0: no byte limit (then `duration` is)
  bool verify = true;                   // the durability checker judges every read
  bool final_read = true;               // with verify: read back everything written at the end
  std::vector<std::uint32_t> devices;   // indexes into Plan::targets; all when the plan says nothing
  std::uint64_t offset_sectors = 0;
  std::uint64_t span_sectors = 0;       // 0: to the end of the device
  std::optional<Nanos> start;           // default: as soon as every workload device is up (or 30 s)
  std::uint64_t flush_every_bytes = 0;  // a FLUSH after this many bytes written to a device
  bool open = true;                     // hold the workload devices open while it runs
};

// Where a fault acts.
struct FaultSite {
  enum class Kind : std::uint8_t { Link, SwitchPort, Path, Target, InitiatorPort };
  Kind kind = Kind::Link;
  std::string name;          // as written in the plan (for messages and the timeline)
  std::uint32_t index = 0;   // Link/SwitchPort/InitiatorPort: port index (see Plan::port_ref); Path; Target
  bool toward_host = true;   // Link/SwitchPort/Path: the direction switch -> host
  bool from_host = true;     // Link/SwitchPort/Path: the direction host -> switch
};

enum class FaultType : std::uint8_t {
  // link / switch port / path
  Loss, BurstLoss, Delay, Duplicate, Reorder, CorruptDetected, CorruptUndetected, RateLimit, QueueOverflow,
  Mtu, Down, Flap, BlackHole, Partition,
  // target
  Hang, Crash, Slow, AoeError, AtaError, Runt, WrongTag, WrongShelf, WrongSlot, DuplicateReply, StaleReplay,
  Resize, MacChange, Bufcnt, ConfigString, Reserve, MaskList, ClaimAddress, Firmware,
  // initiator port
  PortDown, PortMtu,
};
const char* fault_type_name(FaultType t);

// Which commands an AoE/ATA error fault answers (bit set).
enum CommandMask : std::uint8_t {
  kCmdRead = 1, kCmdWrite = 2, kCmdFlush = 4, kCmdIdentify = 8, kCmdQueryConfig = 16, kCmdOtherAta = 32,
};

struct FaultPlan {
  FaultType type = FaultType::Loss;
  FaultSite site;
  Nanos at = 0;
  Nanos duration = sim::kNever;   // "for"; kNever: until the end
  double probability = 1.0;       // per frame (or per request) where it applies

  // Parameters (only those of the type are meaningful; the parser rejects the others).
  // burst loss (Gilbert-Elliott): p good->bad, r bad->good, loss in each state
  double ge_p = 0.01, ge_r = 0.3, ge_loss_good = 0.0, ge_loss_bad = 1.0;
  // delay / reorder / duplicate / duplicate reply / flap / slow
  Nanos delay = 0, jitter = 0;
  bool normal_jitter = false;
  Nanos gap = 0;                   // duplicate: second copy this much later
  Nanos period = 0, down_time = 0; // flap
  std::uint32_t corrupt_bytes = 1;
  std::uint64_t rate = 0;          // rate limit / queue overflow (bit/s)
  std::uint32_t queue = 0;         // frames
  std::uint32_t mtu = 0;
  std::uint8_t aoe_error = 0;
  std::uint8_t ata_error = 0;      // error register value (ABRT 0x04, UNC 0x40, IDNF 0x10)
  std::uint8_t commands = kCmdRead | kCmdWrite;
  std::uint64_t lba_first = 0, lba_last = ~std::uint64_t{0};
  std::uint32_t runt_length = 32;
  std::uint32_t replay_depth = 64; // stale replay: pick among the last N replies
  std::uint64_t capacity_sectors = 0;
  std::uint32_t port = 0;          // target port for mac_change
  proto::MacAddress mac;           // mac_change / reserve / mask_list: the other host's MAC
  std::uint16_t number = 0;        // bufcnt / firmware
  std::string text;                // config string
  proto::DeviceAddress address;    // claim_address: the address claimed
  bool announce = false;           // target changes: announce at once (else seen at the next query)
};

struct ActionPlan {
  enum class Kind : std::uint8_t { Revalidate, Open, Close, Discover, Flush };
  Kind kind = Kind::Revalidate;
  Nanos at = 0;
  std::vector<std::uint32_t> devices;  // target indexes (Discover: none)
};
const char* action_name(ActionPlan::Kind k);

struct CountRange {
  std::uint64_t min = 0;
  std::uint64_t max = ~std::uint64_t{0};
  bool contains(std::uint64_t v) const { return v >= min && v <= max; }
  std::string describe() const;
};

struct ExpectationPlan {
  enum class Kind : std::uint8_t {
    State,          // device state reached by a time (or at a time, or at the end)
    Event,          // engine events of a kind: count in a window
    IoErrors,       // failed I/O requests (optionally of one status): count in a window
    IoCompleted,    // successful I/O requests: count in a window
    Violations,     // durability checker findings
    Metric,         // any number of results.json "metrics"
    PayloadSectors, // sectors per frame the engine uses on a device's path(s) at a time
    Capacity,       // the engine's idea of a device's size at a time
    LatencyMax,     // the slowest successful request
    WorkloadComplete,
  };
  Kind kind = Kind::Event;
  std::string text;                    // the expectation in words, for the summary
  std::optional<std::uint32_t> device; // target index
  std::optional<std::uint32_t> path;   // path index
  Nanos after = 0;
  Nanos by = sim::kNever;              // window end (State: reached by)
  std::optional<Nanos> at;             // State/PayloadSectors/Capacity: sampled at this time
  std::string state;                   // up, down, closewait, failed, discovered
  std::string event;                   // engine event name (event_kind_name)
  std::string status;                  // io status name, or "" for any failure
  std::string metric;
  double metric_min = -1e300, metric_max = 1e300;
  CountRange count{1, ~std::uint64_t{0}};
  Nanos latency = 0;
  bool complete = true;
};

struct Plan {
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  std::optional<Nanos> duration;       // run exactly this long; default: until all is done
  Nanos max_duration = 3600 * sim::kSecond;
  std::string capture = "initiator";   // initiator | all | none
  std::vector<PathPlan> paths;
  std::vector<PortPlan> initiator_ports;
  EnginePlan engine;
  std::vector<TargetPlan> targets;
  WorkloadPlan workload;
  std::vector<FaultPlan> faults;
  std::vector<ActionPlan> actions;
  std::vector<ExpectationPlan> expectations;
  bool implicit_no_violations = true;  // no "violations" expectation given: expect 0 when verifying

  // Port references used by faults: initiator ports first, then every target's ports in order.
  std::uint32_t port_count() const;
  const PortPlan& port_ref(std::uint32_t index) const;
  std::optional<std::uint32_t> find_port(std::string_view name) const;
  std::optional<std::uint32_t> find_target(proto::DeviceAddress a) const;
  std::optional<std::uint32_t> find_path(std::string_view name) const;
};

}  // namespace aoeh::faults
