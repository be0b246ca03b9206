#pragma once
// The network a plan runs on, as the plan runner (faults/scenario.cpp) sees it: hosts cabled to
// one switch per path, calls at simulated times, NIC, cable and switch-port control, link faults
// and the network's counters. The runner owns everything else (the hosts' configuration, the
// fault schedule, the timeline, the expectations, the results), so the in-process simulator
// (make_sim_backend, faults/sim_backend.cpp) and ns-3 (sim/ns3/ns3_plan_backend.cpp) run a plan
// the same way. Ports are numbered in the order hosts add them: Plan::port_ref's order.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "faults/link_faults.hpp"
#include "faults/plan.hpp"
#include "protocol/mac_address.hpp"
#include "sim/host.hpp"
#include "sim/nic.hpp"

namespace aoeh::faults {

// One direction of a port's cable: toward its host (switch egress) or from it (switch ingress).
struct CableDir {
  std::uint32_t port = 0;
  bool toward_host = false;
};

class PlanBackend {
 public:
  virtual ~PlanBackend() = default;

  // ---- the world
  // Adds `host` with one NIC per entry of `ports` (MAC `macs[k]`), each cabled to a new port of
  // its path's switch.
  virtual void add_host(std::unique_ptr<sim::Host> host, const std::vector<PortPlan>& ports,
                        const std::vector<proto::MacAddress>& macs) = 0;
  // Frames sent and received by ports [0, ports) go to a pcap file; false (and *error) if it
  // cannot be written.
  virtual bool capture(const std::string& path, std::size_t ports, std::string* error) = 0;

  // ---- time
  virtual Nanos now() const = 0;
  virtual void at(Nanos time, std::function<void()> action) = 0;
  // Starts the hosts (before the first run_until).
  virtual void start() = 0;
  // Runs until `done()` holds or the clock reaches `deadline`. done() is checked before the first
  // event and after events that may change it: every event, or at least every action of at() and
  // every poll().
  virtual void run_until(const std::function<bool()>& done, Nanos deadline) = 0;
  // The runner's state changed inside an event (an engine event): check run_until's done() now.
  virtual void poll() {}
  // After the last run: flush captures, settle the counters of faults still active.
  virtual void finish() = 0;

  // ---- control (port: Plan::port_ref index)
  virtual void set_nic_up(std::uint32_t port, bool up) = 0;
  virtual void set_nic_mtu(std::uint32_t port, std::uint32_t mtu) = 0;
  virtual void set_nic_mac(std::uint32_t port, const proto::MacAddress& mac) = 0;
  virtual void set_cable_up(std::uint32_t port, bool up) = 0;
  // The switch port's MTU for frames toward its host (egress) or from it (ingress).
  virtual void set_switch_port_mtu(CableDir dir, std::uint32_t mtu) = 0;
  // Installs plan fault `index`, a link impairment (is_link_impairment), on the cable directions
  // `dirs` of its site. The runner calls `begin` and `end` (each may be empty) when the fault
  // starts and ends.
  struct FaultHooks {
    std::function<void()> begin, end;
  };
  virtual FaultHooks add_link_fault(std::size_t index, const FaultPlan& fault, const std::vector<CableDir>& dirs) = 0;

  // ---- results
  // What link fault `index` did, added into `stats`.
  virtual void add_link_fault_stats(std::size_t index, FaultStats& stats) const = 0;
  virtual const sim::NicCounters& nic_counters(std::uint32_t port) const = 0;
  // link.<name>.{out,in}.* and switch.<path>.<name>.* of one port.
  virtual void add_cable_metrics(std::map<std::string, double>& metrics, std::uint32_t port, const std::string& name,
                                 const std::string& path) const = 0;
  virtual std::uint64_t events() const = 0;
  // The event-log hash; nullopt when the backend has none (the runner folds the engine's events).
  virtual std::optional<std::uint64_t> event_hash() const = 0;
  virtual std::uint64_t frames_captured() const = 0;
};

// The in-process simulator (sim::Simulator) for `plan`, seeded with `seed`.
std::unique_ptr<PlanBackend> make_sim_backend(const Plan& plan, std::uint64_t seed);

}  // namespace aoeh::faults
