#include "conformance/safety.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace aoeh::conformance {

using proto::MacAddress;

Safety::Safety(TargetOps& ops, Probe& probe, const TargetFacts& facts) : ops_(ops), probe_(probe), facts_(facts) {}

bool Safety::allowed(const char* what, std::string* why) const {
  if (!facts_.writes_allowed) {
    if (why) *why = fmt::format("refusing to {}: writes are not allowed (--allow-write)", what);
    return false;
  }
  if (!test_may_write_) {
    if (why) *why = fmt::format("refusing to {}: the test is not marked as writing", what);
    return false;
  }
  return true;
}

bool Safety::guard_sectors(std::uint64_t lba, std::uint32_t count, std::string* why) {
  if (!allowed("write sectors", why)) return false;
  if (facts_.identify_ok && lba + count > facts_.capacity()) {
    // Sectors beyond the end do not exist: nothing to save, but a target that wraps around could
    // write the first sectors instead, so those are kept.
    const std::uint64_t inside = lba < facts_.capacity() ? facts_.capacity() - lba : 0;
    if (inside > 0 && !guard_sectors(lba, static_cast<std::uint32_t>(inside), why)) return false;
    const std::uint64_t past = lba + count - std::max(lba, facts_.capacity());
    return guard_sectors(0, static_cast<std::uint32_t>(std::min<std::uint64_t>(past, facts_.capacity())), why);
  }
  // Read each run of not yet saved sectors in as few requests as the target allows.
  std::uint64_t s = lba;
  while (s < lba + count) {
    if (sectors_.count(s) != 0) {
      ++s;
      continue;
    }
    std::uint64_t end = s;
    while (end < lba + count && sectors_.count(end) == 0) ++end;
    std::string read_why;
    auto data = ops_.read_sectors(port(), s, static_cast<std::uint32_t>(end - s), &read_why);
    if (!data) {
      if (why) *why = fmt::format("could not save sectors {}-{} before writing: {}", s, end - 1, read_why);
      return false;
    }
    for (std::uint64_t i = s; i < end; ++i) {
      const auto* p = data->data() + (i - s) * proto::kSectorSize;
      sectors_.emplace(i, Bytes(p, p + proto::kSectorSize));
      run_sectors_.emplace(i, Bytes(p, p + proto::kSectorSize));
      touched_lbas_.insert(i);
    }
    s = end;
  }
  return true;
}

bool Safety::guard_config(std::string* why) {
  if (!allowed("change the config string", why)) return false;
  if (config_) return true;
  auto current = ops_.config_string(port(), why);
  if (!current) return false;
  config_ = std::move(*current);
  if (!run_config_) run_config_ = config_;
  touched_config_ = true;
  return true;
}

bool Safety::guard_mask(std::string* why) {
  if (!allowed("edit the mask list", why)) return false;
  if (mask_) return true;
  auto current = ops_.mask_list(port(), why);
  if (!current) return false;
  mask_ = std::move(*current);
  if (!run_mask_) run_mask_ = mask_;
  touched_mask_ = true;
  return true;
}

bool Safety::guard_reservation(std::string* why) {
  if (!allowed("change reservations", why)) return false;
  if (reservation_) return true;
  auto current = ops_.reservation(port(), why);
  if (!current) return false;
  reservation_ = std::move(*current);
  if (!run_reservation_) run_reservation_ = reservation_;
  touched_reservation_ = true;
  return true;
}

void Safety::add_mask_key(const MacAddress& mac) {
  if (std::find(mask_keys_.begin(), mask_keys_.end(), mac) == mask_keys_.end()) mask_keys_.push_back(mac);
}

bool Safety::pending() const { return !sectors_.empty() || config_ || mask_ || reservation_; }

bool Safety::restore() {
  // Restoration must finish even after Ctrl-C.
  probe_.set_ignore_stop(true);
  bool ok = true;
  std::string why;
  // Order matters: the mask list first (so the probe is heard), then the reservation (so ATA works),
  // then the config string and the sectors.
  if (mask_ && !restore_mask(&why)) ok = false, problems_.push_back("mask list: " + why);
  if (reservation_ && !restore_reservation(&why)) ok = false, problems_.push_back("reservation: " + why);
  if (config_ && !restore_config(&why)) ok = false, problems_.push_back("config string: " + why);
  if (!sectors_.empty() && !restore_sectors(&why)) ok = false, problems_.push_back("sectors: " + why);
  sectors_.clear();
  config_.reset();
  mask_.reset();
  reservation_.reset();
  mask_keys_.clear();
  probe_.set_ignore_stop(false);
  if (!ok) all_restored_ = false;
  return ok;
}

bool Safety::restore_mask(std::string* why) {
  const MacAddress me = probe_.port_mac(port());
  auto current = ops_.mask_list(port(), why);
  // Locked out: a MAC the test added is on the list; speak as it to let the probe back in.
  for (auto it = mask_keys_.rbegin(); !current && it != mask_keys_.rend(); ++it) {
    ops_.mask_edit(port(), {{static_cast<std::uint8_t>(proto::DirectiveCommand::Add), me}}, why, *it);
    current = ops_.mask_list(port(), why);
  }
  if (!current) return false;
  const auto& want = *mask_;
  std::vector<proto::MacMaskDirective> edits;
  for (const auto& m : want)
    if (std::find(current->begin(), current->end(), m) == current->end())
      edits.push_back({static_cast<std::uint8_t>(proto::DirectiveCommand::Add), m});
  bool delete_me = false;
  for (const auto& m : *current) {
    if (std::find(want.begin(), want.end(), m) != want.end()) continue;
    if (m == me) {
      delete_me = true;  // last, or the rest of the edit would be ignored
      continue;
    }
    edits.push_back({static_cast<std::uint8_t>(proto::DirectiveCommand::Delete), m});
  }
  if (delete_me) edits.push_back({static_cast<std::uint8_t>(proto::DirectiveCommand::Delete), me});
  for (std::size_t i = 0; i < edits.size(); i += 64) {
    std::vector<proto::MacMaskDirective> chunk(edits.begin() + static_cast<std::ptrdiff_t>(i),
                                               edits.begin() + static_cast<std::ptrdiff_t>(std::min(edits.size(), i + 64)));
    if (!ops_.mask_edit(port(), chunk, why)) return false;
  }
  auto after = ops_.mask_list(port(), why);
  if (!after) return false;
  auto sorted = [](std::vector<MacAddress> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  if (sorted(*after) != sorted(want)) {
    *why = fmt::format("list has {} entries after restore, expected {}", after->size(), want.size());
    return false;
  }
  return true;
}

bool Safety::restore_reservation(std::string* why) {
  if (!ops_.force_reservation(port(), *reservation_, why)) return false;
  auto after = ops_.reservation(port(), why);
  if (!after) return false;
  if (*after != *reservation_) {
    *why = "reservation differs after restore";
    return false;
  }
  return true;
}

bool Safety::restore_config(std::string* why) {
  if (!ops_.force_config(port(), *config_, why)) return false;
  auto after = ops_.config_string(port(), why);
  if (!after) return false;
  if (*after != *config_) {
    *why = "config string differs after restore";
    return false;
  }
  return true;
}

bool Safety::restore_sectors(std::string* why) {
  bool ok = true;
  // Write back runs of consecutive sectors, then read each run back and compare.
  auto it = sectors_.begin();
  while (it != sectors_.end()) {
    const std::uint64_t first = it->first;
    Bytes run;
    std::uint64_t next = first;
    while (it != sectors_.end() && it->first == next) {
      run.insert(run.end(), it->second.begin(), it->second.end());
      ++it;
      ++next;
    }
    const auto count = static_cast<std::uint32_t>(next - first);
    std::string step_why;
    // Unchanged sectors need no write (and a read-only target would refuse one).
    auto now = ops_.read_sectors(port(), first, count, &step_why);
    if (now && *now == run) continue;
    if (!ops_.write_sectors(port(), first, run, &step_why)) {
      *why = step_why;
      ok = false;
      continue;
    }
    auto back = ops_.read_sectors(port(), first, count, &step_why);
    if (!back || *back != run) {
      *why = back ? fmt::format("sectors {}-{} differ after restore", first, next - 1) : step_why;
      ok = false;
    }
  }
  return ok;
}

bool Safety::verify_all() {
  probe_.set_ignore_stop(true);
  bool ok = true;
  std::string why;
  auto sorted = [](std::vector<MacAddress> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  if (run_mask_) {
    auto now = ops_.mask_list(port(), &why);
    if (!now || sorted(*now) != sorted(*run_mask_))
      ok = false, problems_.push_back(now ? "final check: mask list differs" : "final check: mask list unreadable: " + why);
  }
  if (run_reservation_) {
    auto now = ops_.reservation(port(), &why);
    if (!now || *now != *run_reservation_)
      ok = false, problems_.push_back(now ? "final check: reservation differs" : "final check: reservation unreadable: " + why);
  }
  if (run_config_) {
    auto now = ops_.config_string(port(), &why);
    if (!now || *now != *run_config_)
      ok = false,
      problems_.push_back(now ? "final check: config string differs" : "final check: config string unreadable: " + why);
  }
  auto it = run_sectors_.begin();
  while (it != run_sectors_.end()) {
    const std::uint64_t first = it->first;
    Bytes want;
    std::uint64_t next = first;
    while (it != run_sectors_.end() && it->first == next) {
      want.insert(want.end(), it->second.begin(), it->second.end());
      ++it;
      ++next;
    }
    auto now = ops_.read_sectors(port(), first, static_cast<std::uint32_t>(next - first), &why);
    if (!now || *now != want) {
      ok = false;
      problems_.push_back(now ? fmt::format("final check: sectors {}-{} differ from before the run", first, next - 1)
                              : fmt::format("final check: sectors {}-{} could not be read: {}", first, next - 1, why));
    }
  }
  probe_.set_ignore_stop(false);
  verified_ = ok;
  return ok;
}

namespace {
std::string ranges_text(const std::set<std::uint64_t>& lbas) {
  std::string out;
  auto it = lbas.begin();
  while (it != lbas.end()) {
    const std::uint64_t first = *it;
    std::uint64_t last = first;
    ++it;
    while (it != lbas.end() && *it == last + 1) last = *it++;
    if (!out.empty()) out += ", ";
    out += first == last ? std::to_string(first) : fmt::format("{}-{}", first, last);
  }
  return out;
}
}  // namespace

reports::SafetyRecord Safety::record() const {
  reports::SafetyRecord r;
  r.writes_allowed = facts_.writes_allowed;
  if (!touched_lbas_.empty()) r.touched.push_back("sectors " + ranges_text(touched_lbas_));
  if (touched_config_) r.touched.push_back("config string");
  if (touched_mask_) r.touched.push_back("mask list");
  if (touched_reservation_) r.touched.push_back("reservation");
  r.restored = all_restored_;
  r.restore_verified = all_restored_ && verified_;
  if (r.touched.empty()) {
    r.detail = facts_.writes_allowed ? "nothing was changed" : "read-only run: nothing was changed";
  } else if (all_restored_ && verified_) {
    r.detail = fmt::format("{} sector(s) and every changed setting restored after each test; all read back identical at the end",
                           touched_lbas_.size());
  } else {
    r.detail = "NOT fully restored: ";
    for (std::size_t i = 0; i < problems_.size(); ++i) r.detail += (i ? "; " : "") + problems_[i];
  }
  return r;
}

}  // namespace aoeh::conformance
