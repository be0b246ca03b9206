#pragma once
// A host in the simulated world: something with NICs that reacts to frames and timers. The engine,
// the reference target and raw probe ports are hosts. Frames passed to receive() are only valid
// for the duration of the call.
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "sim/nic.hpp"
#include "sim/time.hpp"

namespace aoeh::sim {

class Simulator;

// Hosts normally live in a Simulator. Another backend (sim/ns3) runs the same host objects by
// attaching a runtime: frames, timers, the clock and scripted calls then go through it instead.
class HostRuntime {
 public:
  virtual ~HostRuntime() = default;
  virtual bool send(std::uint32_t port, std::span<const std::uint8_t> frame) = 0;
  virtual void set_timer(Nanos time) = 0;
  virtual Nanos now() const = 0;
  virtual void at(Nanos time, std::function<void()> action) = 0;
};

class Host {
 public:
  virtual ~Host() = default;

  // Called once when the simulation starts (or when added to a running one).
  virtual void start(Nanos now) { (void)now; }
  // A frame arrived on this host's NIC number `port` (index into nics()).
  virtual void receive(std::uint32_t port, std::span<const std::uint8_t> frame, Nanos now) = 0;
  // The time asked for with wake_at() has come.
  virtual void timer(Nanos now) { (void)now; }
  // A NIC of this host went up/down or changed MTU.
  virtual void port_changed(std::uint32_t port, bool up, std::uint32_t mtu, Nanos now) {
    (void)port, (void)up, (void)mtu, (void)now;
  }

  Simulator& simulator() const { return *sim_; }
  // The time of the world this host lives in, and a scripted call at `time` in it (allocates).
  Nanos now() const;
  void at(Nanos time, std::function<void()> action);
  // Runs this host outside a Simulator (before it is added to one; the runtime outlives it).
  void attach(HostRuntime* runtime) { runtime_ = runtime; }
  HostId id() const { return id_; }
  const std::vector<NicId>& nics() const { return nics_; }

 protected:
  // Sends a frame from NIC number `port` now. False when the NIC refused it (down, MTU, no link).
  bool transmit(std::uint32_t port, std::span<const std::uint8_t> frame);
  // Asks for timer(now) at `time` (the latest request wins; kNever cancels).
  void wake_at(Nanos time);

 private:
  friend class Simulator;
  Simulator* sim_ = nullptr;
  HostRuntime* runtime_ = nullptr;
  HostId id_ = 0;
  std::vector<NicId> nics_;
};

}  // namespace aoeh::sim
