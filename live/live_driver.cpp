#include "live/live_driver.hpp"

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
    : PortDriver(io, ports, options), engine_(engine) {
  for (const auto& p : ports) port_usable_.push_back(p.info().up && p.info().running);
}

void LiveDriver::on_start() {
  engine_.start(now());
  pump();
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
  while (auto t = engine_.poll_transmit()) enqueue(t->port, t->frame);
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
  const bool link_trouble = flush_all();
  pumping_ = false;
  if (link_trouble) check_links();
  // A pending earlier expiry is kept: most changes move the deadline later (a reply retires the
  // oldest frame), and handle_timeout only acts on what is due.
  wake_at(engine_.next_timeout(), true);
}

void LiveDriver::on_frames(std::size_t port, std::span<const RawPort::Frame> frames) {
  const auto id = static_cast<initiator::PortId>(port);
  const Nanos t = now();  // one reading per batch: the frames were all queued by now
  for (const auto& f : frames) {
    engine_.handle_frame(id, f, t);
    drain_transmits();
  }
}

void LiveDriver::on_frames_done(std::size_t, int error) {
  if (error != 0) check_links();  // ENETDOWN: the link went away under us
  pump();
}

void LiveDriver::on_wakeup() {
  engine_.handle_timeout(now());
  pump();
}

// A vanished interface is unusable and keeps its last MTU.
void LiveDriver::on_links_checked(std::span<const LinkCheck> checks) {
  bool changed = false;
  for (std::size_t i = 0; i < checks.size(); ++i) {
    const auto& [before, after] = checks[i];
    const bool usable = after != nullptr && after->up && after->running;
    const std::uint32_t mtu = after != nullptr ? after->mtu : before.mtu;
    if (usable == port_usable_[i] && mtu == before.mtu) continue;
    port_usable_[i] = usable;
    engine_.set_port(static_cast<initiator::PortId>(i), usable, mtu, now());
    changed = true;
  }
  if (changed) pump();
}

}  // namespace aoeh::live
