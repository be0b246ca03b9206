#pragma once
// The ns-3 backend: the same SimulationConfig as sim::Simulation, the same engine and reference
// target, but frames cross ns-3 SimpleNetDevices (Ethernet II, ethertype 0x88A2) and time is ns-3's.
// Each path is one SimpleChannel (an ideal switch: frames reach the addressed host, broadcasts reach
// all); per-receiver error models enforce the path MTU, loss, burst loss and link down. ns-3 keeps
// global state, so only one Ns3Simulation may exist at a time (the constructor throws otherwise).
// No ns-3 header leaks from here: the rest of the tree stays free of ns-3 includes.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "initiator/types.hpp"
#include "sim/simulation.hpp"
#include "sim/target/target.hpp"

namespace aoeh::sim {

class Ns3Simulation {
 public:
  explicit Ns3Simulation(SimulationConfig config);
  ~Ns3Simulation();
  Ns3Simulation(const Ns3Simulation&) = delete;
  Ns3Simulation& operator=(const Ns3Simulation&) = delete;

  const SimulationConfig& config() const;
  Nanos now() const;

  // Same contract as sim::Simulation.
  bool discover();
  WorkloadResult run_workload(bool* complete = nullptr);
  SimulationSummary run();
  SimulationSummary summary() const;
  std::uint32_t devices_up() const;

  initiator::Engine& engine(std::size_t initiator = 0);
  target::Target& target(std::size_t index);
  // Every event initiator 0's engine raised, in order.
  const std::vector<initiator::Event>& events() const;
  std::uint32_t initiator_port_count() const;

  // Runs `action` at simulated time `time` (absolute, >= now()) while the simulation runs.
  void at(Nanos time, std::function<void()> action);
  // Link faults on every host's cable into `path`, both directions, as ns-3 error models.
  void set_path_loss(std::uint32_t path, double probability);           // RateErrorModel, per cable
  void set_path_burst_loss(std::uint32_t path, double burst_rate,       // BurstErrorModel
                           std::uint32_t min_burst, std::uint32_t max_burst);
  void set_path_rate(std::uint32_t path, std::uint64_t bits_per_second);  // SimpleNetDevice DataRate
  void set_path_mtu(std::uint32_t path, std::uint32_t mtu);             // receive error model
  void set_path_up(std::uint32_t path, bool up);                        // drop everything while down

  // Link faults ns-3 can express here, by the names the fault plans use. Anything else must be
  // rejected by the caller with unsupported_fault_message().
  static bool supports_fault(std::string_view kind);
  static std::string unsupported_fault_message(std::string_view kind);

 private:
  void build();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace aoeh::sim
