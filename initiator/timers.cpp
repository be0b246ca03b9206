// Time-driven work: periodic discovery, dead devices, frame timeouts (retransmission with backoff),
// AoE Error 3 retries, path health and probes.
//
// next_timeout() returns `timer_hint`, a lower bound of every pending deadline kept up to date as
// deadlines are set. Replies do not raise it (that would need a heap per frame); a wake-up that
// finds nothing due costs one scan and recomputes the exact bound. handle_timeout() is O(frames +
// paths) when something is due and O(1) otherwise.
#include "initiator/check.hpp"
#include "initiator/engine_impl.hpp"

namespace aoeh::initiator {

void Engine::Impl::handle_timeout(Nanos now) {
  if (now < timer_hint) return;
  timer_hint = kNever;

  if (next_discover != kNever) {
    if (next_discover <= now) {
      discover_all(now);
    } else {
      arm(next_discover);
    }
  }

  // Dead devices first: their frames are failed, not retransmitted.
  for (std::uint32_t i = 0; i < devices.size(); ++i) {
    Device& d = devices[i];
    if (!d.has_work() || cfg.dead_after <= 0) continue;
    if (now - d.last_progress >= cfg.dead_after) {
      device_down(d, now);
    } else {
      arm(d.last_progress + cfg.dead_after);
    }
  }

  for (std::uint32_t s = 0; s < frames.size(); ++s) {
    Frame& f = frames[s];
    // Linux's rule as well: one frame unanswered for dead_after takes its device down even while
    // other frames are answered; otherwise its request could wait forever. (Taking the device down
    // retires this slot and every later one of the device, which the loop then skips.)
    if (f.live() && f.gen >= f.first_gen && cfg.dead_after > 0) {
      if (now - f.first_sent_at >= cfg.dead_after) {
        device_down(devices[f.device], now);
        continue;
      }
      arm(f.first_sent_at + cfg.dead_after);
    }
    if (f.state == FrameState::Outstanding) {
      if (f.deadline <= now) {
        frame_timed_out(s, now);
      } else {
        arm(f.deadline);
      }
    } else if (f.state == FrameState::Waiting) {
      if (f.deadline <= now) {
        f.state = FrameState::Ready;
        f.deadline = kNever;
        Device& d = devices[f.device];
        d.ready.push_back(FrameRef{s, f.epoch});
        d.pump_pending = true;
      } else {
        arm(f.deadline);
      }
    }
  }

  for (std::uint32_t i = 0; i < devices.size(); ++i) {
    Device& d = devices[i];
    for (auto& p : d.paths) {
      if (p.healthy && p.unanswered_since != kNever) {
        if (now - p.unanswered_since >= cfg.path_unhealthy_after) {
          // Linux "taints" such a path; we also stop giving it new I/O while another path works.
          p.healthy = false;
          p.next_probe = now;
          Event e = event(EventKind::PathUnhealthy, d, now);
          e.path = p.mac;
          emit(e);
          d.pump_pending = true;
        } else {
          arm(p.unanswered_since + cfg.path_unhealthy_after);
        }
      }
      if (!p.healthy) {
        if (p.next_probe <= now) {
          probe_path(d, p, now);
          p.next_probe = now + std::max<Nanos>(cfg.probe_interval, 1);
        }
        arm(p.next_probe);
      }
    }
    if (d.pump_pending) {
      d.pump_pending = false;
      pump(d, now);
    }
  }
}

void Engine::Impl::frame_timed_out(std::uint32_t slot, Nanos now) {
  Frame& f = frames[slot];
  Device& d = devices[f.device];
  Path& p = d.paths[f.path];
  ++counters.timeouts;
  --p.outstanding;
  // Linux drops an interface of a target after more than 2 x window losses; it returns with the
  // next answer on that port (discovery and probes ask on every port).
  Way& w = p.ways[f.way];
  if (++w.losses > 2 * std::max<std::uint32_t>(p.window.window(), 1)) w.dropped = true;
  p.window.on_timeout(f.sent_at, now);
  if (f.backoff < 30) ++f.backoff;
  f.state = FrameState::Ready;
  f.deadline = kNever;
  // Back of the queue: the retransmission goes to another path or port when one has room
  // (pump avoids the frame's last path). A late answer to this tag still completes it.
  d.ready.push_back(FrameRef{slot, f.epoch});
  d.pump_pending = true;
  note_large_result(d, p, large_direction(f), false, now);
}

// dead_after without progress (no answer at all, or one frame unanswered that long): every queued
// and in-flight request fails with DeviceDown.
void Engine::Impl::device_down(Device& d, Nanos now) {
  for (std::uint32_t s = 0; s < frames.size(); ++s)
    if (frames[s].live() && frames[s].device == d.index) retire_frame(s, true);
  for (std::uint32_t r = d.queue_head; r != kNone;) {
    const std::uint32_t next = requests[r].next;
    requests[r].queued = false;
    requests[r].next = kNone;
    r = next;
  }
  d.queue_head = d.queue_tail = kNone;
  d.ready.clear();
  d.identifying = false;
  for (std::uint32_t r = 0; r < requests.size(); ++r)
    if (requests[r].id != 0 && requests[r].device == d.index && !requests[r].done)
      complete_request(r, IoStatus::DeviceDown, 0, 0, proto::AoeError::None, now);
  d.state = d.open_count > 0 ? DeviceState::Closewait : DeviceState::Down;
  emit(event(EventKind::DeviceDown, d, now));
}

}  // namespace aoeh::initiator
