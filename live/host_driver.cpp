#include "live/host_driver.hpp"

namespace aoeh::live {

HostDriver::HostDriver(boost::asio::io_context& io, sim::Host& host, std::vector<RawPort>& ports,
                       LiveDriverOptions options)
    : PortDriver(io, ports, options), host_(host), start_(monotonic_now()) {}

void HostDriver::on_start() {
  host_.attach(this);
  host_.start(0);
  flush_all();
}

void HostDriver::at(Nanos when, std::function<void()> action) {
  auto& t = action_timers_.emplace_back(io());
  t.expires_at(to_time_point(start_ + when));
  t.async_wait([this, action = std::move(action), weak = alive()](const boost::system::error_code& ec) {
    if (weak.expired() || ec) return;
    action();
    flush_all();
  });
}

bool HostDriver::send(std::uint32_t port, std::span<const std::uint8_t> frame) {
  return enqueue(port, frame);
}

void HostDriver::set_timer(Nanos time) { wake_at(time == sim::kNever ? kNoWakeup : start_ + time, false); }

void HostDriver::on_wakeup() {
  host_.timer(now());
  flush_all();
}

void HostDriver::on_frames(std::size_t port, std::span<const RawPort::Frame> frames) {
  const Nanos t = now();
  for (const auto& f : frames) host_.receive(static_cast<std::uint32_t>(port), f, t);
}

void HostDriver::on_frames_done(std::size_t, int) { flush_all(); }

void HostDriver::on_links_checked(std::span<const LinkCheck> checks) {
  for (std::size_t i = 0; i < checks.size(); ++i) {
    const auto& [before, after] = checks[i];
    if (after != nullptr && (after->mtu != before.mtu || after->up != before.up))
      host_.port_changed(static_cast<std::uint32_t>(i), after->up, after->mtu, now());
  }
  flush_all();
}

}  // namespace aoeh::live
