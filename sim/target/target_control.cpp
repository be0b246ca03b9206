// Query Config, Mac Mask List and Reserve/Release: the target's non-ATA commands.
#include <algorithm>

#include "protocol/mac_mask_list.hpp"
#include "protocol/query_config.hpp"
#include "protocol/reserve_release.hpp"
#include "sim/target/target.hpp"

namespace aoeh::target {

using proto::AoeError;
using proto::ConfigCommand;
using proto::Header;

void Target::handle_query_config(std::size_t port, std::span<const std::uint8_t> frame, const Header& request) {
  Header h = reply_to(request, port);
  // Every Query Config reply, errors included, carries the target's fields and current string.
  auto reply_error = [&](AoeError e, std::uint8_t ccmd) {
    mark_error(h, e);
    send_config(port, reply_port(port), h, ccmd, true);
  };
  auto parsed = proto::parse_query_config_body(request, frame);
  if (!parsed) {
    const std::size_t ccmd_at = proto::kHeaderSize + 5;
    reply_error(AoeError::BadArgument, frame.size() > ccmd_at ? frame[ccmd_at] & 0x0F : 0);
    return;
  }
  const proto::QueryConfigArg& q = parsed.value();
  const std::string_view arg = q.config_string();
  const std::string_view current = config_.config_string;
  bool answer = true;
  switch (q.command()) {
    case ConfigCommand::Read: break;
    case ConfigCommand::Test: answer = arg == current; break;
    case ConfigCommand::TestPrefix: answer = current.starts_with(arg); break;
    case ConfigCommand::Set:
      if (!current.empty() && !has(Defect::ConfigSetOverwrites)) {
        reply_error(AoeError::ConfigStringPresent, q.ccmd);  // showing the string that stays
        return;
      }
      config_.config_string.assign(arg);
      break;
    case ConfigCommand::ForceSet: config_.config_string.assign(arg); break;
    default:
      reply_error(AoeError::BadArgument, q.ccmd);
      return;
  }
  if (!answer && !has(Defect::ConfigTestAlwaysAnswers)) {
    ++counters_.ignored_config_mismatch;
    return;
  }
  send_config(port, reply_port(port), h, q.ccmd, false);
}

void Target::handle_mac_mask(std::size_t port, std::span<const std::uint8_t> frame, const Header& request) {
  Header h = reply_to(request, port);
  auto parsed = proto::parse_mac_mask_list_body(request, frame, /*reject_reserved=*/false);
  const std::size_t mcmd_at = proto::kHeaderSize + 1;
  const std::uint8_t mcmd = parsed ? parsed->mcmd : (frame.size() > mcmd_at ? frame[mcmd_at] : 0);
  const bool known = mcmd == static_cast<std::uint8_t>(proto::MaskCommand::Read) ||
                     mcmd == static_cast<std::uint8_t>(proto::MaskCommand::Edit);
  const bool bad = !parsed || !known;
  if (bad) mark_error(h, AoeError::BadArgument);  // the reply still lists the mask
  auto merror = proto::MaskError::None;
  if (!bad && mcmd == static_cast<std::uint8_t>(proto::MaskCommand::Edit)) {
    const proto::MacMaskListBody& m = parsed.value();
    // Directives apply in order; the first failing one stops the edit (earlier ones stay applied).
    for (std::size_t i = 0; i < m.directive_count && merror == proto::MaskError::None; ++i) {
      const proto::MacMaskDirective d = m.directive(i);
      const auto it = std::find(mask_list_.begin(), mask_list_.end(), d.mac);
      switch (static_cast<proto::DirectiveCommand>(d.dcmd)) {
        case proto::DirectiveCommand::None: break;
        case proto::DirectiveCommand::Add:
          if (it != mask_list_.end()) break;
          if (mask_list_.size() >= config_.mask_list_capacity) {
            merror = proto::MaskError::ListFull;
            break;
          }
          mask_list_.push_back(d.mac);
          break;
        case proto::DirectiveCommand::Delete:
          if (it != mask_list_.end()) mask_list_.erase(it);
          break;
        default: merror = proto::MaskError::BadDirective;
      }
    }
  }
  // The reply lists the current mask (DCmd 0 each), whatever the request asked.
  std::array<proto::MacMaskDirective, 255> list{};
  for (std::size_t i = 0; i < mask_list_.size(); ++i) list[i].mac = mask_list_[i];
  auto out = begin_frame(proto::kMacMaskHeaderSize + mask_list_.size() * proto::kMacMaskDirectiveSize);
  const std::size_t n = proto::encode_mac_mask_list(out, h, mcmd, static_cast<std::uint8_t>(merror),
                                                    std::span(list.data(), mask_list_.size()), pad());
  commit_frame(reply_port(port), n, bad);
}

void Target::handle_reserve(std::size_t port, std::span<const std::uint8_t> frame, const Header& request) {
  Header h = reply_to(request, port);
  auto parsed = proto::parse_reserve_release_body(request, frame);
  const std::uint8_t rcmd = parsed ? parsed->rcmd : (frame.size() > proto::kHeaderSize ? frame[proto::kHeaderSize] : 0);
  const auto cmd = static_cast<proto::ReserveCommand>(rcmd);
  const bool known = cmd == proto::ReserveCommand::Read || cmd == proto::ReserveCommand::Set ||
                     cmd == proto::ReserveCommand::ForceSet;
  bool is_error = false;
  auto refuse = [&](AoeError e) {
    mark_error(h, e);  // the reply still shows the reservation in force
    is_error = true;
  };
  if (!parsed || !known || parsed->mac_count > config_.reserve_list_capacity) {
    refuse(AoeError::BadArgument);
  } else if (cmd != proto::ReserveCommand::Read) {
    const bool holder = reserve_list_.empty() ||
                        std::find(reserve_list_.begin(), reserve_list_.end(), request.src) != reserve_list_.end();
    if (cmd == proto::ReserveCommand::Set && !holder) {
      refuse(AoeError::TargetReserved);
      ++counters_.reserved_refusals;
    } else {
      reserve_list_.clear();  // an empty list releases the target
      for (std::size_t i = 0; i < parsed->mac_count; ++i) {
        const proto::MacAddress mac = parsed->mac(i);
        if (std::find(reserve_list_.begin(), reserve_list_.end(), mac) == reserve_list_.end()) reserve_list_.push_back(mac);
      }
    }
  }
  auto out = begin_frame(proto::kReserveHeaderSize + reserve_list_.size() * 6);
  commit_frame(reply_port(port), proto::encode_reserve_release(out, h, rcmd, reserve_list_, pad()), is_error);
}

}  // namespace aoeh::target
