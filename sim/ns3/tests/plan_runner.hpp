#pragma once
// Runs one fault plan on either backend and collects what the cross-check compares. The faults are
// configured directly through each backend's own API (the same physical meaning on both).
#include <cstdint>
#include <string>
#include <vector>

#include "initiator/types.hpp"
#include "sim/simulation.hpp"

namespace aoeh::sim::testing {

struct Plan {
  std::string name;
  int loss_path = -1;          // random loss on every cable into this path, from the workload's start
  double loss = 0;
  int down_path = -1;          // this path goes down `fault_after` after the workload starts
  int hang_target = -1;        // this target hangs (crashes silent) `fault_after` after the workload starts
  Nanos fault_after = 300 * kMicrosecond;
  std::uint32_t initiator_mtu = 0;  // 0: path MTU; else the NIC MTU (MTU mismatch when above the path's)
  std::uint32_t target_mtu = 0;
  std::uint64_t seed_salt = 0;      // varies the seed (and the in-process loss streams)
};

struct Outcome {
  SimulationSummary summary;
  std::vector<initiator::Event> events;  // initiator 0, in order
  std::vector<std::uint64_t> disks;      // per target: hash of the workload's sectors
};

SimulationConfig plan_config(const Plan& plan);
Outcome run_in_process(const Plan& plan);
Outcome run_ns3(const Plan& plan);

// Device-level events only (kind, device): the order the cross-check requires to match.
std::vector<std::pair<initiator::EventKind, std::uint32_t>> device_events(const std::vector<initiator::Event>& events);

}  // namespace aoeh::sim::testing
