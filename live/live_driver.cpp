#include "live/live_driver.hpp"

#include "live/errors.hpp"
#include "live/run_loop.hpp"

namespace aoeh::live {

std::vector<initiator::PortConfig> engine_ports(const std::vector<RawPort>& ports) {
  std::vector<initiator::PortConfig> out;
  for (const auto& p : ports) {
    const InterfaceInfo& i = p.info();
    out.push_back({i.name, i.mac, i.mtu, i.up && i.running});
  }
  return out;
}

LiveDriver::LiveDriver(boost::asio::io_context& io, initiator::Engine& engine, std::vector<RawPort>& ports,
                       LiveDriverOptions options)
    : io_(io), engine_(engine), ports_(ports), options_(options), timer_(io), link_timer_(io) {
  receiving_.assign(ports_.size(), false);
  for (const auto& p : ports_) port_usable_.push_back(p.info().up && p.info().running);
  if (options_.handle_signals) signals_ = std::make_unique<StopSignals>(io_);
}

LiveDriver::~LiveDriver() {
  alive_.reset();
  boost::system::error_code ec;
  timer_.cancel();
  link_timer_.cancel();
  for (auto& p : ports_) p.socket().cancel(ec);
}

void LiveDriver::start() {
  if (started_) return;
  started_ = true;
  engine_.start(now());
  pump();
  for (std::size_t i = 0; i < ports_.size(); ++i) arm_receive(i);
  arm_link_check();
}

RunOutcome LiveDriver::run_until(const std::function<bool()>& done, Nanos deadline) {
  start();
  return run_io_until(io_, signals_.get(), done, deadline);
}

initiator::SubmitResult LiveDriver::submit(initiator::DeviceAddress device, const initiator::IoRequest& request) {
  const auto r = engine_.submit(device, request, now());
  pump();
  return r;
}

void LiveDriver::discover() {
  engine_.discover(now());
  pump();
}

void LiveDriver::revalidate(initiator::DeviceAddress device) {
  engine_.revalidate(device, now());
  pump();
}

void LiveDriver::open(initiator::DeviceAddress device) {
  engine_.open(device, now());
  pump();
}

void LiveDriver::close(initiator::DeviceAddress device) {
  engine_.close(device, now());
  pump();
}

// Every transmit is copied into its port's send batch at once: its bytes live only until the next
// call into the engine.
void LiveDriver::drain_transmits() {
  while (auto t = engine_.poll_transmit()) {
    if (t->port >= ports_.size()) {
      ++transmit_errors_;
      continue;
    }
    ports_[t->port].enqueue(t->frame);
  }
}

void LiveDriver::pump() {
  // An event handler that submits lands here again; the outer pump drains what it produced.
  if (pumping_) return;
  pumping_ = true;
  for (;;) {
    drain_transmits();
    bool any = false;
    while (auto e = engine_.poll_event()) {
      any = true;
      if (handler_) handler_(*e);
      drain_transmits();
    }
    if (!any) break;
  }
  bool link_trouble = false;
  for (auto& p : ports_) {
    p.flush();
    if (p.take_last_error() != 0) link_trouble = true;
  }
  pumping_ = false;
  if (link_trouble) check_links();
  arm_timer();
}

void LiveDriver::arm_receive(std::size_t port) {
  if (receiving_[port]) return;
  receiving_[port] = true;
  ports_[port].async_wait_readable([this, port, weak = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
    if (weak.expired()) return;
    receiving_[port] = false;
    if (ec) return;
    on_readable(port);
  });
}

void LiveDriver::on_readable(std::size_t port) {
  RawPort& p = ports_[port];
  const auto id = static_cast<initiator::PortId>(port);
  for (std::size_t b = 0; b < options_.max_batches_per_wakeup; ++b) {
    const auto frames = p.receive_batch();
    if (frames.empty()) break;
    const Nanos t = now();  // one reading per batch: the frames were all queued by now
    for (const auto& f : frames) {
      engine_.handle_frame(id, f, t);
      drain_transmits();
    }
  }
  if (p.take_last_error() != 0) check_links();  // ENETDOWN: the link went away under us
  pump();
  arm_receive(port);
}

void LiveDriver::arm_timer() {
  const Nanos next = engine_.next_timeout();
  // Re-arming costs a timerfd update; most changes move the deadline later (a reply retires the
  // oldest frame), so a pending earlier expiry is kept: firing early is harmless, as
  // handle_timeout only acts on what is due, and the timer is then armed for the real deadline.
  if (next >= timer_at_) return;
  timer_at_ = next;
  timer_.expires_at(to_time_point(next));
  timer_.async_wait([this, weak = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
    if (weak.expired() || ec == boost::asio::error::operation_aborted) return;
    timer_at_ = initiator::kNever;
    engine_.handle_timeout(now());
    pump();
  });
}

void LiveDriver::arm_link_check() {
  if (options_.link_check_interval <= 0) return;
  link_timer_.expires_after(std::chrono::nanoseconds(options_.link_check_interval));
  link_timer_.async_wait([this, weak = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
    if (weak.expired() || ec) return;
    check_links();
    arm_link_check();
  });
}

void LiveDriver::check_links() {
  bool changed = false;
  for (std::size_t i = 0; i < ports_.size(); ++i) {
    const std::uint32_t old_mtu = ports_[i].info().mtu;
    bool usable = false;
    std::uint32_t mtu = old_mtu;
    try {
      const InterfaceInfo& info = ports_[i].refresh_info();
      usable = info.up && info.running;
      mtu = info.mtu;
    } catch (const LiveError&) {
      usable = false;  // the interface vanished
    }
    if (usable != port_usable_[i] || mtu != old_mtu) {
      port_usable_[i] = usable;
      engine_.set_port(static_cast<initiator::PortId>(i), usable, mtu, now());
      changed = true;
    }
  }
  if (changed) pump();
}

}  // namespace aoeh::live
