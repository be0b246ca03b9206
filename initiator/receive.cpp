// Incoming frames: validation and dispatch, ATA replies (tags, data, errors), request completion.
#include <algorithm>
#include <cstring>

#include "initiator/check.hpp"
#include "initiator/engine_impl.hpp"

namespace aoeh::initiator {

void Engine::Impl::on_frame(PortId port, std::span<const std::uint8_t> bytes, Nanos now) {
  if (!port_usable(port)) {  // not on the allow-list (or down): never acted upon
    ++counters.ignored;
    return;
  }
  ++counters.frames_received;
  // The header, then the body of the two commands an initiator acts on, parsed directly (no
  // Message variant on the per-frame path). Query Config answers may carry version 0 (vblade's
  // start-up announcement); every other frame must say 1. Reserved bits are tolerated in
  // replies: they change nothing we read.
  const auto header = proto::parse_header(bytes);
  if (!header || (header->version != proto::kAoEVersion &&
                  header->command != static_cast<std::uint8_t>(proto::Command::QueryConfig))) {
    ++counters.malformed;
    return;
  }
  const proto::Header& h = header.value();
  if (h.command == static_cast<std::uint8_t>(proto::Command::Ata)) {  // the per-frame path
    const auto body = proto::parse_ata_body(h, bytes, false);
    if (!body) {
      ++counters.malformed;
      return;
    }
    if (accept_reply(port, h)) on_ata(port, h, body.value(), now);
    return;
  }
  if (h.command == static_cast<std::uint8_t>(proto::Command::QueryConfig)) {
    const auto q = proto::parse_query_config_body(h, bytes);
    if (!q) {
      ++counters.malformed;
      return;
    }
    if (accept_reply(port, h)) on_config(port, h, q.value(), now);
    return;
  }
  // Mac Mask List, Reserve/Release and vendor answers: checked, counted, not ours to act on.
  proto::ParseOptions options;
  options.reject_reserved = false;
  if (!proto::parse_frame(bytes, options)) {
    ++counters.malformed;
    return;
  }
  if (accept_reply(port, h)) ++counters.ignored;
}

// A reply to this host: a response, unicast to the receiving port's MAC or broadcast. Requests
// (another initiator's) and frames for other hosts are ignored; Error replies are counted by code.
bool Engine::Impl::accept_reply(PortId port, const proto::Header& h) {
  if (!h.is_response() || (!h.dst.is_multicast() && h.dst != ports[port].config.mac)) {
    ++counters.ignored;
    return false;
  }
  if (h.is_error()) ++counters.error_replies[std::min<std::uint8_t>(h.error, 7)];
  return true;
}

void Engine::Impl::on_ata(PortId port, const proto::Header& h, const proto::AtaBody& body, Nanos now) {
  if ((h.tag & tag::kToolBit) != 0) {
    ++counters.unknown_tags;
    return;
  }
  std::uint32_t answered_gen = 0;
  const TagMatch match = frames.match(h.tag, &answered_gen);
  switch (match) {
    case TagMatch::Unknown: ++counters.unknown_tags; return;
    case TagMatch::Finished: ++counters.duplicate_replies; return;
    case TagMatch::Cancelled: ++counters.ignored; return;
    case TagMatch::Current:
    case TagMatch::Earlier: break;
  }
  const std::uint32_t slot = tag::slot_of(h.tag);
  Frame& f = frames[slot];
  Device& d = devices[f.device];
  if (h.address() != d.address) {  // a tag we use, but not for this device: not our reply
    ++counters.unknown_tags;
    return;
  }
  const bool aoe_error = h.is_error();
  const bool ata_failed = !aoe_error && (body.arg.cmd_status & proto::ata::kStatusFailMask) != 0;
  const bool is_read = f.kind == FrameKind::Identify || requests[f.request].kind == IoKind::Read;
  const std::size_t need =
      aoe_error || ata_failed || !is_read ? 0 : std::size_t{f.kind == FrameKind::Identify ? 1u : f.sectors} * proto::kSectorSize;
  if (body.data.size() < need) {  // a read answer without its data: wait for a proper one
    ++counters.malformed;
    return;
  }
  const bool late = match == TagMatch::Earlier;
  if (late) ++counters.late_replies;
  d.last_progress = now;
  const std::uint16_t pi = f.path;
  const bool was_outstanding = f.state == FrameState::Outstanding;
  // The tag names the transmission exactly, so a reply is a clean RTT sample (Karn's ambiguity does
  // not arise) when we know that transmission's send time: the latest, or the first. A late reply
  // to the first transmission is the sample that matters most: it says the timeout was spurious
  // (the link is slower than the estimate, e.g. large frames on a slow link after an RTT learned
  // from small ones); without it the estimate would never learn and every frame would time out.
  // The sample belongs to the path that transmission took: a retransmission may have moved the
  // frame to another path since.
  if (!late && was_outstanding) {
    d.paths[pi].rtt.sample(now - f.sent_at);
  } else if (late && answered_gen == f.first_gen) {
    d.paths[f.first_path].rtt.sample(now - f.first_sent_at);
  }
  Path* const src = d.find_path(h.src);  // the path that answered (a late reply's may not be pi)

  if (aoe_error) {
    const proto::AoeError code = h.aoe_error();
    if (code == proto::AoeError::DeviceUnavailable && f.error_retries < cfg.device_unavailable_retries) {
      // Device unavailable is transient: leave the window and retry after one RTO.
      ++f.error_retries;
      if (was_outstanding) --d.paths[pi].outstanding;
      f.state = FrameState::Waiting;
      f.deadline = now + path_rto(d.paths[pi]);
      arm(f.deadline);
    } else {
      // Linux logs and drops every Error reply, so a request retries until the device is declared
      // dead minutes later. Codes 1 and 2 cannot succeed by retrying; 6 is a reservation.
      fail_frame(slot, code == proto::AoeError::TargetReserved ? IoStatus::Reserved : IoStatus::AoeError, 0, 0, code,
                 now);
    }
  } else if (ata_failed) {
    fail_frame(slot, IoStatus::AtaError, body.arg.cmd_status, body.arg.err_feature, proto::AoeError::None, now);
  } else {
    if (was_outstanding) d.paths[pi].window.on_reply();
    note_large_result(d, src != nullptr ? *src : d.paths[pi], large_direction(f), true, now);
    if (f.kind == FrameKind::Identify) {
      frame_done(slot, now);
      on_identified(d, body.data.first(proto::kSectorSize), now);
    } else {
      if (need > 0) {
        const Request& q = requests[f.request];
        std::memcpy(q.buffer.data() + (f.lba - q.lba) * proto::kSectorSize, body.data.data(), need);
      }
      frame_done(slot, now);
    }
  }
  if (src != nullptr) path_answered(d, *src, port, true, now);
  pump(d, now);
}

// Any answer from a path proves it alive: its ports' loss counts restart, an unhealthy path comes
// back (in slow start). Only ATA answers restart the unanswered clock, so a target that answers
// Query Config but not I/O still ends up unhealthy.
void Engine::Impl::path_answered(Device& d, Path& p, PortId port, bool ata, Nanos now) {
  for (std::uint8_t i = 0; i < p.way_count; ++i) {
    if (p.ways[i].port != port) continue;
    p.ways[i].losses = 0;
    p.ways[i].dropped = false;
  }
  if (ata || !p.healthy) {
    p.unanswered_since = p.outstanding > 0 ? now : kNever;
    if (p.outstanding > 0) arm(now + cfg.path_unhealthy_after);
  }
  if (!p.healthy) {
    p.healthy = true;
    p.next_probe = kNever;
    p.window.restart();
    Event e = event(EventKind::PathHealthy, d, now);
    e.path = p.mac;
    e.port = port;
    emit(e);
  }
}

void Engine::Impl::retire_frame(std::uint32_t slot, bool cancelled) {
  Frame& f = frames[slot];
  Device& d = devices[f.device];
  if (f.state == FrameState::Outstanding) --d.paths[f.path].outstanding;
  --d.live_frames;
  if (f.kind == FrameKind::Identify) d.identifying = false;
  if (f.request != kNone) --requests[f.request].live_frames;
  frames.release(slot, cancelled);
}

void Engine::Impl::frame_done(std::uint32_t slot, Nanos now) {
  const std::uint32_t ri = frames[slot].request;
  retire_frame(slot, false);
  if (ri == kNone) return;
  const Request& q = requests[ri];
  if (!q.done && q.live_frames == 0 && q.uncarved == 0) complete_request(ri, IoStatus::Ok, 0, 0, proto::AoeError::None, now);
}

void Engine::Impl::fail_frame(std::uint32_t slot, IoStatus status, std::uint8_t ata_status, std::uint8_t ata_error,
                              proto::AoeError aoe, Nanos now) {
  Frame& f = frames[slot];
  Device& d = devices[f.device];
  if (f.kind == FrameKind::Identify) {
    retire_frame(slot, false);
    Event why = event(EventKind::DeviceFailed, d, now);
    why.status = status;
    why.ata_status = ata_status;
    why.ata_error = ata_error;
    why.aoe_error = aoe;
    identify_failed(d, why, now);
    return;
  }
  const std::uint32_t ri = f.request;
  retire_frame(slot, false);
  complete_request(ri, status, ata_status, ata_error, aoe, now);
}

// Completes a request exactly once. A failure cancels the request's other frames: their buffers
// belong to the caller again once the completion event is out, so no later reply may touch them.
void Engine::Impl::complete_request(std::uint32_t ri, IoStatus status, std::uint8_t ata_status, std::uint8_t ata_error,
                                    proto::AoeError aoe, Nanos now) {
  Request& q = requests[ri];
  AOEH_CHECK(!q.done && q.id != 0, "a request completes exactly once");
  q.done = true;
  Device& d = devices[q.device];
  if (q.live_frames > 0) {
    for (std::uint32_t s = 0; s < frames.size() && q.live_frames > 0; ++s)
      if (frames[s].live() && frames[s].request == ri) retire_frame(s, true);
  }
  if (q.queued) unqueue_request(d, ri);
  Event& e = emit_slot();
  e.kind = EventKind::IoCompleted;
  e.time = now;
  e.device = d.address;
  e.state = d.state;
  e.request = q.id;
  e.user_data = q.user_data;
  e.status = status;
  e.ata_status = ata_status;
  e.ata_error = ata_error;
  e.aoe_error = aoe;
  if (status == IoStatus::Ok) {
    ++counters.requests_completed;
  } else {
    ++counters.requests_failed;
  }
  q.id = 0;
  q.buffer = {};
  free_requests.push_back(ri);
}

void Engine::Impl::unqueue_request(Device& d, std::uint32_t ri) {
  std::uint32_t prev = kNone;
  for (std::uint32_t cur = d.queue_head; cur != kNone; prev = cur, cur = requests[cur].next) {
    if (cur != ri) continue;
    const std::uint32_t next = requests[cur].next;
    if (prev == kNone) {
      d.queue_head = next;
    } else {
      requests[prev].next = next;
    }
    if (d.queue_tail == cur) d.queue_tail = prev;
    break;
  }
  requests[ri].queued = false;
  requests[ri].next = kNone;
}

int Engine::Impl::large_direction(const Frame& f) const {
  if (f.kind != FrameKind::Io || f.sectors <= 2) return -1;
  return requests[f.request].kind == IoKind::Write ? LargeRun::kOut : LargeRun::kIn;
}

// MTU-mismatch evidence: large frames timing out while small exchanges (Query Config, IDENTIFY,
// <= 2-sector frames) succeed on the same path, per direction: a large WRITE's success proves
// large frames reach the target, not that large READ replies come back (and vice versa), so with
// a one-way mismatch the working direction must not keep resetting the failing one's run. A
// large frame's timeout also sends a small liveness probe so the evidence does not wait for the
// next discovery round. `direction` is -1 for a small exchange.
void Engine::Impl::note_large_result(Device& d, Path& p, int direction, bool ok, Nanos now) {
  if (ok) {
    if (direction >= 0) {  // large frames do get through this way (late replies included)
      p.large[static_cast<std::size_t>(direction)] = LargeRun{};
      return;
    }
    bool any = false;
    for (auto& run : p.large) {
      if (run.timeouts == 0) continue;
      run.small_ok = true;
      any = true;
    }
    if (any) maybe_fallback(d, p, now);
    return;
  }
  if (direction < 0) return;
  LargeRun& run = p.large[static_cast<std::size_t>(direction)];
  if (run.timeouts++ == 0) run.since = now;
  maybe_fallback(d, p, now);
  if (cfg.payload_fallback && !p.fallback && !run.small_ok && now >= p.next_liveness_probe) {
    p.next_liveness_probe = now + path_rto(p);
    probe_path(d, p, now);
  }
}

// Evidence needed, in either direction: fallback_after_timeouts consecutive large-frame timeouts
// spread over at least max(fallback_after, 4 RTO) with no large reply at all in that direction,
// not even a late one (a merely slow link, whose spurious timeouts are followed by late replies,
// is not a mismatch), and a small exchange that succeeded meanwhile (so it is not an outage). The
// fallback itself covers the whole path: both directions drop to 2-sector frames.
void Engine::Impl::maybe_fallback(Device& d, Path& p, Nanos now) {
  if (!cfg.payload_fallback || p.fallback || p.payload <= 2) return;
  const Nanos span = std::max(cfg.fallback_after, 4 * path_rto(p));
  bool evident = false;
  for (const auto& run : p.large)
    evident |= run.timeouts >= std::max<std::uint32_t>(cfg.fallback_after_timeouts, 1) && run.small_ok &&
               now - run.since >= span;
  if (!evident) return;
  p.fallback = true;
  refresh_path(p);
  ++counters.fallbacks;
  Event e = event(EventKind::PayloadFallback, d, now);
  e.path = p.mac;
  emit(e);
}

}  // namespace aoeh::initiator
