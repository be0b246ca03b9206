#pragma once
// Runs the reference target (sim/target) as a simulated host: frames and timeouts go in, whatever
// poll_transmit() yields goes out on the matching NIC, and the host sleeps until next_timeout().
#include <cstdint>
#include <functional>

#include "sim/host.hpp"
#include "sim/target/target.hpp"
#include "sim/topology.hpp"

namespace aoeh::sim {

class TargetHost final : public Host {
 public:
  explicit TargetHost(target::TargetConfig config) : target_(std::move(config)) {}

  // Direct access for scenario steps (crash, resize, defects...). Call pump() after a change that
  // may queue frames or move the next timeout.
  target::Target& target() { return target_; }
  const target::Target& target() const { return target_; }
  void pump();

  void start(Nanos now) override;
  void receive(std::uint32_t port, std::span<const std::uint8_t> frame, Nanos now) override;
  void timer(Nanos now) override;
  void port_changed(std::uint32_t port, bool up, std::uint32_t mtu, Nanos now) override;

  // A topology factory: target t gets `base` with its NICs as ports and shelf.slot from
  // target_address(spec, t); `customize` (optional) may adjust each config further.
  static HostFactory factory(const TopologySpec& spec, target::TargetConfig base,
                             std::function<void(std::uint32_t index, target::TargetConfig&)> customize = {});

 private:
  void drain(Nanos now);
  target::Target target_;
};

}  // namespace aoeh::sim
