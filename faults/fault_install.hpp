#pragma once
// Installs one fault of a plan's faults[] on a world: the start/end actions of every fault type
// (setting changes, cable holds, flaps, crashes, MAC/address changes, another host's commands),
// shared by the plan runner (faults/scenario.cpp) and the Python World.inject
// (bindings/fault_injection.cpp). Each of them says once, through FaultWorld, how its world does
// the few things the faults need.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "faults/faulty_target.hpp"
#include "faults/link_faults.hpp"
#include "faults/plan.hpp"
#include "faults/plan_backend.hpp"
#include "protocol/mac_address.hpp"

namespace aoeh::faults {

// The world a fault acts on. `fault` is the caller's number for the fault being installed; the
// site-relative calls act on that fault's site (its target, its cables, its port).
class FaultWorld {
 public:
  virtual ~FaultWorld() = default;

  virtual Nanos now() const = 0;
  virtual void at(Nanos time, std::function<void()> action) = 0;
  // The fault starts (start) or ends: record it.
  virtual void note_edge(std::size_t fault, bool start) = 0;
  // One more of `counter` (flaps, crashes) in the fault's stats.
  virtual void count(std::size_t fault, const std::string& counter) = 0;

  // The site's target.
  virtual FaultyTargetHost& target(std::size_t fault) = 0;
  virtual void target_crashed(std::size_t /*fault*/) {}
  // Frame faults (is_frame_fault) on the site's target, link impairments (is_link_impairment) on
  // the site's cable directions.
  virtual void add_frame_fault(std::size_t fault, const FaultPlan& f, Window w) = 0;
  virtual PlanBackend::FaultHooks add_link_fault(std::size_t fault, const FaultPlan& f) = 0;
  // One more (down) or one fewer hold on every cable of the site: a cable is up without holds.
  virtual void hold_cables_down(std::size_t fault, bool down) = 0;
  // The switch port of the site (a SwitchPort site): its MTU now, and changing it for frames
  // toward its host (egress) or from it (ingress).
  virtual std::uint32_t switch_port_mtu(std::size_t fault) const = 0;
  virtual void set_switch_port_mtu(std::size_t fault, bool toward_host, std::uint32_t mtu) = 0;
  // The initiator port of the site.
  virtual void set_port_up(std::size_t fault, bool up) = 0;
  virtual std::uint32_t port_mtu(std::size_t fault) const = 0;
  virtual void set_port_mtu(std::size_t fault, std::uint32_t mtu) = 0;
  // The NIC behind port `port` of the site's target.
  virtual void set_target_nic_mac(std::size_t fault, std::uint32_t port, const proto::MacAddress& mac) = 0;
};

// Installs `f` on `w` as fault number `fault`: its actions run at f.at and, with a duration, at
// its end. `w` must outlive the actions.
void install_fault(FaultWorld& w, std::size_t fault, const FaultPlan& f);

// Holds on cables (by the caller's cable id): overlapping down faults, flaps and manual downs
// each hold a cable down, and it comes up when the last hold ends.
class CableHolds {
 public:
  // True when the cable goes down (its first hold).
  bool hold(std::uint64_t cable) { return holds_[cable]++ == 0; }
  // True when the cable comes up (its last hold ended).
  bool release(std::uint64_t cable) {
    const auto it = holds_.find(cable);
    return it != holds_.end() && it->second > 0 && --it->second == 0;
  }

 private:
  std::map<std::uint64_t, std::uint32_t> holds_;
};

}  // namespace aoeh::faults
