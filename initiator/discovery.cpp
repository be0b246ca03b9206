// Discovery (Query Config), paths, IDENTIFY, revalidate and the open/close life cycle.
#include <algorithm>

#include "initiator/check.hpp"
#include "initiator/engine_impl.hpp"
#include "protocol/identify.hpp"

namespace aoeh::initiator {

void Engine::Impl::discover_all(Nanos now) {
  ++counters.discoveries;
  for (PortId p = 0; p < ports.size(); ++p)
    if (port_usable(p)) send_query_config(p, MacAddress::broadcast(), DeviceAddress::broadcast(), tag::kDiscover);
  if (cfg.discover_interval > 0) {
    next_discover = now + cfg.discover_interval;
    arm(next_discover);
  }
}

void Engine::Impl::send_query_config(PortId port, const MacAddress& dst, DeviceAddress address, std::uint32_t t) {
  ConfigTx e;
  e.port = port;
  e.dst = dst;
  e.address = address;
  e.tag = t;
  config_tx.push_back(e);
}

// A small unicast Query Config on every port of the path: cheap, answered even when the target's
// ATA queue is full, and small enough to get through an MTU mismatch.
void Engine::Impl::probe_path(Device& d, Path& p, Nanos) {
  for (std::uint8_t i = 0; i < p.way_count; ++i)
    if (port_usable(p.ways[i].port)) send_query_config(p.ways[i].port, p.mac, d.address, tag::kProbe);
}

void Engine::Impl::on_config(PortId port, const proto::Header& h, const proto::QueryConfigArg& q, Nanos now) {
  if (h.is_error()) {  // e.g. Error 4 to someone's config set: nothing to learn
    ++counters.ignored;
    return;
  }
  if (h.shelf == proto::kBroadcastShelf || h.slot == proto::kBroadcastSlot || h.src.is_multicast() || h.src.is_zero()) {
    ++counters.ignored;
    return;
  }
  if (h.shelf == proto::kUnsetShelf) {  // Linux: "check shelf switches"; the address is not usable
    ++counters.ignored;
    Event e;
    e.kind = EventKind::ShelfUnset;
    e.time = now;
    e.device = h.address();
    e.path = h.src;
    e.port = port;
    emit(e);
    return;
  }
  Device* d = devices.find(h.address());
  if (d == nullptr) {
    if (devices.size() >= cfg.max_devices) {
      ++counters.ignored;
      return;
    }
    d = &devices.add(h.address());
  }
  Path* p = d->find_path(h.src);
  const std::string_view config = q.config_string();
  if (p == nullptr) {
    if (d->paths.size() >= cfg.max_paths_per_device) {
      ++counters.ignored;
      return;
    }
    d->paths.emplace_back();
    p = &d->paths.back();
    p->mac = h.src;
    p->buffer_count = q.buffer_count;
    p->firmware = q.firmware_version;
    p->sector_count = q.sector_count;
    p->config.assign(config);
    Event e = event(EventKind::PathAdded, *d, now);
    e.path = p->mac;
    e.port = port;
    emit(e);
  } else if (p->buffer_count != q.buffer_count || p->firmware != q.firmware_version ||
             p->sector_count != q.sector_count || p->config != config) {
    p->buffer_count = q.buffer_count;
    p->firmware = q.firmware_version;
    p->sector_count = q.sector_count;
    p->config.assign(config);
    Event e = event(EventKind::ConfigChanged, *d, now);
    e.path = p->mac;
    e.port = port;
    emit(e);
  }
  bool known_way = false;
  for (std::uint8_t i = 0; i < p->way_count; ++i) known_way |= p->ways[i].port == port;
  if (!known_way && p->way_count < kMaxWaysPerPath) p->ways[p->way_count++] = Way{port, 0};
  refresh_path(*p);
  note_large_result(*d, *p, -1, true, now);
  path_answered(*d, *p, port, false, now);

  // Probe answers only prove the path alive. Other answers (discovery, announcements) drive the
  // device's life cycle like Linux's config handler: identify a new or down device, and re-identify
  // a closed one (that is how Linux notices a resize); an open device keeps its size until
  // revalidate or its last close.
  if (h.tag != tag::kProbe && !d->identifying) {
    switch (d->state) {
      case DeviceState::Discovered:
        start_identify(*d, now);
        break;
      case DeviceState::Down:
      case DeviceState::Up:
        if (d->open_count == 0) {
          if (d->state == DeviceState::Down) d->state = DeviceState::Discovered;
          start_identify(*d, now);
        }
        break;
      case DeviceState::Closewait:
      case DeviceState::Failed:
        break;
    }
  }
  pump(*d, now);
}

void Engine::Impl::start_identify(Device& d, Nanos now) {
  if (d.identifying) return;
  const std::uint32_t slot = frames.allocate();
  if (slot == kNone) return;
  Frame& f = frames[slot];
  f.kind = FrameKind::Identify;
  f.device = d.index;
  f.sectors = 1;
  if (!d.has_work()) {
    d.last_progress = now;
    if (cfg.dead_after > 0) arm(now + cfg.dead_after);
  }
  ++d.live_frames;
  d.identifying = true;
  d.ready.push_front(FrameRef{slot, f.epoch});
  pump(d, now);
}

void Engine::Impl::on_identified(Device& d, std::span<const std::uint8_t> page, Nanos now) {
  const auto id = proto::parse_identify(page);
  if (!id || id->capacity_sectors == 0) {
    Event why = event(EventKind::DeviceFailed, d, now);
    why.status = IoStatus::AtaError;
    identify_failed(d, why, now);
    return;
  }
  const std::uint64_t old = d.capacity;
  d.capacity = id->capacity_sectors;
  d.lba48 = id->lba48;
  d.model = id->model;
  d.serial = id->serial;
  d.firmware = id->firmware;
  if (d.state != DeviceState::Up) {
    d.state = DeviceState::Up;
    Event e = event(EventKind::DeviceUp, d, now);
    e.old_sectors = old;
    e.new_sectors = d.capacity;
    emit(e);
  }
  if (old != 0 && old != d.capacity) {
    Event e = event(EventKind::DeviceResized, d, now);
    e.old_sectors = old;
    e.new_sectors = d.capacity;
    emit(e);
  }
}

// An IDENTIFY that fails leaves a working device alone (its I/O reports its own errors); a device
// that never came up is Failed until revalidate.
void Engine::Impl::identify_failed(Device& d, const Event& why, Nanos) {
  if (d.state == DeviceState::Up) return;
  d.state = DeviceState::Failed;
  Event e = why;
  e.kind = EventKind::DeviceFailed;
  e.state = d.state;
  emit(e);
}

// Re-query every port for the device (finds new paths and new Query Config facts), lift the MTU
// fallback, and re-identify; a down, closewait or failed device comes back up this way.
void Engine::Impl::revalidate(Device& d, Nanos now) {
  for (auto& p : d.paths) {
    p.fallback = false;
    p.large = {};
    refresh_path(p);
  }
  for (PortId port = 0; port < ports.size(); ++port)
    if (port_usable(port)) send_query_config(port, MacAddress::broadcast(), d.address, tag::kDiscover);
  if (d.state != DeviceState::Up) d.state = DeviceState::Discovered;
  start_identify(d, now);
  pump(d, now);
}

// Last close, like Linux: re-query and re-identify, which applies a size change made while the
// device was open and brings a closewait device back.
void Engine::Impl::close(Device& d, Nanos now) {
  if (d.open_count == 0 || --d.open_count > 0) return;
  if (d.state == DeviceState::Failed) return;
  for (PortId port = 0; port < ports.size(); ++port)
    if (port_usable(port)) send_query_config(port, MacAddress::broadcast(), d.address, tag::kDiscover);
  if (d.state == DeviceState::Closewait || d.state == DeviceState::Down) d.state = DeviceState::Discovered;
  start_identify(d, now);
}

}  // namespace aoeh::initiator
