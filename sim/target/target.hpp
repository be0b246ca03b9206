#pragma once
// The reference AoEr11 target: a sans-IO state machine like the initiator engine. A driver (the
// simulator's TargetHost, ns-3, or `aoeh serve` on a real port) feeds it frames and time and sends
// what poll_transmit() returns. No sockets, clocks or threads; the only I/O is a FileStore if given.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/header.hpp"
#include "protocol/mac_address.hpp"
#include "sim/target/block_store.hpp"
#include "sim/target/defects.hpp"

namespace aoeh::target {

using Nanos = std::int64_t;
inline constexpr Nanos kNever = std::numeric_limits<Nanos>::max();

struct TargetPort {
  proto::MacAddress mac;
  std::uint32_t mtu = 1500;
};

// Service time of one ATA request: fixed + per_sector * sector count. Requests are served one after
// another in arrival order (one queue of `bufcnt` slots). All zero: answered inside handle_frame.
struct ServiceTime {
  Nanos fixed = 0;
  Nanos per_sector = 0;
};

enum class VendorPolicy : std::uint8_t {
  Error1,  // answer vendor commands (0xF0..0xFF) with Error 1, like any unknown command
  Ignore,  // stay silent
};

struct TargetConfig {
  std::vector<TargetPort> ports;          // at least one; all share identity and store
  std::uint16_t shelf = 0;
  std::uint8_t slot = 0;
  std::uint64_t capacity_sectors = 2048;  // up to 2^48 - 1
  std::shared_ptr<BlockStore> store;      // null: a fresh MemoryStore
  std::uint16_t bufcnt = 16;              // ATA requests queued at most; more are dropped and counted
  std::uint16_t firmware_version = 0x0100;
  std::uint8_t sector_count = 0;          // 0: (MTU - 36) / 512 of the receiving port
  std::string config_string;              // at most 1024 bytes
  ServiceTime service;
  bool write_cache = false;               // writes land in a volatile cache; FLUSH commits; crash loses it
  bool read_only = false;                 // writes answered with ATA ABRT
  bool announce_on_start = true;          // start(): unsolicited Query Config response to broadcast
  bool announce_on_restart = true;        // restart(): the same, as a rebooted target does
  bool smart_enabled = false;             // else SMART is answered with ABRT
  std::size_t mask_list_capacity = 16;    // Mac Mask List entries (MError 3 when full), at most 255
  std::size_t reserve_list_capacity = 16; // Reserve/Release MACs (Error 2 beyond), at most 255
  VendorPolicy vendor_policy = VendorPolicy::Error1;
  std::string model = "aoeh reference target";
  std::string serial;                     // empty: "AOEH" + shelf.slot
  std::string firmware_revision = "aoeh-1";
  DefectSet defects;

  // Empty when usable, else what is wrong ("no ports", "config string longer than 1024 bytes", ...).
  std::string problem() const;
};

// A frame to send on ports[port_index]. `frame` stays valid until the next call into the target.
struct TargetTransmit {
  std::size_t port_index = 0;
  std::span<const std::uint8_t> frame;
};

struct TargetCounters {
  std::uint64_t frames_received = 0;
  std::uint64_t ignored_malformed = 0;     // shorter than a header or not 0x88A2
  std::uint64_t ignored_responses = 0;     // Response flag set
  std::uint64_t ignored_not_addressed = 0; // other MAC, shelf or slot
  std::uint64_t ignored_masked = 0;        // sender not on a non-empty mask list
  std::uint64_t ignored_config_mismatch = 0;  // CCmd test / test prefix without a match
  std::uint64_t ignored_vendor = 0;
  std::uint64_t ignored_while_crashed = 0;
  std::uint64_t dropped_bufcnt = 0;        // ATA requests beyond the queue
  std::uint64_t replies = 0;               // every frame sent, announcements included
  std::uint64_t error_replies = 0;         // AoE Error flag (or its code, under ErrorFlagMissing)
  std::uint64_t announcements = 0;
  std::uint64_t ata_commands = 0;          // executed (not dropped, not refused with an AoE error)
  std::uint64_t ata_errors = 0;            // answered with ATA ERR (ABRT, IDNF, UNC)
  std::uint64_t reserved_refusals = 0;     // Error 6 sent
  std::uint64_t sectors_read = 0;
  std::uint64_t sectors_written = 0;
  std::uint64_t flushes = 0;
  std::uint64_t crashes = 0;
};

class Target {
 public:
  // Throws std::invalid_argument with config.problem() when the config is unusable.
  explicit Target(TargetConfig config);
  ~Target();
  Target(const Target&) = delete;
  Target& operator=(const Target&) = delete;

  // --- sans-IO contract ---
  void start(Nanos now);  // queues the announcement on every port if configured
  void handle_frame(std::size_t port_index, std::span<const std::uint8_t> frame, Nanos now);
  void handle_timeout(Nanos now);  // completes requests whose service time has passed
  std::optional<TargetTransmit> poll_transmit();
  Nanos next_timeout() const;      // kNever when nothing is queued

  // --- runtime changes (fault injection, bindings, tests) ---
  void resize(std::uint64_t capacity_sectors);
  bool set_config_string(std::string_view s);  // false when longer than 1024 bytes
  void set_mac(std::size_t port_index, const proto::MacAddress& mac);
  void set_mtu(std::size_t port_index, std::uint32_t mtu);
  void set_port(std::size_t port_index, const TargetPort& port);
  void set_defect(Defect d, bool on = true);
  void set_defects(DefectSet ds);
  void set_read_only(bool on);
  void set_write_cache(bool on);    // turning it off commits the cache first
  void set_service_time(ServiceTime s);
  void set_bufcnt(std::uint16_t n); // queued requests beyond the new limit stay queued
  void set_firmware_version(std::uint16_t v);
  void set_sector_count(std::uint8_t n);
  void set_smart_enabled(bool on);
  void set_vendor_policy(VendorPolicy p);
  void set_address(std::uint16_t shelf, std::uint8_t slot);
  void announce(Nanos now);         // unsolicited Query Config response on every port
  // Power loss: unflushed cached writes, queued requests and untransmitted frames are lost, and the
  // target stays silent until restart(). Config string, mask list and reservation survive (NVRAM).
  void crash(Nanos now);
  void restart(Nanos now);          // back up; announces if announce_on_restart
  void clear_mask_list();
  void clear_reservation();

  // --- introspection ---
  const TargetConfig& config() const { return config_; }
  const TargetCounters& counters() const { return counters_; }
  proto::DeviceAddress address() const { return {config_.shelf, config_.slot}; }
  bool crashed() const { return crashed_; }
  std::span<const proto::MacAddress> mask_list() const { return mask_list_; }
  std::span<const proto::MacAddress> reservation() const { return reserve_list_; }
  std::size_t queued_requests() const { return queue_count_; }
  std::size_t dirty_sectors() const;    // written into the cache, not yet flushed
  std::uint8_t advertised_sector_count(std::size_t port_index) const;
  BlockStore& store() { return *config_.store; }
  // Reads sectors as an initiator would see them (cache first, then store); for tests and tools.
  bool read_sectors(std::uint64_t lba, std::span<std::uint8_t> out);

 private:
  // A queued ATA request: a copy of its frame (capacity reserved at the slot's first use) and when it completes.
  struct Pending {
    std::size_t port = 0;
    Nanos due = 0;
    std::vector<std::uint8_t> frame;
  };
  struct OutFrame {
    std::size_t port = 0;
    std::size_t offset = 0;
    std::size_t length = 0;
  };

  // Frame handling (target.cpp): filters, then one handler per AoE command.
  void dispatch(std::size_t port, std::span<const std::uint8_t> frame, const proto::Header& h, Nanos now);
  void handle_query_config(std::size_t port, std::span<const std::uint8_t> frame, const proto::Header& h);
  void handle_mac_mask(std::size_t port, std::span<const std::uint8_t> frame, const proto::Header& h);
  void handle_reserve(std::size_t port, std::span<const std::uint8_t> frame, const proto::Header& h);
  void accept_ata(std::size_t port, std::span<const std::uint8_t> frame, const proto::Header& h, Nanos now);
  void execute_ata(std::size_t port, std::span<const std::uint8_t> frame);

  // Output (target_output.cpp).
  std::span<std::uint8_t> begin_frame(std::size_t capacity);  // room for one frame at the arena's end
  void commit_frame(std::size_t port, std::size_t length, bool is_error);
  proto::Header reply_to(const proto::Header& request, std::size_t port) const;
  void mark_error(proto::Header& h, proto::AoeError e) const;
  void send_error(std::size_t port, std::span<const std::uint8_t> frame, const proto::Header& h, proto::AoeError e);
  // `port` received the request (its MTU sets the sector count); `out_port` sends the reply.
  void send_config(std::size_t port, std::size_t out_port, const proto::Header& h, std::uint8_t ccmd, bool is_error);
  void queue_announcement(std::size_t port);
  std::size_t reply_port(std::size_t port) const;
  bool pad() const { return !has(Defect::NoPadding); }

  // Sector access through the write cache (target_media.cpp).
  bool media_read(std::uint64_t lba, std::span<std::uint8_t> out);
  bool media_write(std::uint64_t lba, std::span<const std::uint8_t> data);
  bool media_flush();

  bool has(Defect d) const { return config_.defects.has(d); }

  TargetConfig config_;
  TargetCounters counters_;
  bool crashed_ = false;
  std::vector<proto::MacAddress> mask_list_;
  std::vector<proto::MacAddress> reserve_list_;
  SparseSectors cache_;  // dirty sectors of the write-back cache

  // ATA queue: a ring of `slots_.size()` request copies (null until first used), served in order.
  std::vector<std::unique_ptr<Pending>> slots_;
  std::size_t queue_head_ = 0;
  std::size_t queue_count_ = 0;
  Nanos busy_until_ = 0;

  // Output: frames appended to one reusable arena, drained in order by poll_transmit().
  std::vector<std::uint8_t> out_bytes_;  // capacity in use: bytes [0, out_used_) hold frames
  std::size_t out_used_ = 0;
  std::vector<OutFrame> out_frames_;
  std::size_t out_next_ = 0;
  std::size_t out_open_ = 0;  // offset of the frame between begin_frame and commit_frame
};

}  // namespace aoeh::target
