#pragma once
// The real-time driver: pumps a sans-IO initiator::Engine on a boost::asio::io_context. Frames come
// in from RawPorts (batched), handle_timeout fires from a steady timer at engine.next_timeout(),
// poll_transmit goes out through the ports' send batches, and events reach one handler. Link state
// is re-read periodically and after send errors, and told to the engine with set_port.
// SIGINT/SIGTERM end run_until with Interrupted; the engine and its results stay intact.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <memory>
#include <vector>

#include "initiator/engine.hpp"
#include "live/clock.hpp"
#include "live/loop_options.hpp"
#include "live/raw_port.hpp"
#include "live/stop_signals.hpp"

namespace aoeh::live {

// Port list for EngineConfig::ports, in PortId order, from open RawPorts.
std::vector<initiator::PortConfig> engine_ports(const std::vector<RawPort>& ports);

class LiveDriver {
 public:
  using EventHandler = std::function<void(const initiator::Event&)>;

  // ports[i] is the engine's PortId i; both must outlive the driver.
  LiveDriver(boost::asio::io_context& io, initiator::Engine& engine, std::vector<RawPort>& ports,
             LiveDriverOptions options = {});
  ~LiveDriver();
  LiveDriver(const LiveDriver&) = delete;
  LiveDriver& operator=(const LiveDriver&) = delete;

  // Called for every engine event, in order. It may call submit() and the other inputs below.
  void set_event_handler(EventHandler handler) { handler_ = std::move(handler); }

  // engine.start(now) and the first pump; begins listening.
  void start();
  // Runs the io_context until `done()` holds (checked after every handler), `deadline` (monotonic
  // Nanos, kNever for none) passes, or a signal arrives.
  RunOutcome run_until(const std::function<bool()>& done, Nanos deadline = initiator::kNever);
  bool interrupted() const { return signal_number() != 0; }
  int signal_number() const { return signals_ ? signals_->received() : 0; }

  // Engine inputs, each followed by a pump so its frames leave at once.
  initiator::SubmitResult submit(initiator::DeviceAddress device, const initiator::IoRequest& request);
  void discover();
  void revalidate(initiator::DeviceAddress device);
  void open(initiator::DeviceAddress device);
  void close(initiator::DeviceAddress device);

  Nanos now() const { return monotonic_now(); }
  initiator::Engine& engine() { return engine_; }
  std::vector<RawPort>& ports() { return ports_; }
  std::uint64_t transmit_errors() const { return transmit_errors_; }

 private:
  void pump();
  void drain_transmits();
  void arm_receive(std::size_t port);
  void on_readable(std::size_t port);
  void arm_timer();
  void arm_link_check();
  void check_links();

  boost::asio::io_context& io_;
  initiator::Engine& engine_;
  std::vector<RawPort>& ports_;
  LiveDriverOptions options_;
  EventHandler handler_;
  boost::asio::steady_timer timer_;
  Nanos timer_at_ = initiator::kNever;
  boost::asio::steady_timer link_timer_;
  std::unique_ptr<StopSignals> signals_;
  std::vector<bool> receiving_;
  std::vector<bool> port_usable_;
  bool pumping_ = false;
  bool started_ = false;
  std::uint64_t transmit_errors_ = 0;  // transmits naming a port we do not have
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // handlers outliving us do nothing
};

}  // namespace aoeh::live
