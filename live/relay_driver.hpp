#pragma once
// The real-time loop of `aoeh relay`: AoE frames read from ports A and B go through a RelayCore
// (faults) and leave on the other port when due; a steady timer wakes the loop for held frames.
// The core never sees the clock: the driver passes nanoseconds since start().
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>

#include "live/clock.hpp"
#include "live/loop_options.hpp"
#include "live/port_driver.hpp"
#include "live/raw_port.hpp"
#include "live/relay_core.hpp"

namespace aoeh::live {

struct RelayDriverOptions {
  bool handle_signals = true;                // SIGINT/SIGTERM end run_until (Interrupted)
  std::size_t max_batches_per_wakeup = 16;   // bounds one port's turn so the other is not starved
  Nanos progress_interval = 0;               // > 0: call the progress callback this often
};

// Port options for a relay: promiscuous, frames for other hosts accepted.
RawPortOptions relay_port_options();

// run_until (PortDriver) relays until `done`, the (absolute, monotonic) deadline or a stop signal.
class RelayDriver final : public PortDriver {
 public:
  // a and b must outlive the driver. Frames from a (port 0) travel AtoB, from b (port 1) BtoA.
  RelayDriver(boost::asio::io_context& io, RawPort& a, RawPort& b, RelayCore& core, RelayDriverOptions options = {});

  void set_progress(std::function<void()> progress) { progress_ = std::move(progress); }
  Nanos elapsed() const { return monotonic_now() - start_; }

  // Frames the core released that the outgoing port could not take (too big for its MTU, or its
  // queue stayed full), per direction.
  std::uint64_t send_failures(RelayDirection d) const { return send_failures_[static_cast<std::size_t>(d)]; }

 private:
  RawPort& port_to(RelayDirection d) { return d == RelayDirection::AtoB ? b_ : a_; }
  void on_start() override;
  void on_frames(std::size_t port, std::span<const RawPort::Frame> frames) override;
  void on_frames_done(std::size_t port, int error) override;
  void on_wakeup() override { drain(); }
  void drain();
  void arm_progress();

  RawPort& a_;
  RawPort& b_;
  RelayCore& core_;
  RelayDriverOptions options_;
  boost::asio::steady_timer progress_timer_;
  std::function<void()> progress_;
  Nanos start_ = 0;
  std::uint64_t send_failures_[kRelayDirections] = {0, 0};
};

}  // namespace aoeh::live
