#pragma once
// Runs a simulator host (sim::Host) on real interfaces: frames from RawPorts go to host.receive,
// the host's wake_at requests become a steady timer, its transmits go into the ports' send
// batches. Time given to the host counts from the driver's construction, so a fault plan's `at`/`for` windows apply
// as written. `aoeh serve --plan` runs the faulty reference target (faults/faulty_target.hpp) so.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <list>
#include <vector>

#include "live/clock.hpp"
#include "live/loop_options.hpp"
#include "live/port_driver.hpp"
#include "live/raw_port.hpp"
#include "sim/host.hpp"

namespace aoeh::live {

// start() (PortDriver) attaches and starts the host; then run_until.
class HostDriver final : public PortDriver, public sim::HostRuntime {
 public:
  // ports[i] is the host's port i; host and ports must outlive the driver.
  HostDriver(boost::asio::io_context& io, sim::Host& host, std::vector<RawPort>& ports, LiveDriverOptions options = {});

  // sim::HostRuntime
  bool send(std::uint32_t port, std::span<const std::uint8_t> frame) override;
  void set_timer(Nanos time) override;
  Nanos now() const override { return monotonic_now() - start_; }
  // Runs `action` at host time `when` (e.g. a plan's setting change), then flushes what it sent.
  void at(Nanos when, std::function<void()> action) override;

 private:
  void on_start() override;
  void on_frames(std::size_t port, std::span<const RawPort::Frame> frames) override;
  void on_frames_done(std::size_t port, int error) override;
  void on_links_checked(std::span<const LinkCheck> checks) override;
  void on_wakeup() override;

  sim::Host& host_;
  std::list<boost::asio::steady_timer> action_timers_;
  Nanos start_ = 0;
};

}  // namespace aoeh::live
