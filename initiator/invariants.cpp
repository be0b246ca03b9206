// The engine's internal invariants, checked after every input in checked builds and on demand.
#include <algorithm>
#include <string>
#include <vector>

#include "initiator/engine_impl.hpp"

namespace aoeh::initiator {

std::string Engine::Impl::check_invariants() const {
  auto fail = [](std::string what) { return what; };
  std::vector<std::uint32_t> tags;
  std::vector<std::uint32_t> device_frames(devices.size(), 0);
  std::vector<std::vector<std::uint32_t>> path_out(devices.size());
  for (std::uint32_t i = 0; i < devices.size(); ++i) path_out[i].assign(devices[i].paths.size(), 0);
  std::vector<std::uint32_t> request_frames(requests.size(), 0);
  std::uint32_t live = 0;

  for (std::uint32_t s = 0; s < frames.size(); ++s) {
    const Frame& f = frames[s];
    if (!f.live()) continue;
    ++live;
    if (f.device >= devices.size()) return fail("frame " + std::to_string(s) + " names no device");
    const Device& d = devices[f.device];
    ++device_frames[f.device];
    if (f.kind == FrameKind::Io) {
      if (f.request >= requests.size()) return fail("I/O frame without a request");
      const Request& q = requests[f.request];
      if (q.id == 0 || q.done) return fail("live frame of a finished request");
      if (q.device != f.device) return fail("frame and request disagree on the device");
      ++request_frames[f.request];
      if (q.kind != IoKind::Flush && (f.lba < q.lba || f.lba + f.sectors > q.lba + q.sectors))
        return fail("frame outside its request");
    } else if (!d.identifying) {
      return fail("IDENTIFY frame while the device is not identifying");
    }
    if (f.state == FrameState::Outstanding) {
      if (f.path >= d.paths.size()) return fail("outstanding frame on no path");
      ++path_out[f.device][f.path];
      tags.push_back(f.tag(s));
      if (f.gen < f.first_gen) return fail("outstanding frame never transmitted");
    }
  }
  if (live != frames.live()) return fail("pool live count is off");
  std::sort(tags.begin(), tags.end());
  if (std::adjacent_find(tags.begin(), tags.end()) != tags.end()) return fail("duplicate outstanding tag");

  for (std::uint32_t i = 0; i < devices.size(); ++i) {
    const Device& d = devices[i];
    if (d.live_frames != device_frames[i]) return fail("device " + d.address.to_string() + " frame count is off");
    if (d.state != DeviceState::Up && d.state != DeviceState::Discovered && d.has_work())
      return fail("device " + d.address.to_string() + " holds work while " + device_state_name(d.state));
    for (std::size_t p = 0; p < d.paths.size(); ++p) {
      const Path& path = d.paths[p];
      if (path.outstanding != path_out[i][p]) return fail("path outstanding count is off");
      if (path.window.window() > path_cap(path) || path.window.cwnd() > path.window.cap())
        return fail("window above its cap");
      if (path.outstanding > cfg.max_outstanding_per_path) return fail("outstanding above the configured maximum");
    }
    std::uint32_t steps = 0;
    for (std::uint32_t r = d.queue_head; r != kNone; r = requests[r].next) {
      if (++steps > requests.size()) return fail("request queue loops");
      if (!requests[r].queued || requests[r].device != i) return fail("queued request out of place");
      if (requests[r].next == kNone && d.queue_tail != r) return fail("queue tail is off");
    }
  }
  for (std::uint32_t r = 0; r < requests.size(); ++r) {
    const Request& q = requests[r];
    if (q.id == 0) {
      if (request_frames[r] != 0) return fail("free request with frames");
      continue;
    }
    if (q.live_frames != request_frames[r]) return fail("request frame count is off");
    if (q.live_frames == 0 && q.uncarved == 0) return fail("request finished but not completed");
  }
  return {};
}

}  // namespace aoeh::initiator
