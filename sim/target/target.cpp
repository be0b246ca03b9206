// Target core: configuration, frame filtering and dispatch, the ATA queue and runtime changes.
#include "sim/target/target.hpp"

#include <algorithm>
#include <stdexcept>

#include "protocol/ata.hpp"
#include "protocol/constants.hpp"

namespace aoeh::target {

using proto::AoeError;
using proto::ByteSpan;
using proto::Header;

std::string TargetConfig::problem() const {
  if (ports.empty()) return "a target needs at least one port";
  for (const auto& p : ports)
    if (p.mtu < proto::kMinFrameSize) return "port MTU " + std::to_string(p.mtu) + " is below 60";
  if (capacity_sectors > proto::ata::kMaxLba48) return "capacity above 2^48 - 1 sectors";
  if (bufcnt == 0) return "bufcnt must be at least 1";
  if (config_string.size() > proto::kMaxConfigStringSize) return "config string longer than 1024 bytes";
  if (mask_list_capacity > 255) return "mask list capacity above 255";
  if (reserve_list_capacity > 255) return "reserve list capacity above 255";
  if (shelf == proto::kBroadcastShelf || slot == proto::kBroadcastSlot) return "shelf 65535 and slot 255 are broadcast";
  if (service.fixed < 0 || service.per_sector < 0) return "service time must not be negative";
  return {};
}

Target::Target(TargetConfig config) : config_(std::move(config)) {
  if (auto why = config_.problem(); !why.empty()) throw std::invalid_argument("target config: " + why);
  if (!config_.store) config_.store = std::make_shared<MemoryStore>();
  if (config_.serial.empty()) config_.serial = "AOEH" + std::to_string(config_.shelf) + "." + std::to_string(config_.slot);
  set_bufcnt(config_.bufcnt);
}

Target::~Target() = default;

void Target::start(Nanos now) {
  if (config_.announce_on_start) announce(now);
}

void Target::announce(Nanos) {
  if (crashed_) return;
  for (std::size_t p = 0; p < config_.ports.size(); ++p) queue_announcement(p);
}

void Target::handle_frame(std::size_t port, std::span<const std::uint8_t> frame, Nanos now) {
  ++counters_.frames_received;
  if (crashed_) {
    ++counters_.ignored_while_crashed;
    return;
  }
  handle_timeout(now);  // requests due before this frame complete first: order is per queue
  auto parsed = proto::parse_header(frame);
  if (!parsed || port >= config_.ports.size()) {
    ++counters_.ignored_malformed;
    return;
  }
  dispatch(port, frame, parsed.value(), now);
}

void Target::dispatch(std::size_t port, std::span<const std::uint8_t> frame, const Header& h, Nanos now) {
  if (h.is_response() && !has(Defect::AnswersResponses)) {
    ++counters_.ignored_responses;
    return;
  }
  const proto::MacAddress& mine = config_.ports[port].mac;
  if (h.dst != mine && !h.dst.is_broadcast()) {
    ++counters_.ignored_not_addressed;
    return;
  }
  const bool addressed = has(Defect::BroadcastIgnored) ? (h.shelf == config_.shelf && h.slot == config_.slot)
                                                       : address().matches(h.address());
  if (!addressed) {
    ++counters_.ignored_not_addressed;
    return;
  }
  if (!mask_list_.empty() && !has(Defect::MaskListIgnored) &&
      std::find(mask_list_.begin(), mask_list_.end(), h.src) == mask_list_.end()) {
    ++counters_.ignored_masked;
    return;
  }
  if (h.version != proto::kAoEVersion && !has(Defect::NoVersionCheck)) {
    send_error(port, frame, h, AoeError::UnsupportedVersion);
    return;
  }
  switch (h.command) {
    case static_cast<std::uint8_t>(proto::Command::Ata): accept_ata(port, frame, h, now); return;
    case static_cast<std::uint8_t>(proto::Command::QueryConfig): handle_query_config(port, frame, h); return;
    case static_cast<std::uint8_t>(proto::Command::MacMaskList): handle_mac_mask(port, frame, h); return;
    case static_cast<std::uint8_t>(proto::Command::ReserveRelease): handle_reserve(port, frame, h); return;
    default:
      if (proto::is_vendor_command(h.command) && config_.vendor_policy == VendorPolicy::Ignore) {
        ++counters_.ignored_vendor;
        return;
      }
      send_error(port, frame, h, AoeError::UnrecognizedCommand);
  }
}

void Target::handle_timeout(Nanos now) {
  while (queue_count_ > 0 && !crashed_) {
    Pending& p = *slots_[queue_head_];
    if (p.due > now) break;
    queue_head_ = (queue_head_ + 1) % slots_.size();
    --queue_count_;
    // The slot is free again but its bytes stay intact until a later request reuses it, and no
    // request can arrive while execute_ata runs.
    execute_ata(p.port, p.frame);
  }
}

Nanos Target::next_timeout() const {
  if (queue_count_ == 0 || crashed_) return kNever;
  return slots_[queue_head_]->due;
}

// --- runtime changes ---

void Target::resize(std::uint64_t capacity_sectors) {
  config_.capacity_sectors = std::min(capacity_sectors, proto::ata::kMaxLba48);
}

bool Target::set_config_string(std::string_view s) {
  if (s.size() > proto::kMaxConfigStringSize) return false;
  config_.config_string.assign(s);
  return true;
}

void Target::set_mac(std::size_t port, const proto::MacAddress& mac) {
  if (port < config_.ports.size()) config_.ports[port].mac = mac;
}
void Target::set_mtu(std::size_t port, std::uint32_t mtu) {
  if (port < config_.ports.size()) config_.ports[port].mtu = std::max<std::uint32_t>(mtu, proto::kMinFrameSize);
}
void Target::set_port(std::size_t port, const TargetPort& p) {
  set_mac(port, p.mac);
  set_mtu(port, p.mtu);
}
void Target::set_defect(Defect d, bool on) { config_.defects.set(d, on); }
void Target::set_defects(DefectSet ds) { config_.defects = ds; }
void Target::set_read_only(bool on) { config_.read_only = on; }
void Target::set_write_cache(bool on) {
  if (!on) media_flush();
  config_.write_cache = on;
}
void Target::set_service_time(ServiceTime s) {
  config_.service.fixed = std::max<Nanos>(0, s.fixed);
  config_.service.per_sector = std::max<Nanos>(0, s.per_sector);
}
void Target::set_firmware_version(std::uint16_t v) { config_.firmware_version = v; }
void Target::set_sector_count(std::uint8_t n) { config_.sector_count = n; }
void Target::set_smart_enabled(bool on) { config_.smart_enabled = on; }
void Target::set_vendor_policy(VendorPolicy p) { config_.vendor_policy = p; }
void Target::set_address(std::uint16_t shelf, std::uint8_t slot) {
  config_.shelf = shelf;
  config_.slot = slot;
}
void Target::clear_mask_list() { mask_list_.clear(); }
void Target::clear_reservation() { reserve_list_.clear(); }

void Target::set_bufcnt(std::uint16_t n) {
  config_.bufcnt = std::max<std::uint16_t>(n, 1);
  const std::size_t want = std::max<std::size_t>(config_.bufcnt, queue_count_);
  if (want == slots_.size()) return;
  // Re-lay the ring in service order so queued requests keep their turn.
  std::vector<std::unique_ptr<Pending>> ring;
  ring.reserve(want);
  for (std::size_t i = 0; i < queue_count_; ++i) ring.push_back(std::move(slots_[(queue_head_ + i) % slots_.size()]));
  ring.resize(want);  // empty slots get their buffer on first use (accept_ata)
  slots_ = std::move(ring);
  queue_head_ = 0;
}

void Target::crash(Nanos) {
  if (crashed_) return;
  crashed_ = true;
  ++counters_.crashes;
  cache_.clear();
  queue_count_ = 0;
  queue_head_ = 0;
  busy_until_ = 0;
  out_used_ = 0;
  out_frames_.clear();
  out_next_ = 0;
}

void Target::restart(Nanos now) {
  if (!crashed_) return;
  crashed_ = false;
  if (config_.announce_on_restart) announce(now);
}

std::uint8_t Target::advertised_sector_count(std::size_t port) const {
  if (has(Defect::SectorCountIgnoresMtu)) return 255;
  if (config_.sector_count != 0) return config_.sector_count;
  if (port >= config_.ports.size()) return 0;
  return static_cast<std::uint8_t>(std::min<std::uint32_t>(proto::sectors_for_mtu(config_.ports[port].mtu), 255));
}

}  // namespace aoeh::target
