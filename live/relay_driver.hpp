#pragma once
// The real-time loop of `aoeh relay`: AoE frames read from ports A and B go through a RelayCore
// (faults) and leave on the other port when due; a steady timer wakes the loop for held frames.
// The core never sees the clock: the driver passes nanoseconds since start().
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <memory>

#include "live/clock.hpp"
#include "live/loop_options.hpp"
#include "live/raw_port.hpp"
#include "live/relay_core.hpp"
#include "live/stop_signals.hpp"

namespace aoeh::live {

struct RelayDriverOptions {
  bool handle_signals = true;                // SIGINT/SIGTERM end run_until (Interrupted)
  std::size_t max_batches_per_wakeup = 16;   // bounds one port's turn so the other is not starved
  Nanos progress_interval = 0;               // > 0: call the progress callback this often
};

// Port options for a relay: promiscuous, frames for other hosts accepted.
RawPortOptions relay_port_options();

class RelayDriver {
 public:
  // a and b must outlive the driver. Frames from a travel AtoB, from b BtoA.
  RelayDriver(boost::asio::io_context& io, RawPort& a, RawPort& b, RelayCore& core, RelayDriverOptions options = {});
  ~RelayDriver();
  RelayDriver(const RelayDriver&) = delete;
  RelayDriver& operator=(const RelayDriver&) = delete;

  void set_progress(std::function<void()> progress) { progress_ = std::move(progress); }
  // Relays until `done`, the (absolute, monotonic) deadline or a stop signal.
  RunOutcome run_until(const std::function<bool()>& done, Nanos deadline = sim::kNever);
  Nanos elapsed() const { return monotonic_now() - start_; }
  int signal_number() const { return signals_ ? signals_->received() : 0; }

  // Frames the core released that the outgoing port could not take (too big for its MTU, or its
  // queue stayed full), per direction.
  std::uint64_t send_failures(RelayDirection d) const { return send_failures_[static_cast<std::size_t>(d)]; }

 private:
  RawPort& port_from(RelayDirection d) { return d == RelayDirection::AtoB ? a_ : b_; }
  RawPort& port_to(RelayDirection d) { return d == RelayDirection::AtoB ? b_ : a_; }
  void start();
  void arm_receive(RelayDirection from);
  void on_readable(RelayDirection from);
  void drain();
  void arm_timer();
  void arm_progress();

  boost::asio::io_context& io_;
  RawPort& a_;
  RawPort& b_;
  RelayCore& core_;
  RelayDriverOptions options_;
  boost::asio::steady_timer timer_;
  Nanos timer_at_ = sim::kNever;  // relay time the timer is set for
  boost::asio::steady_timer progress_timer_;
  std::function<void()> progress_;
  std::unique_ptr<StopSignals> signals_;
  Nanos start_ = 0;
  bool started_ = false;
  bool receiving_[kRelayDirections] = {false, false};
  std::uint64_t send_failures_[kRelayDirections] = {0, 0};
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aoeh::live
