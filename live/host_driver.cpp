#include "live/host_driver.hpp"

#include "live/errors.hpp"
#include "live/run_loop.hpp"

namespace aoeh::live {

HostDriver::HostDriver(boost::asio::io_context& io, sim::Host& host, std::vector<RawPort>& ports,
                       LiveDriverOptions options)
    : io_(io), host_(host), ports_(ports), options_(options), timer_(io), link_timer_(io), start_(monotonic_now()) {
  receiving_.assign(ports_.size(), false);
  if (options_.handle_signals) signals_ = std::make_unique<StopSignals>(io_);
}

HostDriver::~HostDriver() {
  alive_.reset();
  boost::system::error_code ec;
  timer_.cancel();
  link_timer_.cancel();
  for (auto& t : action_timers_) t.cancel();
  for (auto& p : ports_) p.socket().cancel(ec);
}

void HostDriver::start() {
  if (started_) return;
  started_ = true;
  host_.attach(this);
  host_.start(0);
  flush();
  for (std::size_t i = 0; i < ports_.size(); ++i) arm_receive(i);
  arm_link_check();
}

RunOutcome HostDriver::run_until(const std::function<bool()>& done, Nanos deadline) {
  start();
  return run_io_until(io_, signals_.get(), done, deadline);
}

void HostDriver::at(Nanos when, std::function<void()> action) {
  auto& t = action_timers_.emplace_back(io_);
  t.expires_at(to_time_point(start_ + when));
  t.async_wait([this, action = std::move(action), weak = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
    if (weak.expired() || ec) return;
    action();
    flush();
  });
}

bool HostDriver::send(std::uint32_t port, std::span<const std::uint8_t> frame) {
  if (port >= ports_.size()) {
    ++transmit_errors_;
    return false;
  }
  return ports_[port].enqueue(frame);
}

void HostDriver::set_timer(Nanos time) {
  if (time == timer_at_) return;
  timer_at_ = time;
  if (time == sim::kNever) {
    timer_.cancel();
    return;
  }
  timer_.expires_at(to_time_point(start_ + time));
  timer_.async_wait([this, weak = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
    if (weak.expired() || ec == boost::asio::error::operation_aborted) return;
    timer_at_ = sim::kNever;
    host_.timer(now());
    flush();
  });
}

void HostDriver::flush() {
  for (auto& p : ports_) p.flush();
}

void HostDriver::arm_receive(std::size_t port) {
  if (receiving_[port]) return;
  receiving_[port] = true;
  ports_[port].async_wait_readable([this, port, weak = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
    if (weak.expired()) return;
    receiving_[port] = false;
    if (ec) return;
    on_readable(port);
  });
}

void HostDriver::on_readable(std::size_t port) {
  RawPort& p = ports_[port];
  for (std::size_t b = 0; b < options_.max_batches_per_wakeup; ++b) {
    const auto frames = p.receive_batch();
    if (frames.empty()) break;
    const Nanos t = now();
    for (const auto& f : frames) host_.receive(static_cast<std::uint32_t>(port), f, t);
  }
  (void)p.take_last_error();
  flush();
  arm_receive(port);
}

void HostDriver::arm_link_check() {
  if (options_.link_check_interval <= 0) return;
  link_timer_.expires_after(std::chrono::nanoseconds(options_.link_check_interval));
  link_timer_.async_wait([this, weak = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
    if (weak.expired() || ec) return;
    for (std::size_t i = 0; i < ports_.size(); ++i) {
      const InterfaceInfo before = ports_[i].info();
      try {
        const InterfaceInfo& after = ports_[i].refresh_info();
        if (after.mtu != before.mtu || after.up != before.up)
          host_.port_changed(static_cast<std::uint32_t>(i), after.up, after.mtu, now());
      } catch (const LiveError&) {
        // The interface vanished; the socket stays quiet until it returns.
      }
    }
    flush();
    arm_link_check();
  });
}

}  // namespace aoeh::live
