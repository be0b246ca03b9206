#pragma once
// The workload of a plan: per device, `queue_depth` slots issue reads and writes (random or
// sequential, sizes in a range, a read/write mix) until a time or byte budget is spent, with a
// FLUSH every `flush_every` bytes written. Writes carry checker-generated data and every read is
// judged by the durability checker; at the end everything written is read back once more.
// Requests in flight on one device never overlap, so each read has one right answer.
// A device that is not up parks its slots; they resume when it comes (back) up.
#include <cstdint>
#include <memory>
#include <vector>

#include "faults/durability.hpp"
#include "faults/plan.hpp"
#include "initiator/types.hpp"
#include "sim/engine_host.hpp"
#include "sim/rng.hpp"

namespace aoeh::faults {

struct IoRecord {
  Nanos time = 0;
  std::uint32_t device = 0;
  initiator::IoStatus status = initiator::IoStatus::Ok;
  initiator::IoKind kind = initiator::IoKind::Read;
  std::uint64_t lba = 0;
  std::uint32_t sectors = 0;
  std::uint8_t ata_status = 0, ata_error = 0, aoe_error = 0;
};

struct WorkloadStats {
  std::uint64_t submitted = 0, completed = 0, failed = 0, refused = 0;
  std::uint64_t reads = 0, writes = 0, flushes = 0;
  std::uint64_t bytes_read = 0, bytes_written = 0;
  std::uint64_t final_reads = 0;
  Nanos latency_max = 0;
  Nanos latency_total = 0;
  Nanos started_at = -1, stopped_at = -1, finished_at = -1;
};

class PlanWorkload {
 public:
  // `devices` are target indexes (plan order) with their addresses; `checker` may be null.
  PlanWorkload(const WorkloadPlan& plan, sim::EngineHost& host, std::vector<proto::DeviceAddress> addresses,
               DurabilityChecker* checker, sim::Rng rng);
  PlanWorkload(const PlanWorkload&) = delete;
  PlanWorkload& operator=(const PlanWorkload&) = delete;

  void start();
  bool started() const { return stats_.started_at >= 0; }
  // Budget spent, nothing in flight, final read-back done.
  bool done() const { return finished_; }
  void on_event(const initiator::Event& e);
  // A FLUSH outside the slots (a plan action); judged by the checker like the slots' ones.
  void flush(std::uint32_t device);

  const WorkloadStats& stats() const { return stats_; }
  // Every failed request, and the time and device of every successful one (successes only after
  // record_successes(true): a long run completes millions, kept only when an expectation counts them).
  const std::vector<IoRecord>& failures() const { return failures_; }
  const std::vector<std::pair<Nanos, std::uint32_t>>& successes() const { return successes_; }
  void record_successes(bool on) { record_successes_ = on; }
  std::uint32_t device_count() const { return static_cast<std::uint32_t>(devices_.size()); }
  std::uint32_t plan_index(std::uint32_t device) const { return devices_[device].plan_index; }

 private:
  enum class SlotState : std::uint8_t { Idle, Busy, Parked };
  struct Slot {
    std::uint32_t device = 0;
    SlotState state = SlotState::Idle;
    initiator::IoKind kind = initiator::IoKind::Read;
    std::uint64_t lba = 0;
    std::uint32_t sectors = 0;
    std::uint64_t token = 0;  // checker write id / flush token / crash epoch of a read
    bool final_read = false;
    Nanos submitted_at = 0;
    std::vector<std::uint8_t> buffer;
  };
  struct Device {
    proto::DeviceAddress address;
    std::uint32_t plan_index = 0;
    std::uint64_t capacity = 0;  // as the engine knows it
    std::uint64_t cursor = 0;    // sequential pattern
    std::uint64_t written_since_flush = 0;
    bool flushing = false;
    bool opened = false;
    bool up = false;
    std::vector<std::pair<std::uint64_t, std::uint32_t>> final_extents;
    std::size_t next_extent = 0;
    bool final_started = false;
  };

  void issue(std::uint32_t slot);
  bool pick(Slot& s, Device& d);
  bool overlaps(std::uint32_t device, std::uint64_t lba, std::uint32_t sectors) const;
  void complete(std::uint32_t slot, const initiator::Event& e);
  bool budget_spent() const;
  void wake_device(std::uint32_t device);
  void check_finished();
  std::uint64_t span_end(const Device& d) const;
  std::uint32_t device_of(proto::DeviceAddress a) const;

  WorkloadPlan plan_;
  sim::EngineHost& host_;
  DurabilityChecker* checker_;
  sim::Rng rng_;
  std::vector<Device> devices_;
  std::vector<Slot> slots_;
  std::vector<IoRecord> failures_;
  std::vector<std::pair<Nanos, std::uint32_t>> successes_;
  struct ExtraFlush {
    std::uint64_t user_data = 0;
    std::uint32_t device = 0;
    std::uint64_t token = 0;
    Nanos submitted_at = 0;
  };
  std::vector<ExtraFlush> extra_flushes_;
  WorkloadStats stats_;
  bool stopping_ = false;
  bool final_phase_ = false;
  bool finished_ = false;
  bool record_successes_ = false;
  std::uint32_t busy_ = 0;
  std::uint64_t next_user_data_base_ = 1ull << 32;  // extra flushes (actions) use ids above the slots
};

}  // namespace aoeh::faults
