#pragma once
// The real-time driver: pumps a sans-IO initiator::Engine on a boost::asio::io_context. Frames come
// in from RawPorts (batched), handle_timeout fires from a steady timer at engine.next_timeout(),
// poll_transmit goes out through the ports' send batches, and events reach one handler. Link state
// is re-read periodically and after send errors, and told to the engine with set_port.
// SIGINT/SIGTERM end run_until with Interrupted; the engine and its results stay intact.
#include <boost/asio/io_context.hpp>

#include <functional>
#include <vector>

#include "initiator/engine.hpp"
#include "live/clock.hpp"
#include "live/loop_options.hpp"
#include "live/port_driver.hpp"
#include "live/raw_port.hpp"

namespace aoeh::live {

// Port list for EngineConfig::ports, in PortId order, from open RawPorts.
std::vector<initiator::PortConfig> engine_ports(const std::vector<RawPort>& ports);

class LiveDriver final : public PortDriver {
 public:
  using EventHandler = std::function<void(const initiator::Event&)>;

  // ports[i] is the engine's PortId i; both must outlive the driver.
  LiveDriver(boost::asio::io_context& io, initiator::Engine& engine, std::vector<RawPort>& ports,
             LiveDriverOptions options = {});

  // Called for every engine event, in order. It may call submit() and the other inputs below.
  void set_event_handler(EventHandler handler) { handler_ = std::move(handler); }

  // start() (PortDriver): engine.start(now) and the first pump, then the ports listen.
  // run_until (PortDriver) runs until `done()`, the deadline (kNever for none) or a signal.

  // Engine inputs, each followed by a pump so its frames leave at once.
  initiator::SubmitResult submit(initiator::DeviceAddress device, const initiator::IoRequest& request);
  void discover();
  void revalidate(initiator::DeviceAddress device);
  void open(initiator::DeviceAddress device);
  void close(initiator::DeviceAddress device);

  Nanos now() const { return monotonic_now(); }
  initiator::Engine& engine() { return engine_; }
 private:
  void on_start() override;
  void on_frames(std::size_t port, std::span<const RawPort::Frame> frames) override;
  void on_frames_done(std::size_t port, int error) override;
  void on_links_checked(std::span<const LinkCheck> checks) override;
  void on_wakeup() override;
  void pump();
  void drain_transmits();

  initiator::Engine& engine_;
  EventHandler handler_;
  std::vector<bool> port_usable_;  // as last told to the engine
  bool pumping_ = false;
};

}  // namespace aoeh::live
