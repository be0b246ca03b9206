#include "faults/durability.hpp"

#include <algorithm>
#include <cstring>
#include <optional>

#include "sim/hash.hpp"

namespace aoeh::faults {
namespace {

constexpr std::uint64_t kMagic = 0x4B43443148454F41ull;  // "AOEH1DCK" little-endian
constexpr std::size_t kSector = 512;
constexpr std::size_t kMaxMaybe = 32;

void put64(std::uint8_t* p, std::uint64_t v) { std::memcpy(p, &v, 8); }
std::uint64_t get64(const std::uint8_t* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

}  // namespace

const char* violation_kind_name(Violation::Kind k) {
  switch (k) {
    case Violation::Kind::Lost: return "lost";
    case Violation::Kind::Corrupted: return "corrupted";
    case Violation::Kind::Phantom: return "phantom";
  }
  return "unknown";
}

DurabilityChecker::DurabilityChecker(std::uint64_t seed, std::vector<Device> devices) : seed_(seed) {
  for (auto& d : devices) devices_.push_back(DeviceState{d, 0, {}, {}});
}

void DurabilityChecker::fill_sector(std::uint64_t id, std::uint32_t device, std::uint64_t lba, std::uint8_t* out) const {
  put64(out, kMagic);
  put64(out + 8, id);
  put64(out + 16, lba);
  put64(out + 24, device);
  const std::uint64_t base = sim::fold(sim::fold(seed_, id), lba);
  for (std::size_t i = 32; i < kSector; i += 8) put64(out + i, sim::mix64(base + i));
}

std::uint64_t DurabilityChecker::prepare_write(std::uint32_t device, std::uint64_t lba, std::uint32_t sectors,
                                               std::span<std::uint8_t> buffer) {
  writes_.push_back(Write{device, lba, sectors, 0, devices_[device].crashes});
  const std::uint64_t id = writes_.size();
  for (std::uint32_t s = 0; s < sectors; ++s) fill_sector(id, device, lba + s, buffer.data() + s * kSector);
  return id;
}

void DurabilityChecker::add_maybe(Sector& s, std::uint64_t id) {
  if (std::find(s.maybe.begin(), s.maybe.end(), id) != s.maybe.end()) return;
  if (s.maybe.size() >= kMaxMaybe) s.maybe.erase(s.maybe.begin());
  s.maybe.push_back(id);
}

void DurabilityChecker::write_done(std::uint64_t id, bool ok) {
  Write& w = writes_.at(id - 1);
  DeviceState& d = devices_[w.device];
  if (ok) {
    ++counters_.writes_acked;
    w.ack_seq = ++ack_seq_;
  } else {
    ++counters_.writes_failed;
  }
  for (std::uint32_t i = 0; i < w.sectors; ++i) {
    const std::uint64_t lba = w.lba + i;
    Sector& s = d.sectors[lba];
    if (!ok) {  // it may or may not have reached the medium
      add_maybe(s, id);
      continue;
    }
    if (w.crash_epoch != d.crashes && d.info.volatile_cache) {
      // In flight across a power loss: it may have reached the cache before the crash and be
      // gone, however late its acknowledgement came. Either value is right until a read settles it.
      add_maybe(s, s.acked);
      s.acked = id;
      s.crashed = true;
      continue;
    }
    s.acked = id;
    s.maybe.clear();
    s.crashed = false;
    if (d.info.volatile_cache) {
      s.unflushed.push_back(id);
      d.unflushed.insert(lba);
    } else {
      s.durable = id;
    }
  }
}

std::uint64_t DurabilityChecker::flush_submitted(std::uint32_t device) {
  flushes_.push_back(Flush{device, ack_seq_});
  return flushes_.size();
}

void DurabilityChecker::flush_done(std::uint64_t token, bool ok) {
  const Flush f = flushes_.at(token - 1);
  if (!ok) return;
  ++counters_.flushes;
  DeviceState& d = devices_[f.device];
  for (auto it = d.unflushed.begin(); it != d.unflushed.end();) {
    Sector& s = d.sectors[*it];
    // Writes acknowledged before the FLUSH was submitted are on the medium now.
    std::size_t covered = 0;
    while (covered < s.unflushed.size() && writes_[s.unflushed[covered] - 1].ack_seq <= f.ack_seq) ++covered;
    if (covered > 0) {
      s.durable = s.unflushed[covered - 1];
      s.unflushed.erase(s.unflushed.begin(), s.unflushed.begin() + static_cast<std::ptrdiff_t>(covered));
    }
    it = s.unflushed.empty() ? d.unflushed.erase(it) : std::next(it);
  }
}

void DurabilityChecker::crash(std::uint32_t device) {
  ++counters_.crashes;
  DeviceState& d = devices_[device];
  ++d.crashes;
  if (!d.info.volatile_cache) return;  // nothing acknowledged may be lost
  for (std::uint64_t lba : d.unflushed) {
    Sector& s = d.sectors[lba];
    // Any unflushed write may have been written back before the power went; the durable one is
    // the floor. The next read decides which one the sector holds.
    for (std::uint64_t id : s.unflushed) add_maybe(s, id);
    add_maybe(s, s.acked);
    s.acked = s.durable;
    s.unflushed.clear();
    s.crashed = true;
  }
  d.unflushed.clear();
}

std::optional<std::uint64_t> DurabilityChecker::decode(std::uint32_t, std::uint64_t, const std::uint8_t* bytes,
                                                       std::uint32_t* from_device, std::uint64_t* from_lba) const {
  if (get64(bytes) != kMagic) {
    for (std::size_t i = 0; i < kSector; ++i)
      if (bytes[i] != 0) return std::nullopt;
    return 0;  // never written
  }
  const std::uint64_t id = get64(bytes + 8);
  const std::uint64_t lba = get64(bytes + 16);
  const std::uint64_t dev = get64(bytes + 24);
  if (id == 0 || id > writes_.size() || dev >= devices_.size()) return std::nullopt;
  std::uint8_t expect[kSector];
  fill_sector(id, static_cast<std::uint32_t>(dev), lba, expect);
  if (std::memcmp(expect, bytes, kSector) != 0) return std::nullopt;
  // The bytes are exactly what write `id` put at (dev, lba); whether that write covered it:
  const Write& w = writes_[id - 1];
  if (w.device != dev || lba < w.lba || lba >= w.lba + w.sectors) return std::nullopt;
  *from_device = static_cast<std::uint32_t>(dev);
  *from_lba = lba;
  return id;
}

void DurabilityChecker::read_done(std::uint32_t device, std::uint64_t lba, std::span<const std::uint8_t> data, Nanos now,
                                  std::uint64_t epoch) {
  DeviceState& d = devices_[device];
  const bool before_crash = epoch != d.crashes && d.info.volatile_cache;
  const std::size_t sectors = data.size() / kSector;
  for (std::size_t i = 0; i < sectors; ++i) {
    const std::uint64_t at = lba + i;
    ++counters_.sectors_checked;
    auto it = d.sectors.find(at);
    Sector empty;
    Sector& s = it != d.sectors.end() ? it->second : empty;
    std::uint32_t from_dev = device;
    std::uint64_t from_lba = at;
    const auto found = decode(device, at, data.data() + i * kSector, &from_dev, &from_lba);
    if (!found) {
      report(Violation::Kind::Corrupted, device, at, now, s.acked, 0, "bytes no write produced");
      continue;
    }
    if (*found != 0 && (from_dev != device || from_lba != at)) {
      report(Violation::Kind::Phantom, device, at, now, s.acked, *found,
             "holds write " + std::to_string(*found) + " meant for " + devices_[from_dev].info.address.to_string() +
                 " LBA " + std::to_string(from_lba));
      continue;
    }
    const bool expected = *found == s.acked || std::find(s.maybe.begin(), s.maybe.end(), *found) != s.maybe.end();
    if (expected) {
      if (before_crash) continue;  // it may show the state the crash then undid
      if (s.crashed && it != d.sectors.end()) {
        if (*found == s.acked) ++counters_.crash_rolled_back;
        else ++counters_.crash_survived;
      }
      if (!s.maybe.empty() && it != d.sectors.end()) {
        // The sector settled on one of the candidates: that is what it holds from now on. After a
        // crash it is on the medium; after a failed write it may still sit in a volatile cache.
        if (*found != s.acked) {
          s.acked = *found;
          if (s.crashed || !d.info.volatile_cache) {
            s.durable = *found;
          } else if (std::find(s.unflushed.begin(), s.unflushed.end(), *found) == s.unflushed.end()) {
            s.unflushed.push_back(*found);
            d.unflushed.insert(at);
          }
        }
        s.maybe.clear();
        s.crashed = false;
      }
      continue;
    }
    if (*found > s.acked && writes_[*found - 1].ack_seq == 0) {
      // A write not yet acknowledged (still in flight): the workload never reads under its own
      // writes, so this is data nobody was told about.
      report(Violation::Kind::Phantom, device, at, now, s.acked, *found,
             "holds write " + std::to_string(*found) + " that was never acknowledged");
    } else {
      report(Violation::Kind::Lost, device, at, now, s.acked, *found,
             *found == 0 ? "reads as never written" : "holds older write " + std::to_string(*found));
    }
    if (it != d.sectors.end()) {  // report each loss once: the sector holds what was read now
      s.acked = s.durable = *found;
      s.maybe.clear();
      s.unflushed.clear();
      s.crashed = false;
    }
  }
}

void DurabilityChecker::report(Violation::Kind kind, std::uint32_t device, std::uint64_t lba, Nanos now,
                               std::uint64_t expected, std::uint64_t found, std::string detail) {
  switch (kind) {
    case Violation::Kind::Lost: ++counters_.lost; break;
    case Violation::Kind::Corrupted: ++counters_.corrupted; break;
    case Violation::Kind::Phantom: ++counters_.phantom; break;
  }
  if (violations_.size() >= kMaxRecorded) return;
  violations_.push_back(Violation{kind, devices_[device].info.address, lba, now, seed_, expected, found, std::move(detail)});
}

std::vector<std::pair<std::uint64_t, std::uint32_t>> DurabilityChecker::written_extents(std::uint32_t device,
                                                                                      std::uint32_t max_sectors) const {
  std::vector<std::pair<std::uint64_t, std::uint32_t>> out;
  for (const auto& [lba, s] : devices_.at(device).sectors) {
    if (s.acked == 0 && s.maybe.empty()) continue;
    if (!out.empty() && out.back().first + out.back().second == lba && out.back().second < max_sectors) {
      ++out.back().second;
    } else {
      out.emplace_back(lba, 1);
    }
  }
  return out;
}

}  // namespace aoeh::faults
