#pragma once
// The simulator in one object: builds an engine + reference-target topology, discovers the
// targets, runs an I/O workload and summarises. `aoeh sim`, scenarios and benchmarks start here.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "initiator/engine.hpp"
#include "sim/engine_host.hpp"
#include "sim/simulator.hpp"
#include "sim/target_host.hpp"
#include "sim/topology.hpp"
#include "sim/workload.hpp"

namespace aoeh::sim {

struct SimulationConfig {
  std::uint64_t seed = 1;
  // Default: 1 initiator with 2 ports, 2 paths (MTU 1500), 4 targets with a port on each path.
  TopologySpec topology = default_topology();
  target::TargetConfig target = default_target();   // every target starts from this (ports, address set per target)
  initiator::EngineConfig engine;                   // ports are set from the topology
  double loss = 0.0;                                // random loss on every link, both directions
  WorkloadSpec workload;
  Nanos discovery_deadline = 30 * kSecond;          // simulated
  Nanos workload_deadline = 3600 * kSecond;         // simulated
  std::string pcap_path;                            // when set: capture initiator 0's NICs

  static TopologySpec default_topology();
  static target::TargetConfig default_target();
};

struct SimulationSummary {
  std::uint32_t targets = 0;
  std::uint32_t devices_found = 0;  // in initiator 0's table
  std::uint32_t devices_up = 0;
  bool discovery_complete = false;
  WorkloadResult io;
  bool io_complete = false;
  std::uint64_t retransmits = 0;
  std::uint64_t timeouts = 0;
  std::uint64_t frames_sent = 0;
  std::uint64_t frames_received = 0;
  std::uint64_t frames_dropped = 0;   // by links (queue, impairment, down) and switches (MTU)
  std::uint64_t events = 0;
  std::uint64_t event_hash = 0;
  Nanos discovery_time = 0;           // simulated time when the last device came up
  Nanos simulated_time = 0;
  double wall_seconds = 0;
};

class Simulation {
 public:
  explicit Simulation(SimulationConfig config);
  ~Simulation();

  Simulator& simulator() { return sim_; }
  const Topology& topology() const { return topology_; }
  const SimulationConfig& config() const { return config_; }
  EngineHost& initiator(std::size_t index = 0) const;
  TargetHost& target(std::size_t index) const;
  std::vector<proto::DeviceAddress> target_addresses() const;

  // Runs until initiator 0 has every target up (true), or until the discovery deadline (false).
  bool discover();
  std::uint32_t devices_up() const;
  // Runs config().workload on initiator 0 over every device that is up.
  WorkloadResult run_workload(bool* complete = nullptr);
  // discover() then run_workload(), timed.
  SimulationSummary run();
  SimulationSummary summary() const;

 private:
  SimulationConfig config_;
  Simulator sim_;
  Topology topology_;
  std::unique_ptr<Workload> workload_;
  SimulationSummary last_;
};

}  // namespace aoeh::sim
