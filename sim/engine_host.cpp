#include "sim/engine_host.hpp"

#include <utility>

#include "sim/simulator.hpp"

namespace aoeh::sim {

void EngineHost::pump() {
  // A handler that submits re-enters here; it only marks the work and the outer loop picks it up.
  if (pumping_) {
    again_ = true;
    return;
  }
  pumping_ = true;
  do {
    again_ = false;
    while (auto t = engine_.poll_transmit()) transmit(t->port, t->frame);
    while (auto e = engine_.poll_event()) {
      ++events_seen_;
      if (keep_log_) log_.push_back(*e);
      if (handler_) handler_(*e);
    }
  } while (again_);
  pumping_ = false;
  wake_at(engine_.next_timeout());
}

initiator::SubmitResult EngineHost::submit(proto::DeviceAddress device, const initiator::IoRequest& request) {
  auto r = engine_.submit(device, request, now());
  pump();
  return r;
}

void EngineHost::discover() {
  engine_.discover(now());
  pump();
}

void EngineHost::revalidate(proto::DeviceAddress device) {
  engine_.revalidate(device, now());
  pump();
}

void EngineHost::open(proto::DeviceAddress device) {
  engine_.open(device, now());
  pump();
}

void EngineHost::close(proto::DeviceAddress device) {
  engine_.close(device, now());
  pump();
}

void EngineHost::start(Nanos now) {
  engine_.start(now);
  pump();
}

void EngineHost::receive(std::uint32_t port, std::span<const std::uint8_t> frame, Nanos now) {
  engine_.handle_frame(static_cast<initiator::PortId>(port), frame, now);
  pump();
}

void EngineHost::timer(Nanos now) {
  engine_.handle_timeout(now);
  pump();
}

void EngineHost::port_changed(std::uint32_t port, bool up, std::uint32_t mtu, Nanos now) {
  engine_.set_port(static_cast<initiator::PortId>(port), up, mtu, now);
  pump();
}

HostFactory EngineHost::factory(initiator::EngineConfig base,
                                std::function<void(std::uint32_t, initiator::EngineConfig&)> customize) {
  return [base = std::move(base), customize = std::move(customize)](
             std::uint32_t index, const std::vector<NicConfig>& nics) -> std::unique_ptr<Host> {
    initiator::EngineConfig c = base;
    c.ports.clear();
    for (const auto& n : nics) c.ports.push_back(initiator::PortConfig{n.name, n.mac, n.mtu, n.up});
    if (customize) customize(index, c);
    return std::make_unique<EngineHost>(std::move(c));
  };
}

}  // namespace aoeh::sim
