// Target output: reply headers (where most wire-level defects live), error replies, announcements
// and the frame arena drained by poll_transmit().
#include <algorithm>

#include "protocol/query_config.hpp"
#include "sim/target/target.hpp"

namespace aoeh::target {

using proto::AoeError;
using proto::Header;

std::optional<TargetTransmit> Target::poll_transmit() {
  if (out_next_ >= out_frames_.size()) {
    out_used_ = 0;
    out_frames_.clear();
    out_next_ = 0;
    return std::nullopt;
  }
  const OutFrame& f = out_frames_[out_next_++];
  return TargetTransmit{f.port, std::span<const std::uint8_t>(out_bytes_.data() + f.offset, f.length)};
}

std::span<std::uint8_t> Target::begin_frame(std::size_t capacity) {
  if (out_next_ >= out_frames_.size()) {  // everything handed out: reuse the arena from the start
    out_used_ = 0;
    out_frames_.clear();
    out_next_ = 0;
  }
  out_open_ = out_used_;
  const std::size_t room = std::max(capacity, proto::kMinFrameSize);
  // The arena only grows (zeroed once, then reused as is): every encoder writes each byte it sends.
  if (out_bytes_.size() < out_open_ + room) out_bytes_.resize(std::max(out_open_ + room, 2 * out_bytes_.size()));
  return {out_bytes_.data() + out_open_, room};
}

void Target::commit_frame(std::size_t port, std::size_t length, bool is_error) {
  out_used_ = out_open_ + length;
  if (length == 0) return;  // an encoder refused (cannot happen with the sizes asked for): send nothing
  out_frames_.push_back({port, out_open_, length});
  ++counters_.replies;
  if (is_error) ++counters_.error_replies;
}

std::size_t Target::reply_port(std::size_t port) const { return has(Defect::ReplyFromFirstPort) ? 0 : port; }

Header Target::reply_to(const Header& request, std::size_t port) const {
  Header h = proto::reply_header(request, config_.ports[reply_port(port)].mac);
  h.shelf = config_.shelf;  // a broadcast request is answered with the real address
  h.slot = config_.slot;
  if (has(Defect::WrongTagEcho)) h.tag = request.tag + 1;
  if (has(Defect::ResponseFlagMissing)) h.flags = static_cast<std::uint8_t>(h.flags & ~proto::kFlagResponse);
  return h;
}

void Target::mark_error(Header& h, AoeError e) const {
  if (!has(Defect::ErrorFlagMissing)) h.flags |= proto::kFlagError;
  h.error = static_cast<std::uint8_t>(e);
}

// Error replies echo the ATA argument (it holds no lengths). Other commands' arguments hold counts
// whose payload is not echoed, so they are left zero: a padded zero argument is a valid empty one.
static std::size_t echoed_argument_size(std::uint8_t command) {
  return command == static_cast<std::uint8_t>(proto::Command::Ata) ? proto::kAtaHeaderSize - proto::kHeaderSize : 0;
}

void Target::send_error(std::size_t port, std::span<const std::uint8_t> frame, const Header& request, AoeError e) {
  Header h = reply_to(request, port);
  mark_error(h, e);
  const std::size_t arg = std::min(echoed_argument_size(request.command), frame.size() - proto::kHeaderSize);
  auto out = begin_frame(proto::kHeaderSize + arg);
  proto::store_header(out.data(), h);
  std::copy_n(frame.data() + proto::kHeaderSize, arg, out.data() + proto::kHeaderSize);
  commit_frame(reply_port(port), proto::pad_frame(out, proto::kHeaderSize + arg, pad()), true);
  if (e == AoeError::TargetReserved) ++counters_.reserved_refusals;
}

void Target::queue_announcement(std::size_t port) {
  Header h;
  h.dst = proto::MacAddress::broadcast();
  h.src = config_.ports[port].mac;
  h.flags = has(Defect::ResponseFlagMissing) ? 0 : proto::kFlagResponse;
  h.shelf = config_.shelf;
  h.slot = config_.slot;
  h.command = static_cast<std::uint8_t>(proto::Command::QueryConfig);
  h.tag = 0;
  send_config(port, port, h, static_cast<std::uint8_t>(proto::ConfigCommand::Read), false);
  ++counters_.announcements;
}

void Target::send_config(std::size_t port, std::size_t out_port, const Header& h, std::uint8_t ccmd, bool is_error) {
  proto::QueryConfigArg q;
  q.buffer_count = config_.bufcnt;
  q.firmware_version = config_.firmware_version;
  q.sector_count = advertised_sector_count(port);
  q.aoe_version = proto::kAoEVersion;
  q.ccmd = ccmd;
  q.config = proto::as_bytes(config_.config_string);
  auto out = begin_frame(proto::kQueryConfigHeaderSize + q.config.size());
  commit_frame(out_port, proto::encode_query_config(out, h, q, pad()), is_error);
}

}  // namespace aoeh::target
