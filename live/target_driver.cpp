#include "live/target_driver.hpp"

namespace aoeh::live {

std::vector<target::TargetPort> target_ports(const std::vector<RawPort>& ports) {
  std::vector<target::TargetPort> out;
  for (const auto& p : ports) out.push_back({p.info().mac, p.info().mtu});
  return out;
}

TargetDriver::TargetDriver(boost::asio::io_context& io, target::Target& target, std::vector<RawPort>& ports,
                           LiveDriverOptions options)
    : PortDriver(io, ports, options), target_(target) {}

void TargetDriver::on_start() {
  target_.start(monotonic_now());
  drain_and_flush();
}

// Replies are copied into their port's batch at once: their bytes live until the next call into
// the target.
void TargetDriver::enqueue_transmits() {
  while (auto t = target_.poll_transmit()) enqueue(t->port_index, t->frame);
}

// Then every batch leaves in one sendmmsg.
void TargetDriver::drain_and_flush() {
  enqueue_transmits();
  flush_all();
  wake_at(target_.next_timeout(), false);
}

void TargetDriver::on_frames(std::size_t port, std::span<const RawPort::Frame> frames) {
  const Nanos t = monotonic_now();
  for (const auto& f : frames) {
    target_.handle_frame(port, f, t);
    enqueue_transmits();
  }
}

void TargetDriver::on_frames_done(std::size_t, int) { drain_and_flush(); }

void TargetDriver::on_wakeup() {
  target_.handle_timeout(monotonic_now());
  drain_and_flush();
}

void TargetDriver::on_links_checked(std::span<const LinkCheck> checks) {
  for (std::size_t i = 0; i < checks.size(); ++i) {
    const auto& [before, after] = checks[i];
    if (after != nullptr && (after->mtu != before.mtu || after->mac != before.mac))
      target_.set_port(i, {after->mac, after->mtu});
  }
}

}  // namespace aoeh::live
