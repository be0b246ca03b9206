#include "sim/target_host.hpp"

namespace aoeh::sim {

void TargetHost::drain(Nanos) {
  while (auto t = target_.poll_transmit()) transmit(static_cast<std::uint32_t>(t->port_index), t->frame);
  wake_at(target_.next_timeout());
}

void TargetHost::pump() { drain(now()); }

void TargetHost::start(Nanos now) {
  target_.start(now);
  drain(now);
}

void TargetHost::receive(std::uint32_t port, std::span<const std::uint8_t> frame, Nanos now) {
  target_.handle_frame(port, frame, now);
  drain(now);
}

void TargetHost::timer(Nanos now) {
  target_.handle_timeout(now);
  drain(now);
}

void TargetHost::port_changed(std::uint32_t port, bool, std::uint32_t mtu, Nanos now) {
  // A real target notices a new MTU (vblade only at start; ours at once); link state it cannot see.
  target_.set_mtu(port, mtu);
  drain(now);
}

HostFactory TargetHost::factory(const TopologySpec& spec, target::TargetConfig base,
                                std::function<void(std::uint32_t, target::TargetConfig&)> customize) {
  return [spec, base = std::move(base), customize = std::move(customize)](
             std::uint32_t index, const std::vector<NicConfig>& nics) -> std::unique_ptr<Host> {
    target::TargetConfig c = base;
    c.ports.clear();
    for (const auto& n : nics) c.ports.push_back(target::TargetPort{n.mac, n.mtu});
    const auto addr = target_address(spec, index);
    c.shelf = addr.shelf;
    c.slot = addr.slot;
    if (c.store) c.store = nullptr;  // never share one store between targets by accident
    if (customize) customize(index, c);
    return std::make_unique<TargetHost>(std::move(c));
  };
}

}  // namespace aoeh::sim
