#pragma once
// An I/O workload over an IoSubmitter (EngineHost, or the ns-3 engine app): for each device, `queue_depth` slots walk through regions of
// `sectors` sectors starting at `first_lba`; in verify mode each region is written with a pattern
// derived from (seed, device, lba), read back and compared; in read mode each region is only read.
#include <cstdint>
#include <vector>

#include "protocol/device_address.hpp"
#include "sim/io_submitter.hpp"

namespace aoeh::sim {

struct WorkloadSpec {
  enum class Mode : std::uint8_t { WriteReadVerify, ReadOnly };
  Mode mode = Mode::WriteReadVerify;
  std::uint32_t regions_per_device = 32;  // 0: unbounded (run until stopped; for benchmarks)
  std::uint32_t sectors = 8;
  std::uint32_t queue_depth = 4;          // requests outstanding per device
  std::uint64_t first_lba = 0;
  std::uint64_t seed = 1;
};

struct WorkloadResult {
  std::uint64_t submitted = 0;
  std::uint64_t completed = 0;        // completed with IoStatus::Ok
  std::uint64_t failed = 0;           // completed with another status, or refused by submit
  std::uint64_t verify_errors = 0;    // regions read back different from what was written
  std::uint64_t bytes_written = 0;
  std::uint64_t bytes_read = 0;
  std::uint64_t regions_done = 0;
};

// Fills `out` (a multiple of 512 bytes) with the pattern of (seed, device, lba...).
void fill_pattern(std::uint64_t seed, proto::DeviceAddress device, std::uint64_t lba, std::span<std::uint8_t> out);

class Workload {
 public:
  Workload(IoSubmitter& host, std::vector<proto::DeviceAddress> devices, WorkloadSpec spec);
  Workload(const Workload&) = delete;
  Workload& operator=(const Workload&) = delete;

  void start();                      // submits the first request of every slot
  void stop() { stopping_ = true; }  // slots finish their current request and go idle
  // Feed every engine event here (EngineHost::set_event_handler).
  void on_event(const initiator::Event& e);
  bool done() const { return active_slots_ == 0; }
  const WorkloadResult& result() const { return result_; }

 private:
  struct Slot {
    std::uint32_t device = 0;
    std::uint64_t region = 0;        // index of the region this slot works on
    bool reading = false;
    bool active = false;
    std::vector<std::uint8_t> buffer;
  };
  void issue(std::uint32_t slot_index);
  void finish(Slot& s);

  IoSubmitter& host_;
  std::vector<proto::DeviceAddress> devices_;
  WorkloadSpec spec_;
  std::vector<Slot> slots_;
  std::vector<std::uint8_t> expected_;
  std::uint32_t active_slots_ = 0;
  bool stopping_ = false;
  WorkloadResult result_;
};

}  // namespace aoeh::sim
