#pragma once
// Runs the sans-IO initiator engine as a simulated host: the sim driver. Frames and timeouts go
// in; poll_transmit() output goes out on the matching NIC; events are handed to a handler and/or
// kept in a log; the host sleeps until next_timeout(). NIC k is the engine's PortId k.
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "initiator/engine.hpp"
#include "sim/host.hpp"
#include "sim/io_submitter.hpp"
#include "sim/topology.hpp"

namespace aoeh::sim {

class EngineHost final : public Host, public IoSubmitter {
 public:
  explicit EngineHost(initiator::EngineConfig config) : engine_(std::move(config)) {}

  initiator::Engine& engine() { return engine_; }
  const initiator::Engine& engine() const { return engine_; }

  // Engine calls at the current simulated time, followed by a pump (frames leave at once).
  initiator::SubmitResult submit(proto::DeviceAddress device, const initiator::IoRequest& request) override;
  void discover();
  void revalidate(proto::DeviceAddress device);
  void open(proto::DeviceAddress device);
  void close(proto::DeviceAddress device);
  // Drains transmits and events and re-arms the timer; call after using engine() directly.
  void pump();

  // Called for each event as it is drained (may call submit(): the pump does not recurse).
  using EventHandler = std::function<void(const initiator::Event&)>;
  void set_event_handler(EventHandler handler) { handler_ = std::move(handler); }
  // Whether events are also appended to log() (default on; off for long benchmarks).
  void set_keep_log(bool keep) { keep_log_ = keep; }
  const std::vector<initiator::Event>& log() const { return log_; }
  std::vector<initiator::Event> take_log() { return std::exchange(log_, {}); }
  std::uint64_t events_seen() const { return events_seen_; }

  void start(Nanos now) override;
  void receive(std::uint32_t port, std::span<const std::uint8_t> frame, Nanos now) override;
  void timer(Nanos now) override;
  void port_changed(std::uint32_t port, bool up, std::uint32_t mtu, Nanos now) override;

  // A topology factory: initiator i gets `base` with its NICs as ports (name, MAC, MTU, up);
  // `customize` (optional) may adjust each config further.
  static HostFactory factory(initiator::EngineConfig base,
                             std::function<void(std::uint32_t index, initiator::EngineConfig&)> customize = {});

 private:
  initiator::Engine engine_;
  EventHandler handler_;
  std::vector<initiator::Event> log_;
  bool keep_log_ = true;
  bool pumping_ = false;
  bool again_ = false;
  std::uint64_t events_seen_ = 0;
};

}  // namespace aoeh::sim
