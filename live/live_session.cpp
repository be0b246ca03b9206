#include "live/live_session.hpp"

namespace aoeh::live {
namespace {

std::vector<RawPort> open_all(boost::asio::io_context& io, const std::vector<std::string>& interfaces,
                              const RawPortOptions& options) {
  std::vector<RawPort> ports;
  for (const auto& name : interfaces) ports.push_back(RawPort::open(io, name, options));
  return ports;
}

initiator::EngineConfig with_ports(initiator::EngineConfig config, const std::vector<RawPort>& ports) {
  config.ports = engine_ports(ports);
  return config;
}

}  // namespace

LiveSession::LiveSession(const std::vector<std::string>& interfaces, initiator::EngineConfig base,
                         LiveDriverOptions driver_options, const RawPortOptions& port_options)
    : ports_(open_all(io_, interfaces, port_options)),
      engine_(with_ports(std::move(base), ports_)),
      driver_(io_, engine_, ports_, driver_options) {
  driver_.set_event_handler([this](const initiator::Event& e) {
    if (handler_) handler_(e);
  });
}

LiveSession::DeviceWait LiveSession::wait_for_device(initiator::DeviceAddress address, Nanos timeout) {
  DeviceWait result;
  const auto known = engine_.device(address);
  bool settled = known && (known->state == initiator::DeviceState::Up || known->state == initiator::DeviceState::Failed);
  // Device state changes arrive as events; checking the table only then keeps the loop cheap. The
  // handler in place keeps getting every event (a request that completes meanwhile is not lost).
  const LiveDriver::EventHandler previous = handler_;
  handler_ = [&](const initiator::Event& e) {
    if (previous) previous(e);
    if (e.device != address) return;
    if (e.kind == initiator::EventKind::DeviceUp || e.kind == initiator::EventKind::DeviceFailed) settled = true;
  };
  result.outcome = driver_.run_until([&] { return settled; }, driver_.now() + timeout);
  handler_ = previous;
  result.device = engine_.device(address);
  return result;
}

}  // namespace aoeh::live
