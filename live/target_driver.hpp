#pragma once
// Runs the reference target (sim/target) on real interfaces: frames in from RawPorts, service-time
// completions from a steady timer at target.next_timeout(), replies out through the ports' send
// batches. An MTU change on a port is passed on (the target advertises sectors from it).
#include <boost/asio/io_context.hpp>

#include <vector>

#include "live/clock.hpp"
#include "live/loop_options.hpp"
#include "live/port_driver.hpp"
#include "live/raw_port.hpp"
#include "sim/target/target.hpp"

namespace aoeh::live {

// Target ports (MAC, MTU) in port order, from open RawPorts.
std::vector<target::TargetPort> target_ports(const std::vector<RawPort>& ports);

// start() (PortDriver) runs target.start(now): announcements go out; then run_until.
class TargetDriver final : public PortDriver {
 public:
  // ports[i] is the target's port i; both must outlive the driver.
  TargetDriver(boost::asio::io_context& io, target::Target& target, std::vector<RawPort>& ports,
               LiveDriverOptions options = {});

 private:
  void on_start() override;
  void on_frames(std::size_t port, std::span<const RawPort::Frame> frames) override;
  void on_frames_done(std::size_t port, int error) override;
  void on_links_checked(std::span<const LinkCheck> checks) override;
  void on_wakeup() override;
  void enqueue_transmits();
  void drain_and_flush();

  target::Target& target_;
};

}  // namespace aoeh::live
