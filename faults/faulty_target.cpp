#include "faults/faulty_target.hpp"

#include <algorithm>

#include "protocol/ata.hpp"
#include "protocol/query_config.hpp"
#include "sim/simulator.hpp"

namespace aoeh::faults {
namespace {

// Which CommandMask bit an ATA request belongs to.
std::uint8_t ata_class(std::uint8_t command) {
  switch (command) {
    case proto::ata::kReadSectors:
    case proto::ata::kReadSectorsExt: return kCmdRead;
    case proto::ata::kWriteSectors:
    case proto::ata::kWriteSectorsExt: return kCmdWrite;
    case proto::ata::kFlushCache:
    case proto::ata::kFlushCacheExt: return kCmdFlush;
    case proto::ata::kIdentify: return kCmdIdentify;
    default: return kCmdOtherAta;
  }
}

bool is_reply_fault(FaultType t) {
  switch (t) {
    case FaultType::Runt:
    case FaultType::WrongTag:
    case FaultType::WrongShelf:
    case FaultType::WrongSlot:
    case FaultType::DuplicateReply:
    case FaultType::StaleReplay: return true;
    default: return false;
  }
}

}  // namespace

bool is_frame_fault(FaultType t) {
  switch (t) {
    case FaultType::Hang:
    case FaultType::AoeError:
    case FaultType::AtaError: return true;
    default: return is_reply_fault(t);
  }
}

std::size_t FaultyTargetHost::add_fault(const FaultPlan& plan, Window window, sim::Rng rng) {
  faults_.push_back(Fault{plan, window, rng, {}});
  if (plan.type == FaultType::StaleReplay && plan.replay_depth > history_depth_) {
    history_depth_ = plan.replay_depth;
    history_.resize(history_depth_);
    history_port_.resize(history_depth_);
  }
  return faults_.size() - 1;
}

void FaultyTargetHost::add_stats(std::size_t fault, FaultStats& out) const {
  for (const auto& [k, v] : faults_.at(fault).stats) out[k] += v;
}

void FaultyTargetHost::crash(Nanos now) {
  target_.crash(now);
  delayed_.clear();
  for (auto& h : history_) h.clear();
  history_next_ = 0;
  rearm();
}

void FaultyTargetHost::inject(std::uint32_t port, std::span<const std::uint8_t> frame) {
  target_.handle_frame(port, frame, now());
  pump();
}

void FaultyTargetHost::start(Nanos now) {
  target_.start(now);
  drain(now);
}

void FaultyTargetHost::receive(std::uint32_t port, std::span<const std::uint8_t> frame, Nanos now) {
  if (!intercept(port, frame, now)) target_.handle_frame(port, frame, now);
  drain(now);
}

void FaultyTargetHost::timer(Nanos now) {
  // Delayed copies first (they were due earlier or at the same time), then the target's work.
  std::size_t due = 0;
  while (due < delayed_.size() && delayed_[due].due <= now) ++due;
  for (std::size_t i = 0; i < due; ++i) transmit(delayed_[i].port, delayed_[i].frame);
  delayed_.erase(delayed_.begin(), delayed_.begin() + static_cast<std::ptrdiff_t>(due));
  target_.handle_timeout(now);
  drain(now);
}

void FaultyTargetHost::port_changed(std::uint32_t port, bool, std::uint32_t mtu, Nanos now) {
  target_.set_mtu(port, mtu);
  drain(now);
}

void FaultyTargetHost::pump() { drain(now()); }

void FaultyTargetHost::drain(Nanos now) {
  while (auto t = target_.poll_transmit()) send_reply(static_cast<std::uint32_t>(t->port_index), t->frame, now);
  rearm();
}

void FaultyTargetHost::rearm() {
  Nanos next = target_.next_timeout();
  if (!delayed_.empty()) next = std::min(next, delayed_.front().due);
  wake_at(next);
}

void FaultyTargetHost::send_later(Nanos due, std::uint32_t port, std::span<const std::uint8_t> frame) {
  Delayed d{due, port, std::vector<std::uint8_t>(frame.begin(), frame.end())};
  auto it = std::upper_bound(delayed_.begin(), delayed_.end(), due, [](Nanos t, const Delayed& x) { return t < x.due; });
  delayed_.insert(it, std::move(d));
}

void FaultyTargetHost::remember(std::uint32_t port, std::span<const std::uint8_t> frame) {
  if (history_depth_ == 0) return;
  history_[history_next_ % history_depth_].assign(frame.begin(), frame.end());
  history_port_[history_next_ % history_depth_] = port;
  ++history_next_;
}

// Requests: a hung target hears nothing; error injectors answer matching requests themselves.
bool FaultyTargetHost::intercept(std::uint32_t port, std::span<const std::uint8_t> frame, Nanos now) {
  if (faults_.empty()) return false;
  for (auto& f : faults_)
    if (f.plan.type == FaultType::Hang && f.window.contains(now)) {
      ++f.stats["requests_ignored"];
      return true;
    }
  const auto h = proto::parse_header(frame);
  if (!h || h->is_response() || port >= target_.config().ports.size() || target_.crashed()) return false;
  const proto::MacAddress& mine = target_.config().ports[port].mac;
  if ((h->dst != mine && !h->dst.is_broadcast()) || !target_.address().matches(h->address())) return false;

  std::uint8_t cls = 0;
  std::optional<proto::AtaArg> arg;
  if (h->command == static_cast<std::uint8_t>(proto::Command::Ata)) {
    auto body = proto::parse_ata_body(h.value(), frame, false);
    if (!body) return false;  // malformed: the target's own answer applies
    arg = body->arg;
    cls = ata_class(arg->cmd_status);
  } else if (h->command == static_cast<std::uint8_t>(proto::Command::QueryConfig)) {
    cls = kCmdQueryConfig;
  } else {
    return false;
  }
  for (auto& f : faults_) {
    const bool aoe = f.plan.type == FaultType::AoeError;
    if ((!aoe && f.plan.type != FaultType::AtaError) || !f.window.contains(now) || (f.plan.commands & cls) == 0) continue;
    if (!aoe && !arg) continue;  // ATA errors answer ATA commands only
    if (arg && (cls == kCmdRead || cls == kCmdWrite)) {
      const std::uint64_t first = arg->lba, last = arg->lba + std::max<std::uint8_t>(arg->sector_count, 1) - 1;
      if (last < f.plan.lba_first || first > f.plan.lba_last) continue;
    }
    if (!f.rng.chance(f.plan.probability)) continue;
    proto::Header r = proto::reply_header(h.value(), mine);
    r.set_address(target_.address());
    scratch_.assign(proto::kMaxFrameSize, 0);
    std::size_t n = 0;
    if (aoe) {
      r.flags |= proto::kFlagError;
      r.error = f.plan.aoe_error;
      if (arg) {
        n = proto::encode_ata(scratch_, r, *arg);
      } else {
        proto::QueryConfigArg q;
        q.buffer_count = target_.config().bufcnt;
        q.firmware_version = target_.config().firmware_version;
        n = proto::encode_query_config(scratch_, r, q);
      }
      ++f.stats["aoe_errors_sent"];
    } else {
      proto::AtaArg a = *arg;
      a.cmd_status = proto::ata::kStatusDrdy | proto::ata::kStatusErr;
      a.err_feature = f.plan.ata_error;
      n = proto::encode_ata(scratch_, r, a);
      ++f.stats["ata_errors_sent"];
    }
    transmit(port, std::span(scratch_.data(), n));
    return true;
  }
  return false;
}

// Replies: ATA answers pass the reply faults in plan order; everything else goes out unchanged.
void FaultyTargetHost::send_reply(std::uint32_t port, std::span<const std::uint8_t> frame, Nanos now) {
  // A hung target sends nothing at all (announcements included).
  for (auto& f : faults_)
    if (f.plan.type == FaultType::Hang && f.window.contains(now)) {
      ++f.stats["replies_dropped"];
      return;
    }
  const bool ata = frame.size() >= proto::kHeaderSize && frame[19] == static_cast<std::uint8_t>(proto::Command::Ata);
  bool any = false;
  if (ata)
    for (const auto& f : faults_) any |= is_reply_fault(f.plan.type) && f.window.contains(now);
  if (!any) {
    if (ata) remember(port, frame);
    transmit(port, frame);
    return;
  }
  scratch_.assign(frame.begin(), frame.end());
  std::size_t length = scratch_.size();
  Nanos duplicate_gap = -1;
  std::vector<std::uint8_t> stale;
  std::uint32_t stale_port = 0;
  for (auto& f : faults_) {
    if (!is_reply_fault(f.plan.type) || !f.window.contains(now) || !f.rng.chance(f.plan.probability)) continue;
    switch (f.plan.type) {
      case FaultType::Runt:
        if (length > f.plan.runt_length) {
          length = f.plan.runt_length;
          ++f.stats["runts_sent"];
        }
        break;
      case FaultType::WrongTag:
        // Flip the top generation bit of the initiator's tag: a tag that names no live frame
        // (bit 31, the tool bit, stays as it was).
        scratch_[20] ^= 0x40;
        ++f.stats["wrong_tags_sent"];
        break;
      case FaultType::WrongShelf:
        scratch_[17] = static_cast<std::uint8_t>(scratch_[17] + 1);
        if (scratch_[16] == 0xFF && scratch_[17] == 0xFF) scratch_[17] = 0xFE;
        ++f.stats["wrong_shelves_sent"];
        break;
      case FaultType::WrongSlot:
        scratch_[18] = static_cast<std::uint8_t>(scratch_[18] == 0xFE ? 0 : scratch_[18] + 1);
        ++f.stats["wrong_slots_sent"];
        break;
      case FaultType::DuplicateReply:
        duplicate_gap = f.plan.gap;
        ++f.stats["duplicates_sent"];
        break;
      case FaultType::StaleReplay: {
        const std::size_t have = std::min<std::size_t>(history_next_, f.plan.replay_depth);
        if (have == 0) break;
        const std::size_t back = 1 + f.rng.below(have);
        const std::size_t slot = (history_next_ - back) % history_depth_;
        stale = history_[slot];  // copied now: remember() below may reuse the slot
        stale_port = history_port_[slot];
        ++f.stats["stale_replays_sent"];
        break;
      }
      default: break;
    }
  }
  remember(port, frame);  // the history holds replies as the target made them
  const std::span<const std::uint8_t> out(scratch_.data(), length);
  transmit(port, out);
  if (duplicate_gap == 0) transmit(port, out);
  if (duplicate_gap > 0) send_later(now + duplicate_gap, port, out);
  if (!stale.empty()) transmit(stale_port, stale);
}

}  // namespace aoeh::faults
