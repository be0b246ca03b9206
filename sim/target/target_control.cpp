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
  auto parsed = proto::parse_query_config_body(request, frame);
  if (!parsed) {
    send_error(port, frame, request, AoeError::BadArgument);
    return;
  }
  const proto::QueryConfigArg& q = parsed.value();
  const std::string_view arg = q.config_string();
  const std::string_view current = config_.config_string;
  Header h = reply_to(request, port);
  bool answer = true;
  switch (q.command()) {
    case ConfigCommand::Read: break;
    case ConfigCommand::Test: answer = arg == current; break;
    case ConfigCommand::TestPrefix: answer = current.starts_with(arg); break;
    case ConfigCommand::Set:
      if (!current.empty() && !has(Defect::ConfigSetOverwrites)) {
        mark_error(h, AoeError::ConfigStringPresent);  // the reply still shows the string that stays
        send_config(port, reply_port(port), h, q.ccmd, true);
        return;
      }
      config_.config_string.assign(arg);
      break;
    case ConfigCommand::ForceSet: config_.config_string.assign(arg); break;
    default:
      send_error(port, frame, request, AoeError::BadArgument);
      return;
  }
  if (!answer && !has(Defect::ConfigTestAlwaysAnswers)) {
    ++counters_.ignored_config_mismatch;
    return;
  }
  send_config(port, reply_port(port), h, q.ccmd, false);
}

void Target::handle_mac_mask(std::size_t port, std::span<const std::uint8_t> frame, const Header& request) {
  auto parsed = proto::parse_mac_mask_list_body(request, frame, /*reject_reserved=*/false);
  if (!parsed) {
    send_error(port, frame, request, AoeError::BadArgument);
    return;
  }
  const proto::MacMaskListBody& m = parsed.value();
  auto merror = proto::MaskError::None;
  if (m.mcmd == static_cast<std::uint8_t>(proto::MaskCommand::Edit)) {
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
  } else if (m.mcmd != static_cast<std::uint8_t>(proto::MaskCommand::Read)) {
    send_error(port, frame, request, AoeError::BadArgument);
    return;
  }
  // The reply lists the current mask (DCmd 0 each), whatever the request asked.
  std::array<proto::MacMaskDirective, 255> list{};
  for (std::size_t i = 0; i < mask_list_.size(); ++i) list[i].mac = mask_list_[i];
  const Header h = reply_to(request, port);
  auto out = begin_frame(proto::kMacMaskHeaderSize + mask_list_.size() * proto::kMacMaskDirectiveSize);
  const std::size_t n = proto::encode_mac_mask_list(out, h, m.mcmd, static_cast<std::uint8_t>(merror),
                                                    std::span(list.data(), mask_list_.size()), pad());
  commit_frame(reply_port(port), n, false);
}

void Target::handle_reserve(std::size_t port, std::span<const std::uint8_t> frame, const Header& request) {
  auto parsed = proto::parse_reserve_release_body(request, frame);
  if (!parsed) {
    send_error(port, frame, request, AoeError::BadArgument);
    return;
  }
  const proto::ReserveReleaseBody& r = parsed.value();
  Header h = reply_to(request, port);
  bool is_error = false;
  switch (static_cast<proto::ReserveCommand>(r.rcmd)) {
    case proto::ReserveCommand::Read: break;
    case proto::ReserveCommand::Set:
    case proto::ReserveCommand::ForceSet: {
      const bool holder = reserve_list_.empty() ||
                          std::find(reserve_list_.begin(), reserve_list_.end(), request.src) != reserve_list_.end();
      if (r.mac_count > config_.reserve_list_capacity) {
        send_error(port, frame, request, AoeError::BadArgument);
        return;
      }
      if (r.rcmd == static_cast<std::uint8_t>(proto::ReserveCommand::Set) && !holder) {
        mark_error(h, AoeError::TargetReserved);  // the reply shows who holds it
        is_error = true;
        ++counters_.reserved_refusals;
        break;
      }
      reserve_list_.clear();  // an empty list releases the target
      for (std::size_t i = 0; i < r.mac_count; ++i) {
        const proto::MacAddress mac = r.mac(i);
        if (std::find(reserve_list_.begin(), reserve_list_.end(), mac) == reserve_list_.end()) reserve_list_.push_back(mac);
      }
      break;
    }
    default:
      send_error(port, frame, request, AoeError::BadArgument);
      return;
  }
  auto out = begin_frame(proto::kReserveHeaderSize + reserve_list_.size() * 6);
  commit_frame(reply_port(port), proto::encode_reserve_release(out, h, r.rcmd, reserve_list_, pad()), is_error);
}

}  // namespace aoeh::target
