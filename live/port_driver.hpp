#pragma once
// The Boost.Asio plumbing every live driver shares: a readiness wait armed on each RawPort's
// socket, the port's frames drained in batches when it fires, a periodic re-read of every port's
// interface facts, one wake-up timer, the send batches, SIGINT/SIGTERM and the wait loop.
// Subclasses (LiveDriver, TargetDriver, HostDriver, RelayDriver) say what a batch of frames, a
// wake-up and a port's new facts mean.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <span>
#include <vector>

#include "live/clock.hpp"
#include "live/interface_info.hpp"
#include "live/loop_options.hpp"
#include "live/raw_port.hpp"
#include "live/stop_signals.hpp"

namespace aoeh::live {

class PortDriver {
 public:
  PortDriver(const PortDriver&) = delete;
  PortDriver& operator=(const PortDriver&) = delete;

  // Once: on_start(), then every port's receive wait and the periodic link check.
  void start();
  // start(), then runs the io_context until `done()` holds (checked after every handler),
  // `deadline` (monotonic Nanos; the maximum for none) passes, or a stop signal arrives.
  RunOutcome run_until(const std::function<bool()>& done, Nanos deadline = std::numeric_limits<Nanos>::max());
  int signal_number() const { return signals_ ? signals_->received() : 0; }
  // Frames sent to a port the driver does not have.
  std::uint64_t transmit_errors() const { return transmit_errors_; }

 protected:
  static constexpr Nanos kNoWakeup = std::numeric_limits<Nanos>::max();

  // ports[i] is port i and must outlive the driver. A link_check_interval <= 0 turns the periodic
  // link check off.
  PortDriver(boost::asio::io_context& io, std::vector<RawPort*> ports, LiveDriverOptions options);
  PortDriver(boost::asio::io_context& io, std::vector<RawPort>& ports, LiveDriverOptions options);
  // Cancels the waits; handlers still queued then find the driver gone and do nothing.
  ~PortDriver();

  // What the subclass starts before the ports listen (its engine, target or host).
  virtual void on_start() = 0;
  // A batch of frames arrived on `port`; the views live until the next batch. Up to
  // max_batches_per_wakeup batches come per wakeup.
  virtual void on_frames(std::size_t port, std::span<const RawPort::Frame> frames) = 0;
  // The wakeup's batches are in; `error` is the port's last errno (ENETDOWN once after its link
  // went away) or 0. The port's wait is re-armed after this returns.
  virtual void on_frames_done(std::size_t port, int error) = 0;
  // What check_links found on one port: `before` is what the port knew, `after` what holds now
  // (the port's own facts; null when the interface vanished).
  struct LinkCheck {
    InterfaceInfo before;
    const InterfaceInfo* after = nullptr;
  };
  // check_links re-read every port; checks[i] is port i.
  virtual void on_links_checked(std::span<const LinkCheck> checks);
  // The time set with wake_at has come.
  virtual void on_wakeup() = 0;

  // Re-reads every port's interface facts now (the periodic check calls it too).
  void check_links();
  // Calls on_wakeup at monotonic time `at` (kNoWakeup: never). With keep_earlier a pending earlier
  // expiry stays, for a hook that acts only on what is due and sets the next time itself: firing
  // early costs a wakeup, re-arming on every later deadline a timerfd update.
  void wake_at(Nanos at, bool keep_earlier);
  // Copies `frame` into port `port`'s send batch; false when the port cannot take it or the driver
  // has no such port (counted in transmit_errors).
  bool enqueue(std::size_t port, RawPort::Frame frame);
  // Every port's batch leaves (one sendmmsg each). True when a port had an error since the last
  // look (a refused send or failed receive; taken, so on_frames_done then sees 0).
  bool flush_all();

  boost::asio::io_context& io() { return io_; }
  // For the subclass's own timers: a handler whose weak pointer has expired must do nothing.
  std::weak_ptr<bool> alive() const { return alive_; }

 private:
  void arm_receive(std::size_t port);
  void on_readable(std::size_t port);
  void arm_link_check();

  boost::asio::io_context& io_;
  std::vector<RawPort*> ports_;
  LiveDriverOptions options_;
  boost::asio::steady_timer link_timer_;
  boost::asio::steady_timer wake_timer_;
  Nanos wake_at_ = kNoWakeup;
  std::unique_ptr<StopSignals> signals_;
  // A wait is pending on port i. Kept here, not in RawPort: the wait dies with its driver (its
  // cancelled handler never clears anything), and the next driver on the port must arm its own.
  std::vector<bool> receiving_;
  std::vector<LinkCheck> link_checks_;  // check_links' findings, reused
  bool started_ = false;
  std::uint64_t transmit_errors_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aoeh::live
