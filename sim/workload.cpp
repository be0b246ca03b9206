#include "sim/workload.hpp"

#include <algorithm>
#include <cstring>

#include "sim/hash.hpp"

namespace aoeh::sim {

void fill_pattern(std::uint64_t seed, proto::DeviceAddress device, std::uint64_t lba, std::span<std::uint8_t> out) {
  const std::uint64_t base = fold(fold(seed, device.key()), lba);
  for (std::size_t i = 0; i + 8 <= out.size(); i += 8) {
    const std::uint64_t w = mix64(base + i);
    std::memcpy(out.data() + i, &w, 8);
  }
}

Workload::Workload(IoSubmitter& host, std::vector<proto::DeviceAddress> devices, WorkloadSpec spec)
    : host_(host), devices_(std::move(devices)), spec_(spec) {
  for (std::uint32_t d = 0; d < devices_.size(); ++d)
    for (std::uint32_t q = 0; q < spec_.queue_depth; ++q) {
      Slot s;
      s.device = d;
      s.region = q;
      s.buffer.resize(std::size_t{spec_.sectors} * 512);
      slots_.push_back(std::move(s));
    }
  expected_.resize(std::size_t{spec_.sectors} * 512);
}

void Workload::start() {
  for (std::uint32_t i = 0; i < slots_.size(); ++i) {
    if (spec_.regions_per_device != 0 && slots_[i].region >= spec_.regions_per_device) continue;
    slots_[i].active = true;
    ++active_slots_;
  }
  for (std::uint32_t i = 0; i < slots_.size(); ++i)
    if (slots_[i].active) issue(i);
}

void Workload::issue(std::uint32_t index) {
  Slot& s = slots_[index];
  const proto::DeviceAddress dev = devices_[s.device];
  const std::uint64_t lba = spec_.first_lba + s.region * spec_.sectors;
  initiator::IoRequest r;
  r.lba = lba;
  r.sectors = spec_.sectors;
  r.buffer = s.buffer;
  r.user_data = index;
  if (spec_.mode == WorkloadSpec::Mode::WriteReadVerify && !s.reading) {
    r.kind = initiator::IoKind::Write;
    fill_pattern(spec_.seed, dev, lba, s.buffer);
  } else {
    r.kind = initiator::IoKind::Read;
  }
  ++result_.submitted;
  const auto res = host_.submit(dev, r);
  if (!res.ok()) {
    ++result_.failed;
    finish(slots_[index]);
  }
}

void Workload::finish(Slot& s) {
  if (!s.active) return;
  s.active = false;
  --active_slots_;
}

void Workload::on_event(const initiator::Event& e) {
  if (e.kind != initiator::EventKind::IoCompleted || e.user_data >= slots_.size()) return;
  const auto index = static_cast<std::uint32_t>(e.user_data);
  Slot& s = slots_[index];
  if (!s.active) return;
  if (e.status != initiator::IoStatus::Ok) {
    ++result_.failed;
    return finish(s);
  }
  ++result_.completed;
  const bool verify = spec_.mode == WorkloadSpec::Mode::WriteReadVerify;
  if (verify && !s.reading) {
    result_.bytes_written += s.buffer.size();
    s.reading = true;
    std::fill(s.buffer.begin(), s.buffer.end(), 0xEE);  // a read that moves nothing cannot pass
  } else {
    result_.bytes_read += s.buffer.size();
    if (verify) {
      fill_pattern(spec_.seed, devices_[s.device], spec_.first_lba + s.region * spec_.sectors, expected_);
      if (expected_ != s.buffer) ++result_.verify_errors;
    }
    ++result_.regions_done;
    s.reading = false;
    s.region += spec_.queue_depth;
    if (stopping_ || (spec_.regions_per_device != 0 && s.region >= spec_.regions_per_device)) return finish(s);
  }
  issue(index);
}

}  // namespace aoeh::sim
