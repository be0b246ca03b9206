// Engine public API: each input forwards to Impl and, in checked builds, verifies the invariants.
#include "initiator/engine.hpp"

#include <cstdio>
#include <cstdlib>

#include "initiator/engine_impl.hpp"

namespace aoeh::initiator {

Engine::Impl::Impl(EngineConfig c) : cfg(std::move(c)) {
  ports.reserve(cfg.ports.size());
  for (const auto& p : cfg.ports) ports.push_back(PortState{p});
  if (cfg.max_outstanding_per_path == 0) cfg.max_outstanding_per_path = 1;
  if (cfg.max_paths_per_device == 0) cfg.max_paths_per_device = 1;
  if (cfg.max_paths_per_device > 0xFFFF) cfg.max_paths_per_device = 0xFFFF;
}

Event Engine::Impl::event(EventKind k, const Device& d, Nanos now) const {
  Event e;
  e.kind = k;
  e.time = now;
  e.device = d.address;
  e.state = d.state;
  return e;
}

std::uint32_t Engine::Impl::path_cap(const Path& p) const {
  const std::uint32_t bufcnt = p.buffer_count == 0 ? 1u : p.buffer_count;
  return std::min(bufcnt, cfg.max_outstanding_per_path);
}

void Engine::Impl::refresh_path(Path& p) {
  std::uint32_t payload = p.sector_count == 0 ? 2u : p.sector_count;
  bool any_port = false;
  for (std::uint8_t i = 0; i < p.way_count; ++i) {
    const PortId port = p.ways[i].port;
    if (!port_usable(port)) continue;
    any_port = true;
    payload = std::min(payload, proto::sectors_for_mtu(ports[port].config.mtu));
  }
  if (p.fallback) payload = std::min(payload, 2u);
  p.payload = any_port ? std::min(payload, 255u) : 0;
  p.window.set_cap(path_cap(p));
}

void Engine::Impl::after_input() {
#ifdef AOEH_ENGINE_CHECKS
  const std::string violation = check_invariants();
  if (!violation.empty()) {
    std::fprintf(stderr, "aoeh engine invariant violated: %s\n", violation.c_str());
    std::abort();
  }
#endif
}

Engine::Engine(EngineConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
Engine::~Engine() = default;
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;

void Engine::start(Nanos now) {
  impl_->discover_all(now);
  impl_->after_input();
}

void Engine::handle_frame(PortId port, std::span<const std::uint8_t> frame, Nanos now) {
  impl_->on_frame(port, frame, now);
  impl_->after_input();
}

void Engine::handle_timeout(Nanos now) {
  impl_->handle_timeout(now);
  impl_->after_input();
}

void Engine::discover(Nanos now) {
  impl_->discover_all(now);
  impl_->after_input();
}

void Engine::revalidate(DeviceAddress device, Nanos now) {
  if (Device* d = impl_->devices.find(device)) impl_->revalidate(*d, now);
  impl_->after_input();
}

void Engine::open(DeviceAddress device, Nanos) {
  if (Device* d = impl_->devices.find(device)) ++d->open_count;
}

void Engine::close(DeviceAddress device, Nanos now) {
  if (Device* d = impl_->devices.find(device)) impl_->close(*d, now);
  impl_->after_input();
}

void Engine::set_port(PortId port, bool up, std::uint32_t mtu, Nanos now) {
  auto& im = *impl_;
  if (port >= im.ports.size()) return;
  PortConfig& pc = im.ports[port].config;
  const bool came_up = up && !pc.up;
  const bool mtu_changed = mtu != pc.mtu;
  pc.up = up;
  pc.mtu = mtu;
  for (std::uint32_t i = 0; i < im.devices.size(); ++i) {
    Device& d = im.devices[i];
    for (auto& p : d.paths) im.refresh_path(p);
    im.pump(d, now);
  }
  // vblade reads its MTU only at start and clamps nothing: re-query so that payloads follow the
  // port's new MTU and paths on a port that came back are found again.
  if (up && (came_up || mtu_changed)) {
    im.send_query_config(port, MacAddress::broadcast(), DeviceAddress::broadcast(), tag::kDiscover);
  }
  im.after_input();
}

SubmitResult Engine::submit(DeviceAddress device, const IoRequest& request, Nanos now) {
  SubmitResult r = impl_->submit(device, request, now);
  impl_->after_input();
  return r;
}

std::optional<Transmit> Engine::poll_transmit() { return impl_->poll_transmit(); }

std::optional<Event> Engine::poll_event() {
  if (impl_->events.empty()) return std::nullopt;
  return impl_->events.pop_front();
}

Nanos Engine::next_timeout() const { return impl_->timer_hint; }

const Counters& Engine::counters() const { return impl_->counters; }
const EngineConfig& Engine::config() const { return impl_->cfg; }
std::string Engine::check_invariants() const { return impl_->check_invariants(); }

}  // namespace aoeh::initiator
