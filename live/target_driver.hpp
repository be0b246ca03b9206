#pragma once
// Runs the reference target (sim/target) on real interfaces: frames in from RawPorts, service-time
// completions from a steady timer at target.next_timeout(), replies out through the ports' send
// batches. An MTU change on a port is passed on (the target advertises sectors from it).
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <memory>
#include <vector>

#include "live/clock.hpp"
#include "live/loop_options.hpp"
#include "live/raw_port.hpp"
#include "live/stop_signals.hpp"
#include "sim/target/target.hpp"

namespace aoeh::live {

// Target ports (MAC, MTU) in port order, from open RawPorts.
std::vector<target::TargetPort> target_ports(const std::vector<RawPort>& ports);

class TargetDriver {
 public:
  // ports[i] is the target's port i; both must outlive the driver.
  TargetDriver(boost::asio::io_context& io, target::Target& target, std::vector<RawPort>& ports,
               LiveDriverOptions options = {});
  ~TargetDriver();
  TargetDriver(const TargetDriver&) = delete;
  TargetDriver& operator=(const TargetDriver&) = delete;

  void start();  // target.start(now): announcements go out
  RunOutcome run_until(const std::function<bool()>& done, Nanos deadline = target::kNever);
  int signal_number() const { return signals_ ? signals_->received() : 0; }
  std::uint64_t transmit_errors() const { return transmit_errors_; }

 private:
  void drain_and_flush();
  void arm_receive(std::size_t port);
  void on_readable(std::size_t port);
  void arm_timer();
  void arm_link_check();

  boost::asio::io_context& io_;
  target::Target& target_;
  std::vector<RawPort>& ports_;
  LiveDriverOptions options_;
  boost::asio::steady_timer timer_;
  Nanos timer_at_ = target::kNever;
  boost::asio::steady_timer link_timer_;
  std::unique_ptr<StopSignals> signals_;
  std::vector<bool> receiving_;
  bool started_ = false;
  std::uint64_t transmit_errors_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aoeh::live
