#include "faults/plan_workload.hpp"

#include <algorithm>

#include "sim/simulator.hpp"

namespace aoeh::faults {

using initiator::EventKind;
using initiator::IoKind;
using initiator::IoStatus;

namespace {
constexpr std::uint32_t kFinalReadSectors = 64;
}

PlanWorkload::PlanWorkload(const WorkloadPlan& plan, sim::EngineHost& host, std::vector<proto::DeviceAddress> addresses,
                           DurabilityChecker* checker, sim::Rng rng)
    : plan_(plan), host_(host), checker_(checker), rng_(rng) {
  for (std::uint32_t i = 0; i < addresses.size(); ++i) {
    Device d;
    d.address = addresses[i];
    d.plan_index = i < plan_.devices.size() ? plan_.devices[i] : i;
    d.cursor = plan_.offset_sectors;
    devices_.push_back(std::move(d));
  }
  const std::size_t buffer = std::size_t{std::max(plan_.max_sectors, kFinalReadSectors)} * 512;
  for (std::uint32_t d = 0; d < devices_.size(); ++d)
    for (std::uint32_t q = 0; q < plan_.queue_depth; ++q) {
      Slot s;
      s.device = d;
      s.buffer.resize(buffer);
      slots_.push_back(std::move(s));
    }
}

std::uint32_t PlanWorkload::device_of(proto::DeviceAddress a) const {
  for (std::uint32_t i = 0; i < devices_.size(); ++i)
    if (devices_[i].address == a) return i;
  return static_cast<std::uint32_t>(devices_.size());
}

void PlanWorkload::start() {
  const Nanos now = host_.now();
  stats_.started_at = now;
  for (auto& d : devices_) {
    const auto info = host_.engine().device(d.address);
    if (info && info->state == initiator::DeviceState::Up) {
      d.up = true;
      d.capacity = info->capacity_sectors;
    }
    if (info && plan_.open && !d.opened) {
      d.opened = true;
      host_.open(d.address);
    }
  }
  if (plan_.duration > 0) {
    host_.at(now + plan_.duration, [this] {
      stopping_ = true;
      check_finished();
    });
  }
  for (std::uint32_t i = 0; i < slots_.size(); ++i) issue(i);
  check_finished();
}

std::uint64_t PlanWorkload::span_end(const Device& d) const {
  std::uint64_t end = d.capacity;
  if (plan_.span_sectors != 0) end = std::min(end, plan_.offset_sectors + plan_.span_sectors);
  return end;
}

// Device d's slots are slots_[d * queue_depth, (d + 1) * queue_depth) (the constructor's order):
// per-request scans stay within one device instead of walking every device's slots.
bool PlanWorkload::overlaps(std::uint32_t device, std::uint64_t lba, std::uint32_t sectors) const {
  const std::size_t first = std::size_t{device} * plan_.queue_depth;
  for (std::size_t i = first; i < first + plan_.queue_depth; ++i) {
    const Slot& s = slots_[i];
    if (s.state == SlotState::Busy && s.kind != IoKind::Flush && lba < s.lba + s.sectors && s.lba < lba + sectors)
      return true;
  }
  return false;
}

bool PlanWorkload::pick(Slot& s, Device& d) {
  const std::uint64_t lo = plan_.offset_sectors, hi = span_end(d);
  s.kind = rng_.uniform() < plan_.read_fraction ? IoKind::Read : IoKind::Write;
  s.sectors = plan_.min_sectors + static_cast<std::uint32_t>(rng_.below(plan_.max_sectors - plan_.min_sectors + 1));
  if (hi <= lo || hi - lo < s.sectors) return false;
  for (int attempt = 0; attempt < 8; ++attempt) {
    if (plan_.pattern == WorkloadPlan::Pattern::Sequential) {
      if (d.cursor < lo || d.cursor + s.sectors > hi) d.cursor = lo;
      s.lba = d.cursor;
      d.cursor += s.sectors;
    } else {
      s.lba = lo + rng_.below(hi - lo - s.sectors + 1);
    }
    if (!overlaps(s.device, s.lba, s.sectors)) return true;
  }
  return false;
}

bool PlanWorkload::budget_spent() const {
  if (plan_.bytes != 0 && stats_.bytes_read + stats_.bytes_written >= plan_.bytes) return true;
  if (plan_.duration != 0 && host_.now() - stats_.started_at >= plan_.duration) return true;
  return false;
}

void PlanWorkload::issue(std::uint32_t index) {
  Slot& s = slots_[index];
  Device& d = devices_[s.device];
  s.state = SlotState::Idle;
  s.final_read = false;
  initiator::IoRequest r;
  if (final_phase_) {
    while (d.next_extent < d.final_extents.size() &&
           d.final_extents[d.next_extent].first + d.final_extents[d.next_extent].second > d.capacity)
      ++d.next_extent;  // beyond the (shrunk) end: nothing to read back there
    if (!d.up || d.next_extent >= d.final_extents.size()) return;
    const auto [lba, n] = d.final_extents[d.next_extent++];
    s.kind = IoKind::Read;
    s.lba = lba;
    s.sectors = n;
    s.final_read = true;
  } else {
    if (stopping_ || budget_spent()) {
      stopping_ = true;
      return;
    }
    if (!d.up) {
      s.state = SlotState::Parked;
      return;
    }
    if (plan_.flush_every_bytes != 0 && d.written_since_flush >= plan_.flush_every_bytes && !d.flushing) {
      s.kind = IoKind::Flush;
      s.lba = 0;
      s.sectors = 0;
    } else if (!pick(s, d)) {
      s.state = SlotState::Parked;  // no free range now: retried when a request of the device ends
      return;
    }
  }
  r.kind = s.kind;
  r.lba = s.lba;
  r.sectors = s.sectors;
  r.user_data = index;
  if (s.kind != IoKind::Flush) r.buffer = std::span(s.buffer.data(), std::size_t{s.sectors} * 512);
  if (s.kind == IoKind::Write && checker_) s.token = checker_->prepare_write(s.device, s.lba, s.sectors, r.buffer);
  if (s.kind == IoKind::Read && checker_) {
    // Poisoned, so data the initiator never filled in cannot pass the checker as zeros.
    std::fill(r.buffer.begin(), r.buffer.end(), std::uint8_t{0xEE});
    s.token = checker_->crash_epoch(s.device);
  }
  if (s.kind == IoKind::Flush) {
    d.flushing = true;
    d.written_since_flush = 0;
    if (checker_) s.token = checker_->flush_submitted(s.device);
  }
  s.state = SlotState::Busy;
  s.submitted_at = host_.now();
  ++busy_;
  ++stats_.submitted;
  const auto res = host_.submit(d.address, r);
  if (res.ok()) return;
  // Refused without reaching the wire: the data went nowhere.
  --busy_;
  --stats_.submitted;
  ++stats_.refused;
  if (s.kind == IoKind::Write && checker_) checker_->write_done(s.token, false);
  if (s.kind == IoKind::Flush) {
    d.flushing = false;
    if (checker_) checker_->flush_done(s.token, false);
  }
  if (res.error == initiator::SubmitError::BeyondEnd || res.error == initiator::SubmitError::DeviceNotUp) {
    if (const auto info = host_.engine().device(d.address)) d.capacity = info->capacity_sectors;
  }
  if (res.error == initiator::SubmitError::DeviceNotUp) d.up = false;
  s.state = final_phase_ ? SlotState::Idle : SlotState::Parked;
}

void PlanWorkload::flush(std::uint32_t device) {
  if (device >= devices_.size()) return;
  ExtraFlush f;
  f.user_data = next_user_data_base_++;
  f.device = device;
  f.submitted_at = host_.now();
  if (checker_) f.token = checker_->flush_submitted(device);
  initiator::IoRequest r;
  r.kind = IoKind::Flush;
  r.user_data = f.user_data;
  const auto res = host_.submit(devices_[device].address, r);
  if (!res.ok()) {
    ++stats_.refused;
    if (checker_) checker_->flush_done(f.token, false);
    return;
  }
  ++stats_.submitted;
  extra_flushes_.push_back(f);
}

void PlanWorkload::on_event(const initiator::Event& e) {
  if (e.kind == EventKind::IoCompleted) {
    if (e.user_data < slots_.size()) {
      complete(static_cast<std::uint32_t>(e.user_data), e);
      return;
    }
    for (std::size_t i = 0; i < extra_flushes_.size(); ++i) {
      if (extra_flushes_[i].user_data != e.user_data) continue;
      const ExtraFlush f = extra_flushes_[i];
      extra_flushes_.erase(extra_flushes_.begin() + static_cast<std::ptrdiff_t>(i));
      const bool ok = e.status == IoStatus::Ok;
      if (checker_) checker_->flush_done(f.token, ok);
      ++stats_.flushes;
      if (ok) {
        ++stats_.completed;
        if (record_successes_) successes_.emplace_back(e.time, f.device);
      } else {
        ++stats_.failed;
        failures_.push_back(IoRecord{e.time, f.device, e.status, IoKind::Flush, 0, 0, e.ata_status, e.ata_error,
                                     static_cast<std::uint8_t>(e.aoe_error)});
      }
      return;
    }
    return;
  }
  const std::uint32_t di = device_of(e.device);
  if (di >= devices_.size()) return;
  Device& d = devices_[di];
  switch (e.kind) {
    case EventKind::DeviceUp:
    case EventKind::DeviceResized:
      d.up = true;
      d.capacity = e.new_sectors;
      if (plan_.open && !d.opened && started()) {
        d.opened = true;
        host_.open(d.address);
      }
      if (started()) wake_device(di);
      break;
    case EventKind::DeviceDown:
    case EventKind::DeviceFailed: d.up = false; break;
    default: break;
  }
}

void PlanWorkload::complete(std::uint32_t index, const initiator::Event& e) {
  Slot& s = slots_[index];
  if (s.state != SlotState::Busy) return;
  Device& d = devices_[s.device];
  const Nanos now = e.time;
  const bool ok = e.status == IoStatus::Ok;
  const std::uint64_t bytes = std::uint64_t{s.sectors} * 512;
  s.state = SlotState::Idle;
  --busy_;
  if (ok) {
    ++stats_.completed;
    const Nanos latency = now - s.submitted_at;
    stats_.latency_total += latency;
    stats_.latency_max = std::max(stats_.latency_max, latency);
    if (record_successes_) successes_.emplace_back(now, s.device);
  } else {
    ++stats_.failed;
    failures_.push_back(IoRecord{now, s.device, e.status, s.kind, s.lba, s.sectors, e.ata_status, e.ata_error,
                                 static_cast<std::uint8_t>(e.aoe_error)});
  }
  switch (s.kind) {
    case IoKind::Write:
      ++stats_.writes;
      if (ok) {
        stats_.bytes_written += bytes;
        d.written_since_flush += bytes;
      }
      if (checker_) checker_->write_done(s.token, ok);
      break;
    case IoKind::Read:
      ++stats_.reads;
      if (s.final_read) ++stats_.final_reads;
      if (ok) {
        if (!s.final_read) stats_.bytes_read += bytes;
        if (checker_) checker_->read_done(s.device, s.lba, std::span(s.buffer.data(), bytes), now, s.token);
      }
      break;
    case IoKind::Flush:
      ++stats_.flushes;
      d.flushing = false;
      if (checker_) checker_->flush_done(s.token, ok);
      break;
  }
  issue(index);
  wake_device(s.device);
  check_finished();
}

void PlanWorkload::wake_device(std::uint32_t device) {
  const std::uint32_t first = device * plan_.queue_depth;
  for (std::uint32_t i = first; i < first + plan_.queue_depth; ++i)
    if (slots_[i].state == SlotState::Parked) issue(i);
}

void PlanWorkload::check_finished() {
  if (finished_ || !started() || !stopping_ || busy_ > 0) return;
  const Nanos now = host_.now();
  if (!final_phase_) {
    if (stats_.stopped_at < 0) stats_.stopped_at = now;
    if (plan_.verify && plan_.final_read && checker_) {
      final_phase_ = true;
      for (std::uint32_t i = 0; i < devices_.size(); ++i) {
        devices_[i].final_extents = checker_->written_extents(i, kFinalReadSectors);
        devices_[i].next_extent = 0;
      }
      for (std::uint32_t i = 0; i < slots_.size(); ++i) issue(i);
      if (busy_ > 0) return;
    }
  }
  finished_ = true;
  stats_.finished_at = now;
  if (plan_.open)
    for (auto& d : devices_)
      if (d.opened) {
        d.opened = false;
        host_.close(d.address);
      }
}

}  // namespace aoeh::faults
