#include "live/port_driver.hpp"

#include <chrono>

#include "live/errors.hpp"

namespace aoeh::live {
namespace {

std::vector<RawPort*> pointers_to(std::vector<RawPort>& ports) {
  std::vector<RawPort*> out;
  for (auto& p : ports) out.push_back(&p);
  return out;
}

}  // namespace

PortDriver::PortDriver(boost::asio::io_context& io, std::vector<RawPort*> ports, LiveDriverOptions options)
    : io_(io), ports_(std::move(ports)), options_(options), link_timer_(io), wake_timer_(io),
      receiving_(ports_.size(), false) {
  if (options_.handle_signals) signals_ = std::make_unique<StopSignals>(io_);
}

PortDriver::PortDriver(boost::asio::io_context& io, std::vector<RawPort>& ports, LiveDriverOptions options)
    : PortDriver(io, pointers_to(ports), options) {}

PortDriver::~PortDriver() {
  alive_.reset();
  link_timer_.cancel();
  wake_timer_.cancel();
  boost::system::error_code ec;
  for (RawPort* p : ports_) p->socket().cancel(ec);
}

void PortDriver::start() {
  if (started_) return;
  started_ = true;
  on_start();
  for (std::size_t i = 0; i < ports_.size(); ++i) arm_receive(i);
  arm_link_check();
}

RunOutcome PortDriver::run_until(const std::function<bool()>& done, Nanos deadline) {
  start();
  io_.restart();
  for (;;) {
    if (signals_ && signals_->received() != 0) return RunOutcome::Interrupted;
    if (done()) return RunOutcome::Done;
    const Nanos t = monotonic_now();
    if (t >= deadline) return RunOutcome::Deadline;
    if (deadline == std::numeric_limits<Nanos>::max()) {
      io_.run_one();
    } else {
      io_.run_one_for(std::chrono::nanoseconds(deadline - t));
    }
  }
}

void PortDriver::on_links_checked(std::span<const LinkCheck>) {}

void PortDriver::arm_receive(std::size_t port) {
  if (receiving_[port]) return;
  receiving_[port] = true;
  ports_[port]->async_wait_readable([this, port, weak = alive()](const boost::system::error_code& ec) {
    if (weak.expired()) return;
    receiving_[port] = false;
    if (ec) return;
    on_readable(port);
  });
}

void PortDriver::on_readable(std::size_t port) {
  RawPort& p = *ports_[port];
  for (std::size_t b = 0; b < options_.max_batches_per_wakeup; ++b) {
    const auto frames = p.receive_batch();
    if (frames.empty()) break;
    on_frames(port, frames);
  }
  on_frames_done(port, p.take_last_error());
  arm_receive(port);
}

void PortDriver::arm_link_check() {
  if (options_.link_check_interval <= 0) return;
  link_timer_.expires_after(std::chrono::nanoseconds(options_.link_check_interval));
  link_timer_.async_wait([this, weak = alive()](const boost::system::error_code& ec) {
    if (weak.expired() || ec) return;
    check_links();
    arm_link_check();
  });
}

void PortDriver::wake_at(Nanos at, bool keep_earlier) {
  if (at == wake_at_ || (keep_earlier && at > wake_at_)) return;
  wake_at_ = at;
  if (at == kNoWakeup) {
    wake_timer_.cancel();
    return;
  }
  wake_timer_.expires_at(to_time_point(at));
  wake_timer_.async_wait([this, weak = alive()](const boost::system::error_code& ec) {
    if (weak.expired() || ec == boost::asio::error::operation_aborted) return;
    wake_at_ = kNoWakeup;
    on_wakeup();
  });
}

bool PortDriver::enqueue(std::size_t port, RawPort::Frame frame) {
  if (port >= ports_.size()) {
    ++transmit_errors_;
    return false;
  }
  return ports_[port]->enqueue(frame);
}

bool PortDriver::flush_all() {
  bool error = false;
  for (RawPort* p : ports_) {
    p->flush();
    if (p->take_last_error() != 0) error = true;
  }
  return error;
}

void PortDriver::check_links() {
  link_checks_.resize(ports_.size());
  for (std::size_t i = 0; i < ports_.size(); ++i) {
    LinkCheck& c = link_checks_[i];
    c.before = ports_[i]->info();
    try {
      c.after = &ports_[i]->refresh_info();
    } catch (const LiveError&) {
      c.after = nullptr;  // the interface vanished; its socket stays quiet until it returns
    }
  }
  on_links_checked(link_checks_);
}

}  // namespace aoeh::live
