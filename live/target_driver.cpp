#include "live/target_driver.hpp"

#include "live/errors.hpp"
#include "live/run_loop.hpp"

namespace aoeh::live {

std::vector<target::TargetPort> target_ports(const std::vector<RawPort>& ports) {
  std::vector<target::TargetPort> out;
  for (const auto& p : ports) out.push_back({p.info().mac, p.info().mtu});
  return out;
}

TargetDriver::TargetDriver(boost::asio::io_context& io, target::Target& target, std::vector<RawPort>& ports,
                           LiveDriverOptions options)
    : io_(io), target_(target), ports_(ports), options_(options), timer_(io), link_timer_(io) {
  receiving_.assign(ports_.size(), false);
  if (options_.handle_signals) signals_ = std::make_unique<StopSignals>(io_);
}

TargetDriver::~TargetDriver() {
  alive_.reset();
  boost::system::error_code ec;
  timer_.cancel();
  link_timer_.cancel();
  for (auto& p : ports_) p.socket().cancel(ec);
}

void TargetDriver::start() {
  if (started_) return;
  started_ = true;
  target_.start(monotonic_now());
  drain_and_flush();
  for (std::size_t i = 0; i < ports_.size(); ++i) arm_receive(i);
  arm_link_check();
}

RunOutcome TargetDriver::run_until(const std::function<bool()>& done, Nanos deadline) {
  start();
  return run_io_until(io_, signals_.get(), done, deadline);
}

// Replies are copied into their port's batch at once (their bytes live until the next call into
// the target), then every batch leaves in one sendmmsg.
void TargetDriver::drain_and_flush() {
  while (auto t = target_.poll_transmit()) {
    if (t->port_index >= ports_.size()) {
      ++transmit_errors_;
      continue;
    }
    ports_[t->port_index].enqueue(t->frame);
  }
  for (auto& p : ports_) p.flush();
  arm_timer();
}

void TargetDriver::arm_receive(std::size_t port) {
  if (receiving_[port]) return;
  receiving_[port] = true;
  ports_[port].async_wait_readable([this, port, weak = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
    if (weak.expired()) return;
    receiving_[port] = false;
    if (ec) return;
    on_readable(port);
  });
}

void TargetDriver::on_readable(std::size_t port) {
  RawPort& p = ports_[port];
  for (std::size_t b = 0; b < options_.max_batches_per_wakeup; ++b) {
    const auto frames = p.receive_batch();
    if (frames.empty()) break;
    const Nanos t = monotonic_now();
    for (const auto& f : frames) {
      target_.handle_frame(port, f, t);
      while (auto out = target_.poll_transmit()) {
        if (out->port_index < ports_.size()) {
          ports_[out->port_index].enqueue(out->frame);
        } else {
          ++transmit_errors_;
        }
      }
    }
  }
  (void)p.take_last_error();
  drain_and_flush();
  arm_receive(port);
}

void TargetDriver::arm_timer() {
  const Nanos next = target_.next_timeout();
  if (next == timer_at_) return;
  timer_at_ = next;
  if (next == target::kNever) {
    timer_.cancel();
    return;
  }
  timer_.expires_at(to_time_point(next));
  timer_.async_wait([this, weak = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
    if (weak.expired() || ec == boost::asio::error::operation_aborted) return;
    timer_at_ = target::kNever;
    target_.handle_timeout(monotonic_now());
    drain_and_flush();
  });
}

void TargetDriver::arm_link_check() {
  if (options_.link_check_interval <= 0) return;
  link_timer_.expires_after(std::chrono::nanoseconds(options_.link_check_interval));
  link_timer_.async_wait([this, weak = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
    if (weak.expired() || ec) return;
    for (std::size_t i = 0; i < ports_.size(); ++i) {
      const InterfaceInfo before = ports_[i].info();
      try {
        const InterfaceInfo& now = ports_[i].refresh_info();
        if (now.mtu != before.mtu || now.mac != before.mac) target_.set_port(i, {now.mac, now.mtu});
      } catch (const LiveError&) {
        // The interface vanished; the socket stays quiet until it returns.
      }
    }
    arm_link_check();
  });
}

}  // namespace aoeh::live
