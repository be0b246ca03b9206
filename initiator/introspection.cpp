// Snapshots of devices and paths for drivers, the CLI and the bindings (allocates; not hot).
#include "initiator/engine_impl.hpp"

namespace aoeh::initiator {

DeviceInfo Engine::Impl::info(const Device& d) const {
  DeviceInfo out;
  out.address = d.address;
  out.state = d.state;
  out.capacity_sectors = d.capacity;
  out.lba48 = d.lba48;
  out.model = std::string(d.model.view());
  out.serial = std::string(d.serial.view());
  out.firmware = std::string(d.firmware.view());
  out.open = d.open_count > 0;
  std::uint32_t biggest_payload = 0;
  for (const auto& p : d.paths) biggest_payload = std::max(biggest_payload, p.payload);
  if (biggest_payload == 0) biggest_payload = 2;
  for (std::uint32_t s = 0; s < frames.size(); ++s) {
    const Frame& f = frames[s];
    if (!f.live() || f.device != d.index) continue;
    if (f.state == FrameState::Ready) {
      ++out.queued;
    } else {
      ++out.in_flight;
    }
  }
  // Sectors not yet carved, counted in frames of the largest payload in use.
  for (std::uint32_t r = d.queue_head; r != kNone; r = requests[r].next)
    out.queued += (requests[r].uncarved + biggest_payload - 1) / biggest_payload;
  for (const auto& p : d.paths) {
    PathInfo pi;
    pi.mac = p.mac;
    for (std::uint8_t i = 0; i < p.way_count; ++i) pi.ports.push_back(p.ways[i].port);
    pi.buffer_count = p.buffer_count;
    pi.firmware = p.firmware;
    pi.sector_count = p.sector_count;
    pi.config = p.config;
    pi.payload_sectors = p.payload;
    pi.srtt = p.rtt.srtt();
    pi.rttvar = p.rtt.rttvar();
    pi.rto = path_rto(p);
    pi.cwnd = p.window.window();
    pi.ssthresh = p.window.ssthresh();
    pi.outstanding = p.outstanding;
    pi.healthy = p.healthy;
    pi.fallback = p.fallback;
    out.paths.push_back(std::move(pi));
  }
  return out;
}

std::vector<DeviceInfo> Engine::devices() const {
  std::vector<DeviceInfo> out;
  out.reserve(impl_->devices.size());
  for (std::uint32_t i = 0; i < impl_->devices.size(); ++i) out.push_back(impl_->info(impl_->devices[i]));
  return out;
}

std::optional<DeviceInfo> Engine::device(DeviceAddress address) const {
  const Device* d = static_cast<const DeviceTable&>(impl_->devices).find(address);
  if (d == nullptr) return std::nullopt;
  return impl_->info(*d);
}

}  // namespace aoeh::initiator
