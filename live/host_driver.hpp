#pragma once
// Runs a simulator host (sim::Host) on real interfaces: frames from RawPorts go to host.receive,
// the host's wake_at requests become a steady timer, its transmits go into the ports' send
// batches. Time given to the host counts from the driver's construction, so a fault plan's `at`/`for` windows apply
// as written. `aoeh serve --plan` runs the faulty reference target (faults/faulty_target.hpp) so.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <list>
#include <memory>
#include <vector>

#include "live/clock.hpp"
#include "live/loop_options.hpp"
#include "live/raw_port.hpp"
#include "live/stop_signals.hpp"
#include "sim/host.hpp"

namespace aoeh::live {

class HostDriver final : public sim::HostRuntime {
 public:
  // ports[i] is the host's port i; host and ports must outlive the driver.
  HostDriver(boost::asio::io_context& io, sim::Host& host, std::vector<RawPort>& ports, LiveDriverOptions options = {});
  ~HostDriver() override;
  HostDriver(const HostDriver&) = delete;
  HostDriver& operator=(const HostDriver&) = delete;

  void start();  // attaches and starts the host
  RunOutcome run_until(const std::function<bool()>& done, Nanos deadline = sim::kNever);
  int signal_number() const { return signals_ ? signals_->received() : 0; }
  std::uint64_t transmit_errors() const { return transmit_errors_; }

  // sim::HostRuntime
  bool send(std::uint32_t port, std::span<const std::uint8_t> frame) override;
  void set_timer(Nanos time) override;
  Nanos now() const override { return monotonic_now() - start_; }
  // Runs `action` at host time `when` (e.g. a plan's setting change), then flushes what it sent.
  void at(Nanos when, std::function<void()> action) override;

 private:
  void arm_receive(std::size_t port);
  void on_readable(std::size_t port);
  void flush();
  void arm_link_check();

  boost::asio::io_context& io_;
  sim::Host& host_;
  std::vector<RawPort>& ports_;
  LiveDriverOptions options_;
  boost::asio::steady_timer timer_;
  Nanos timer_at_ = sim::kNever;
  boost::asio::steady_timer link_timer_;
  std::list<boost::asio::steady_timer> action_timers_;
  std::unique_ptr<StopSignals> signals_;
  std::vector<bool> receiving_;
  Nanos start_ = 0;
  bool started_ = false;
  std::uint64_t transmit_errors_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aoeh::live
