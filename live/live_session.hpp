#pragma once
// Everything one live initiator needs, in one object: the io_context, a RawPort per interface,
// the engine configured with those ports, and the driver that pumps it. The aoeh commands and the
// Python bindings build on this.
#include <boost/asio/io_context.hpp>

#include <optional>
#include <string>
#include <vector>

#include "initiator/engine.hpp"
#include "live/live_driver.hpp"
#include "live/raw_port.hpp"

namespace aoeh::live {

class LiveSession {
 public:
  // Opens the ports (throws LiveError), then builds the engine from `base` with those ports.
  explicit LiveSession(const std::vector<std::string>& interfaces, initiator::EngineConfig base = {},
                       LiveDriverOptions driver_options = {}, const RawPortOptions& port_options = {});
  LiveSession(const LiveSession&) = delete;
  LiveSession& operator=(const LiveSession&) = delete;

  boost::asio::io_context& io() { return io_; }
  std::vector<RawPort>& ports() { return ports_; }
  initiator::Engine& engine() { return engine_; }
  LiveDriver& driver() { return driver_; }

  // Every engine event goes to `handler`. Set it here rather than on driver(): the driver's handler
  // is the session's, so wait_for_device can pass events on to this one while it watches them.
  void set_event_handler(LiveDriver::EventHandler handler) { handler_ = std::move(handler); }

  struct DeviceWait {
    RunOutcome outcome = RunOutcome::Deadline;  // Done: the device is Up (or Failed: see device)
    std::optional<initiator::DeviceInfo> device;  // last known state, if it answered at all
  };
  // Starts the driver (discovery broadcast) and runs until `address` is Up or Failed, `timeout`
  // passes or a signal arrives. Every event still reaches the session's handler meanwhile.
  DeviceWait wait_for_device(initiator::DeviceAddress address, Nanos timeout);

 private:
  boost::asio::io_context io_;
  std::vector<RawPort> ports_;
  initiator::Engine engine_;
  LiveDriver driver_;
  LiveDriver::EventHandler handler_;
};

}  // namespace aoeh::live
