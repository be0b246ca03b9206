#include "live/relay_driver.hpp"

#include "live/run_loop.hpp"

namespace aoeh::live {

RawPortOptions relay_port_options() {
  RawPortOptions o;
  o.accept_other_host = true;  // the frames we bridge are addressed to the hosts behind us
  o.promiscuous = true;        // and the NIC must not filter them out
  o.min_mtu = 0;               // forward whatever fits; what does not is counted
  return o;
}

RelayDriver::RelayDriver(boost::asio::io_context& io, RawPort& a, RawPort& b, RelayCore& core,
                         RelayDriverOptions options)
    : io_(io), a_(a), b_(b), core_(core), options_(options), timer_(io), progress_timer_(io) {
  if (options_.handle_signals) signals_ = std::make_unique<StopSignals>(io_);
}

RelayDriver::~RelayDriver() {
  alive_.reset();
  boost::system::error_code ec;
  timer_.cancel();
  progress_timer_.cancel();
  a_.socket().cancel(ec);
  b_.socket().cancel(ec);
}

void RelayDriver::start() {
  if (started_) return;
  started_ = true;
  start_ = monotonic_now();
  arm_receive(RelayDirection::AtoB);
  arm_receive(RelayDirection::BtoA);
  arm_progress();
}

RunOutcome RelayDriver::run_until(const std::function<bool()>& done, Nanos deadline) {
  start();
  return run_io_until(io_, signals_.get(), done, deadline);
}

void RelayDriver::arm_receive(RelayDirection from) {
  const auto i = static_cast<std::size_t>(from);
  if (receiving_[i]) return;
  receiving_[i] = true;
  port_from(from).async_wait_readable([this, from, i, weak = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
    if (weak.expired()) return;
    receiving_[i] = false;
    if (ec) return;
    on_readable(from);
  });
}

void RelayDriver::on_readable(RelayDirection from) {
  RawPort& p = port_from(from);
  for (std::size_t batch = 0; batch < options_.max_batches_per_wakeup; ++batch) {
    const auto frames = p.receive_batch();
    if (frames.empty()) break;
    const Nanos now = monotonic_now() - start_;
    for (const auto& f : frames) core_.handle_frame(from, f, now);
    drain();  // frames with nothing to wait for leave at once, batch by batch
  }
  (void)p.take_last_error();  // a link going down shows as ENETDOWN once; keep listening
  drain();
  arm_receive(from);
}

// Everything due goes into the outgoing ports' batches, then each batch leaves in one sendmmsg.
void RelayDriver::drain() {
  const Nanos now = monotonic_now() - start_;
  while (auto out = core_.poll_transmit(now)) {
    if (!port_to(out->direction).enqueue(out->bytes)) ++send_failures_[static_cast<std::size_t>(out->direction)];
  }
  a_.flush();
  b_.flush();
  arm_timer();
}

void RelayDriver::arm_timer() {
  const Nanos next = core_.next_due();
  // An armed timer that fires earlier than needed simply re-arms; only an earlier deadline (or
  // none) needs a new expiry.
  if (next == timer_at_ || (next > timer_at_ && timer_at_ != sim::kNever)) return;
  timer_at_ = next;
  if (next == sim::kNever) {
    timer_.cancel();
    return;
  }
  timer_.expires_at(to_time_point(start_ + next));
  timer_.async_wait([this, weak = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
    if (weak.expired() || ec == boost::asio::error::operation_aborted) return;
    timer_at_ = sim::kNever;
    drain();
  });
}

void RelayDriver::arm_progress() {
  if (options_.progress_interval <= 0) return;
  progress_timer_.expires_after(std::chrono::nanoseconds(options_.progress_interval));
  progress_timer_.async_wait([this, weak = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
    if (weak.expired() || ec) return;
    if (progress_) progress_();
    arm_progress();
  });
}

}  // namespace aoeh::live
