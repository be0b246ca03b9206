// Submitting requests, carving them into frames (io splitting), choosing a path and port for each
// frame (round-robin with windows), and encoding frames when the driver polls.
#include <algorithm>
#include <cstring>

#include "initiator/check.hpp"
#include "initiator/engine_impl.hpp"
#include "protocol/query_config.hpp"

namespace aoeh::initiator {

SubmitResult Engine::Impl::submit(DeviceAddress address, const IoRequest& r, Nanos now) {
  Device* d = devices.find(address);
  if (d == nullptr) return {0, SubmitError::NoSuchDevice};
  if (d->state != DeviceState::Up) return {0, SubmitError::DeviceNotUp};
  if (r.kind != IoKind::Flush) {
    if (r.sectors > cfg.max_request_sectors) return {0, SubmitError::TooLarge};
    if (r.sectors == 0 || r.buffer.size() != std::size_t{r.sectors} * proto::kSectorSize)
      return {0, SubmitError::BadBuffer};
    if (r.lba > d->capacity || r.sectors > d->capacity - r.lba) return {0, SubmitError::BeyondEnd};
  }

  std::uint32_t ri;
  if (!free_requests.empty()) {
    ri = free_requests.back();
    free_requests.pop_back();
  } else {
    ri = static_cast<std::uint32_t>(requests.size());
    requests.emplace_back();
  }
  Request& q = requests[ri];  // every field set below (no zero-fill on the per-request path)
  q.id = next_request_id++;
  q.user_data = r.user_data;
  q.kind = r.kind;
  q.lba = r.kind == IoKind::Flush ? 0 : r.lba;
  q.sectors = r.kind == IoKind::Flush ? 0 : r.sectors;
  q.buffer = r.kind == IoKind::Flush ? std::span<std::uint8_t>{} : r.buffer;
  q.device = d->index;
  q.next_lba = q.lba;
  q.uncarved = r.kind == IoKind::Flush ? 1 : r.sectors;  // a FLUSH is one zero-sector frame
  q.live_frames = 0;
  q.next = kNone;
  q.done = false;

  if (!d->has_work()) {
    d->last_progress = now;  // the dead_after clock runs while the device has work
    if (cfg.dead_after > 0) arm(now + cfg.dead_after);
  }
  q.queued = true;
  if (d->queue_tail == kNone) {
    d->queue_head = ri;
  } else {
    requests[d->queue_tail].next = ri;
  }
  d->queue_tail = ri;
  const RequestId id = q.id;
  pump(*d, now);
  return {id, SubmitError::None};
}

// Fills the device's path windows: retransmissions and IDENTIFY first (they are older), then new
// frames carved from the head request, each sized for the path it is about to take.
void Engine::Impl::pump(Device& d, Nanos now) {
  for (;;) {
    if (!d.ready.empty()) {
      const FrameRef ref = d.ready.front();
      if (!frames.is(ref, FrameState::Ready)) {  // cancelled while queued
        d.ready.pop_front();
        continue;
      }
      const bool resend = frames[ref.slot].gen >= frames[ref.slot].first_gen;
      const int avoid_path = resend ? frames[ref.slot].path : -1;
      const int pi = pick_path(d, avoid_path);
      if (pi < 0) return;
      d.ready.pop_front();
      Path& p = d.paths[pi];
      if (frames[ref.slot].kind == FrameKind::Io && frames[ref.slot].sectors > p.payload)
        split_for_payload(ref.slot, d, p.payload);
      const int avoid_way = resend && pi == avoid_path ? frames[ref.slot].way : -1;
      transmit(ref.slot, d, pi, pick_way(p, avoid_way), now);
      continue;
    }
    if (d.queue_head == kNone) return;
    const int pi = pick_path(d, -1);
    if (pi < 0) return;
    const std::uint32_t slot = frames.allocate();
    if (slot == kNone) return;
    const std::uint32_t ri = d.queue_head;
    Request& q = requests[ri];
    Frame& f = frames[slot];
    Path& p = d.paths[pi];
    f.kind = FrameKind::Io;
    f.device = d.index;
    f.request = ri;
    if (q.kind == IoKind::Flush) {
      f.sectors = 0;
      q.uncarved = 0;
    } else {
      const std::uint32_t n = std::min(q.uncarved, p.payload);
      f.lba = q.next_lba;
      f.sectors = static_cast<std::uint8_t>(n);
      q.next_lba += n;
      q.uncarved -= n;
    }
    ++q.live_frames;
    ++d.live_frames;
    if (q.uncarved == 0) {  // fully carved: leaves the queue, completes when its frames have
      q.queued = false;
      d.queue_head = q.next;
      if (d.queue_head == kNone) d.queue_tail = kNone;
      q.next = kNone;
    }
    transmit(slot, d, pi, pick_way(p, -1), now);
  }
}

// Round-robin over paths with window room. Unhealthy paths are skipped while a healthy usable
// path exists (full or not), so a flapping path cannot stall I/O, yet the last paths standing are
// still used. `avoid` (a retransmission's previous path) is taken only when nothing else has room.
int Engine::Impl::pick_path(Device& d, int avoid) {
  const int n = static_cast<int>(d.paths.size());
  if (n == 1) {  // the common case: no round-robin to do
    const Path& p = d.paths[0];
    return p.payload > 0 && p.has_room() ? 0 : -1;
  }
  if (n == 0) return -1;
  bool healthy_usable = false;
  for (const auto& p : d.paths) healthy_usable |= p.healthy && p.payload > 0;
  int second_choice = -1;
  for (int i = 0; i < n; ++i) {
    const int idx = static_cast<int>((d.next_path + static_cast<std::uint32_t>(i)) % static_cast<std::uint32_t>(n));
    const Path& p = d.paths[idx];
    if (p.payload == 0 || !p.has_room()) continue;
    if (!p.healthy && healthy_usable) continue;
    if (idx == avoid && n > 1) {
      second_choice = idx;
      continue;
    }
    d.next_path = static_cast<std::uint32_t>(idx + 1) % static_cast<std::uint32_t>(n);
    return idx;
  }
  if (second_choice >= 0) d.next_path = static_cast<std::uint32_t>(second_choice + 1) % static_cast<std::uint32_t>(n);
  return second_choice;
}

// Round-robin over the path's ports that are up. A dropped port (too many losses, see
// frame_timed_out) is used only when no other port is left; `avoid` (the port a retransmission
// timed out on) only when it is the one port that is not dropped.
int Engine::Impl::pick_way(Path& p, int avoid) {
  const int n = p.way_count;
  if (n == 1) return 0;  // a path with payload has its one port up
  int chosen = -1, dropped_choice = -1, avoided = -1;
  for (int i = 0; i < n; ++i) {
    const int idx = (p.next_way + i) % n;
    const Way& w = p.ways[idx];
    if (!port_usable(w.port)) continue;
    if (w.dropped) {
      if (dropped_choice < 0) dropped_choice = idx;
      continue;
    }
    if (idx == avoid) {
      avoided = idx;
      continue;
    }
    chosen = idx;
    break;
  }
  if (chosen < 0) chosen = avoided >= 0 ? avoided : dropped_choice;
  AOEH_CHECK(chosen >= 0, "a path with payload has a usable port");
  if (chosen < 0) chosen = 0;
  p.next_way = static_cast<std::uint8_t>((chosen + 1) % n);
  return chosen;
}

void Engine::Impl::transmit(std::uint32_t slot, Device& d, int pi, int wi, Nanos now) {
  Frame& f = frames[slot];
  Path& p = d.paths[pi];
  AOEH_CHECK(p.outstanding < p.window.window(), "send only with window room");
  AOEH_CHECK(f.state == FrameState::Ready, "only ready frames are sent");
  if (f.gen >= f.first_gen) {
    ++counters.retransmits;
  } else {
    f.first_sent_at = now;
    f.first_path = static_cast<std::uint16_t>(pi);
  }
  ++f.gen;  // a fresh tag for every transmission
  f.state = FrameState::Outstanding;
  f.path = static_cast<std::uint16_t>(pi);
  f.way = static_cast<std::uint16_t>(wi);
  f.sent_at = now;
  f.deadline = now + RttEstimator::backed_off(path_rto(p), f.backoff, cfg.rto_max);
  ++p.outstanding;
  if (p.unanswered_since == kNever) {
    p.unanswered_since = now;
    arm(now + cfg.path_unhealthy_after);
  }
  arm(f.deadline);
  ata_tx.push_back(AtaTx{slot, f.gen});
}

// A frame carved for a larger payload is about to go on a path that takes fewer sectors (MTU
// fallback, a smaller port): it keeps its head and the rest becomes new frames behind it.
void Engine::Impl::split_for_payload(std::uint32_t slot, Device& d, std::uint32_t payload) {
  if (payload == 0) return;
  while (frames[slot].sectors > payload) {
    const std::uint32_t extra = frames.allocate();
    if (extra == kNone) return;
    Frame& f = frames[slot];  // allocate() may have moved the pool
    Frame& g = frames[extra];
    const std::uint32_t keep_back = std::min<std::uint32_t>(payload, f.sectors - payload);
    // Peel the tail chunk off f.
    g.kind = FrameKind::Io;
    g.device = f.device;
    g.request = f.request;
    g.sectors = static_cast<std::uint8_t>(keep_back);
    g.lba = f.lba + (f.sectors - keep_back);
    g.error_retries = f.error_retries;
    f.sectors = static_cast<std::uint8_t>(f.sectors - keep_back);
    ++requests[f.request].live_frames;
    ++d.live_frames;
    d.ready.push_front(FrameRef{extra, g.epoch});
  }
}

std::optional<Transmit> Engine::Impl::poll_transmit() {
  const std::span<std::uint8_t> out(scratch.data(), scratch.size());
  while (!config_tx.empty()) {
    const ConfigTx e = config_tx.pop_front();
    if (!port_usable(e.port)) continue;
    proto::Header h;
    h.dst = e.dst;
    h.src = ports[e.port].config.mac;
    h.set_address(e.address);
    h.command = static_cast<std::uint8_t>(proto::Command::QueryConfig);
    h.tag = e.tag;
    const std::size_t n = proto::encode_query_config(out, h, proto::QueryConfigArg{});
    if (n == 0) continue;
    ++counters.frames_sent;
    return Transmit{e.port, e.dst, {scratch.data(), n}};
  }
  while (!ata_tx.empty()) {
    const AtaTx e = ata_tx.pop_front();
    const Frame& f = frames[e.slot];
    if (f.state != FrameState::Outstanding || f.gen != e.gen) continue;  // superseded or cancelled
    const Device& d = devices[f.device];
    const Path& p = d.paths[f.path];
    const PortId port = p.ways[f.way].port;
    if (!port_usable(port)) continue;  // the port went down: the frame times out and moves on
    proto::Header h;
    h.dst = p.mac;
    h.src = ports[port].config.mac;
    h.set_address(d.address);
    h.command = static_cast<std::uint8_t>(proto::Command::Ata);
    h.tag = f.tag(e.slot);
    proto::AtaArg a;
    proto::ByteSpan data;
    if (f.kind == FrameKind::Identify) {
      a = proto::ata_identify_arg();
    } else {
      const Request& q = requests[f.request];
      switch (q.kind) {
        case IoKind::Read:
          a = proto::ata_read_arg(f.lba, f.sectors, d.lba48);
          break;
        case IoKind::Write:
          a = proto::ata_write_arg(f.lba, f.sectors, d.lba48);
          data = q.buffer.subspan((f.lba - q.lba) * proto::kSectorSize, std::size_t{f.sectors} * proto::kSectorSize);
          break;
        case IoKind::Flush:
          a = proto::ata_flush_arg(d.lba48);
          break;
      }
    }
    const std::size_t n = proto::encode_ata(out, h, a, data);
    if (n == 0) continue;
    ++counters.frames_sent;
    return Transmit{port, p.mac, {scratch.data(), n}};
  }
  return std::nullopt;
}

}  // namespace aoeh::initiator
