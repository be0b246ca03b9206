#pragma once
// The durability checker: a shadow model of every write the workload makes, with write-back
// cache and FLUSH semantics, against which every read is judged.
//
// Each written sector names its writer: it holds (magic, write id, LBA, device) and bytes derived
// from them, so a read tells exactly which write it returns (or that it returns none: corrupted).
// Per sector the shadow keeps the latest acknowledged write, the last durable one (acknowledged
// before a completed FLUSH, or at once on a target without a volatile cache), and the writes that
// may or may not have landed (failed writes; unflushed writes lost or kept by a crash).
//   lost:      a read returns an older write (or zeros) where a newer acknowledged one must be
//   corrupted: a read returns bytes no write produced
//   phantom:   a read returns a write meant for another sector or device
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "protocol/device_address.hpp"
#include "sim/time.hpp"

namespace aoeh::faults {

using sim::Nanos;

struct Violation {
  enum class Kind : std::uint8_t { Lost, Corrupted, Phantom };
  Kind kind = Kind::Lost;
  proto::DeviceAddress device;
  std::uint64_t lba = 0;
  Nanos time = 0;              // when the read that found it completed
  std::uint64_t seed = 0;
  std::uint64_t expected = 0;  // write id the shadow expected (0: never written)
  std::uint64_t found = 0;     // write id the sector holds (0: zeros; unknown for corrupted)
  std::string detail;
};
const char* violation_kind_name(Violation::Kind k);

struct DurabilityCounters {
  std::uint64_t writes_acked = 0, writes_failed = 0;
  std::uint64_t flushes = 0;
  std::uint64_t sectors_checked = 0;
  std::uint64_t crashes = 0;
  std::uint64_t crash_rolled_back = 0;  // sectors a crash took back to their durable content (allowed)
  std::uint64_t crash_survived = 0;     // unflushed sectors that were on the medium after all
  std::uint64_t lost = 0, corrupted = 0, phantom = 0;
  std::uint64_t violations() const { return lost + corrupted + phantom; }
};

class DurabilityChecker {
 public:
  struct Device {
    proto::DeviceAddress address;
    bool volatile_cache = false;  // acknowledged writes survive a crash only after a FLUSH
  };
  static constexpr std::size_t kMaxRecorded = 200;  // violations kept in detail (all are counted)

  DurabilityChecker(std::uint64_t seed, std::vector<Device> devices);

  // A write of `sectors` at `lba` is about to be submitted: fills `buffer` and returns its id.
  std::uint64_t prepare_write(std::uint32_t device, std::uint64_t lba, std::uint32_t sectors, std::span<std::uint8_t> buffer);
  void write_done(std::uint64_t id, bool ok);
  // A FLUSH is submitted / completed (covers the writes acknowledged before its submission).
  std::uint64_t flush_submitted(std::uint32_t device);
  void flush_done(std::uint64_t token, bool ok);
  // The device's crash count: taken when a read is submitted, handed back with its result.
  std::uint64_t crash_epoch(std::uint32_t device) const { return devices_.at(device).crashes; }
  // Judges a successful read. A read submitted before a crash (`epoch` older than the device's)
  // may have been served from the cache that the crash then lost: it is judged but settles nothing.
  void read_done(std::uint32_t device, std::uint64_t lba, std::span<const std::uint8_t> data, Nanos now,
                 std::uint64_t epoch);
  void read_done(std::uint32_t device, std::uint64_t lba, std::span<const std::uint8_t> data, Nanos now) {
    read_done(device, lba, data, now, crash_epoch(device));
  }
  // The device's target lost power: what was not durable may or may not have survived.
  void crash(std::uint32_t device);

  // Extents (first LBA, sector count) holding written data, ascending, each at most `max_sectors`.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> written_extents(std::uint32_t device, std::uint32_t max_sectors) const;

  const DurabilityCounters& counters() const { return counters_; }
  const std::vector<Violation>& violations() const { return violations_; }
  std::uint64_t seed() const { return seed_; }

  // The content of sector `lba` as written by write `id` to `device` (exposed for tests).
  void fill_sector(std::uint64_t id, std::uint32_t device, std::uint64_t lba, std::uint8_t* out) const;

 private:
  struct Write {
    std::uint32_t device = 0;
    std::uint64_t lba = 0;
    std::uint32_t sectors = 0;
    std::uint64_t ack_seq = 0;  // order of acknowledgement (0: not acknowledged)
    std::uint64_t crash_epoch = 0;  // the device's crash count when the write was submitted
  };
  struct Sector {
    std::uint64_t acked = 0;              // latest acknowledged write (0: never written)
    std::uint64_t durable = 0;
    std::vector<std::uint64_t> unflushed; // acknowledged since `durable`, in ack order
    std::vector<std::uint64_t> maybe;     // other acceptable writes
    bool crashed = false;                 // candidates come from a crash: whichever is read is durable
  };
  struct Flush {
    std::uint32_t device = 0;
    std::uint64_t ack_seq = 0;
  };
  struct DeviceState {
    Device info;
    std::uint64_t crashes = 0;
    std::map<std::uint64_t, Sector> sectors;
    std::set<std::uint64_t> unflushed;    // LBAs with unflushed writes
  };

  // Which write a sector's bytes come from: id (0 for zeros), or nullopt when no write made them.
  std::optional<std::uint64_t> decode(std::uint32_t device, std::uint64_t lba, const std::uint8_t* bytes,
                                      std::uint32_t* from_device, std::uint64_t* from_lba) const;
  void report(Violation::Kind kind, std::uint32_t device, std::uint64_t lba, Nanos now, std::uint64_t expected,
              std::uint64_t found, std::string detail);
  static void add_maybe(Sector& s, std::uint64_t id);

  std::uint64_t seed_;
  std::vector<DeviceState> devices_;
  std::vector<Write> writes_;   // by id - 1
  std::vector<Flush> flushes_;  // by token - 1
  std::uint64_t ack_seq_ = 0;
  DurabilityCounters counters_;
  std::vector<Violation> violations_;
};

}  // namespace aoeh::faults
