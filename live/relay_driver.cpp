#include "live/relay_driver.hpp"

namespace aoeh::live {

RawPortOptions relay_port_options() {
  RawPortOptions o;
  o.accept_other_host = true;  // the frames we bridge are addressed to the hosts behind us
  o.promiscuous = true;        // and the NIC must not filter them out
  o.min_mtu = 0;               // forward whatever fits; what does not is counted
  return o;
}

// The relay watches no link state: a link that goes away shows as ENETDOWN once and the port
// keeps listening.
RelayDriver::RelayDriver(boost::asio::io_context& io, RawPort& a, RawPort& b, RelayCore& core,
                         RelayDriverOptions options)
    : PortDriver(io, {&a, &b}, {.handle_signals = options.handle_signals,
                                     .link_check_interval = 0,
                                     .max_batches_per_wakeup = options.max_batches_per_wakeup}),
      a_(a), b_(b), core_(core), options_(options), progress_timer_(io) {}

void RelayDriver::on_start() {
  start_ = monotonic_now();
  arm_progress();
}

void RelayDriver::on_frames(std::size_t port, std::span<const RawPort::Frame> frames) {
  const auto from = static_cast<RelayDirection>(port);
  const Nanos now = monotonic_now() - start_;
  for (const auto& f : frames) core_.handle_frame(from, f, now);
  drain();  // frames with nothing to wait for leave at once, batch by batch
}

void RelayDriver::on_frames_done(std::size_t, int) { drain(); }

// Everything due goes into the outgoing ports' batches, then each batch leaves in one sendmmsg.
void RelayDriver::drain() {
  const Nanos now = monotonic_now() - start_;
  while (auto out = core_.poll_transmit(now)) {
    if (!port_to(out->direction).enqueue(out->bytes)) ++send_failures_[static_cast<std::size_t>(out->direction)];
  }
  flush_all();
  // A wake-up earlier than needed simply sets the next one.
  const Nanos next = core_.next_due();
  wake_at(next == sim::kNever ? kNoWakeup : start_ + next, true);
}

void RelayDriver::arm_progress() {
  if (options_.progress_interval <= 0) return;
  progress_timer_.expires_after(std::chrono::nanoseconds(options_.progress_interval));
  progress_timer_.async_wait([this, weak = alive()](const boost::system::error_code& ec) {
    if (weak.expired() || ec) return;
    if (progress_) progress_();
    arm_progress();
  });
}

}  // namespace aoeh::live
