#include "conformance/target_ops.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace aoeh::conformance {

using proto::Header;
using proto::MacAddress;

Header TargetOps::header(const std::string& port, std::uint8_t command, std::optional<MacAddress> src) const {
  Header h;
  auto it = facts_.mac_by_port.find(port);
  h.dst = it != facts_.mac_by_port.end() ? it->second : MacAddress::broadcast();
  h.src = src ? *src : probe_.port_mac(port);
  h.set_address(facts_.address);
  h.command = command;
  h.tag = probe_.next_tag();
  return h;
}

bool TargetOps::use_lba48(std::uint64_t lba, std::uint32_t count) const {
  return facts_.lba48() || lba + count > proto::ata::kMaxLba28;
}

std::optional<proto::AtaArg> ata_arg_of(const Reply& r) {
  if (r.header.command != static_cast<std::uint8_t>(proto::Command::Ata)) return std::nullopt;
  proto::Header h = r.header;
  h.flags |= proto::kFlagError;  // an error response carries no data: only the argument is decoded
  auto body = proto::parse_ata_body(h, r.bytes, false);
  if (!body) return std::nullopt;
  return body->arg;
}

std::optional<proto::ByteSpan> reply_data(const Reply& r, std::uint32_t sectors) {
  const auto a = ata_arg_of(r);
  if (!a || r.header.is_error() || (a->cmd_status & proto::ata::kStatusFailMask) != 0) return std::nullopt;
  const std::size_t need = std::size_t{sectors} * proto::kSectorSize;
  if (r.bytes.size() < proto::kAtaHeaderSize + need) return std::nullopt;
  return proto::ByteSpan(r.bytes.data() + proto::kAtaHeaderSize, need);
}

std::string describe_reply(const Reply& r) {
  if (r.header.is_error())
    return fmt::format("AoE Error {} ({})", r.header.error, proto::aoe_error_name(r.header.aoe_error()));
  if (auto a = ata_arg_of(r)) {
    return fmt::format("ATA status 0x{:02x} error 0x{:02x}{}", a->cmd_status, a->err_feature,
                       (a->cmd_status & proto::ata::kStatusFailMask) ? "" : " (ok)");
  }
  auto m = r.parse();
  if (!m) return fmt::format("unparsable reply ({})", proto::parse_error_name(m.error()));
  return "ok";
}

std::optional<Bytes> TargetOps::read_sectors(const std::string& port, std::uint64_t lba, std::uint32_t count,
                                             std::string* why) {
  Bytes out;
  out.reserve(std::size_t{count} * proto::kSectorSize);
  const std::uint32_t step = std::max<std::uint32_t>(1, std::min<std::uint32_t>(facts_.sectors_for(port), 255));
  for (std::uint32_t done = 0; done < count;) {
    const auto n = static_cast<std::uint8_t>(std::min(step, count - done));
    const auto h = header(port, static_cast<std::uint8_t>(proto::Command::Ata));
    auto reply = probe_.transact(port, ata_frame(h, proto::ata_read_arg(lba + done, n, use_lba48(lba, count))),
                                 fmt::format("read LBA {} count {}", lba + done, n));
    if (!reply) {
      if (why) *why = fmt::format("no reply to READ of LBA {}", lba + done);
      return std::nullopt;
    }
    const auto data = reply_data(*reply, n);
    if (!data) {
      if (why)
        *why = fmt::format("READ of LBA {} count {} failed: {} ({} bytes)", lba + done, n, describe_reply(*reply),
                           reply->bytes.size());
      return std::nullopt;
    }
    out.insert(out.end(), data->begin(), data->end());
    done += n;
  }
  return out;
}

bool TargetOps::write_sectors(const std::string& port, std::uint64_t lba, const Bytes& data, std::string* why) {
  const auto count = static_cast<std::uint32_t>(data.size() / proto::kSectorSize);
  const std::uint32_t step = std::max<std::uint32_t>(1, std::min<std::uint32_t>(facts_.sectors_for(port), 255));
  for (std::uint32_t done = 0; done < count;) {
    const auto n = static_cast<std::uint8_t>(std::min(step, count - done));
    const auto h = header(port, static_cast<std::uint8_t>(proto::Command::Ata));
    const proto::ByteSpan chunk(data.data() + std::size_t{done} * proto::kSectorSize, std::size_t{n} * proto::kSectorSize);
    auto reply = probe_.transact(port, ata_frame(h, proto::ata_write_arg(lba + done, n, use_lba48(lba, count)), chunk),
                                 fmt::format("write LBA {} count {}", lba + done, n));
    if (!reply) {
      if (why) *why = fmt::format("no reply to WRITE of LBA {}", lba + done);
      return false;
    }
    auto m = reply->parse();
    const auto* a = m ? m->ata() : nullptr;
    if (reply->header.is_error() || a == nullptr || (a->arg.cmd_status & proto::ata::kStatusFailMask) != 0) {
      if (why) *why = fmt::format("WRITE of LBA {} count {} failed: {}", lba + done, n, describe_reply(*reply));
      return false;
    }
    done += n;
  }
  return true;
}

bool TargetOps::flush(const std::string& port, std::string* why) {
  const auto h = header(port, static_cast<std::uint8_t>(proto::Command::Ata));
  // FLUSH CACHE (0xE7) works on every device; EXT is optional even with LBA48.
  auto reply = probe_.transact(port, ata_frame(h, proto::ata_flush_arg(false)), "FLUSH CACHE");
  if (!reply) {
    if (why) *why = "no reply to FLUSH CACHE";
    return false;
  }
  auto m = reply->parse();
  const auto* a = m ? m->ata() : nullptr;
  if (reply->header.is_error() || a == nullptr || (a->arg.cmd_status & proto::ata::kStatusFailMask) != 0) {
    if (why) *why = "FLUSH CACHE failed: " + describe_reply(*reply);
    return false;
  }
  return true;
}

std::optional<std::string> TargetOps::config_string(const std::string& port, std::string* why) {
  const auto h = header(port, static_cast<std::uint8_t>(proto::Command::QueryConfig));
  auto reply = probe_.transact(port, query_config_frame(h, proto::ConfigCommand::Read), "Query Config read");
  if (!reply) {
    if (why) *why = "no reply to Query Config read";
    return std::nullopt;
  }
  auto m = reply->parse();
  const auto* q = m ? m->query_config() : nullptr;
  if (reply->header.is_error() || q == nullptr) {
    if (why) *why = "Query Config read failed: " + describe_reply(*reply);
    return std::nullopt;
  }
  return std::string(q->config_string());
}

bool TargetOps::force_config(const std::string& port, const std::string& value, std::string* why) {
  const auto h = header(port, static_cast<std::uint8_t>(proto::Command::QueryConfig));
  auto reply = probe_.transact(port, query_config_frame(h, proto::ConfigCommand::ForceSet, value),
                               "Query Config force set");
  if (!reply) {
    if (why) *why = "no reply to Query Config force set";
    return false;
  }
  auto m = reply->parse();
  const auto* q = m ? m->query_config() : nullptr;
  if (reply->header.is_error() || q == nullptr || q->config_string() != value) {
    if (why) *why = "Query Config force set did not take: " + describe_reply(*reply);
    return false;
  }
  return true;
}

std::vector<MacAddress> macs_of(const proto::MacMaskListBody& body) {
  std::vector<MacAddress> out;
  for (std::size_t i = 0; i < body.directive_count; ++i) out.push_back(body.directive(i).mac);
  return out;
}

std::vector<MacAddress> macs_of(const proto::ReserveReleaseBody& body) {
  std::vector<MacAddress> out;
  for (std::size_t i = 0; i < body.mac_count; ++i) out.push_back(body.mac(i));
  return out;
}

std::optional<std::vector<MacAddress>> TargetOps::mask_list(const std::string& port, std::string* why) {
  return mask_edit(port, {}, why);
}

std::optional<std::vector<MacAddress>> TargetOps::mask_edit(const std::string& port,
                                                            const std::vector<proto::MacMaskDirective>& d,
                                                            std::string* why, std::optional<MacAddress> src) {
  const auto h = header(port, static_cast<std::uint8_t>(proto::Command::MacMaskList), src);
  const auto mcmd = d.empty() ? proto::MaskCommand::Read : proto::MaskCommand::Edit;
  const auto frame = mac_mask_frame(h, mcmd, d);
  const std::string note = d.empty() ? "Mac Mask List read" : fmt::format("Mac Mask List edit ({} directives)", d.size());
  if (src && *src != probe_.port_mac(port)) {
    // The reply goes to the spoofed MAC: let the target process it, then the caller reads back.
    probe_.send(port, frame, note + " from " + src->to_string());
    probe_.settle(probe_.timing().silence);
    return std::nullopt;
  }
  auto reply = probe_.transact(port, frame, note);
  if (!reply) {
    if (why) *why = "no reply to " + note;
    return std::nullopt;
  }
  auto m = reply->parse();
  const auto* body = m ? m->mac_mask_list() : nullptr;
  if (reply->header.is_error() || body == nullptr || body->merror != 0) {
    if (why)
      *why = fmt::format("{} failed: {}{}", note, describe_reply(*reply),
                         body != nullptr && body->merror != 0 ? fmt::format(" MError {}", body->merror) : "");
    return std::nullopt;
  }
  return macs_of(*body);
}

std::optional<std::vector<MacAddress>> TargetOps::reservation(const std::string& port, std::string* why) {
  const auto h = header(port, static_cast<std::uint8_t>(proto::Command::ReserveRelease));
  auto reply = probe_.transact(port, reserve_frame(h, proto::ReserveCommand::Read), "Reserve/Release read");
  if (!reply) {
    if (why) *why = "no reply to Reserve/Release read";
    return std::nullopt;
  }
  auto m = reply->parse();
  const auto* body = m ? m->reserve_release() : nullptr;
  if (reply->header.is_error() || body == nullptr) {
    if (why) *why = "Reserve/Release read failed: " + describe_reply(*reply);
    return std::nullopt;
  }
  return macs_of(*body);
}

bool TargetOps::force_reservation(const std::string& port, const std::vector<MacAddress>& macs, std::string* why) {
  const auto h = header(port, static_cast<std::uint8_t>(proto::Command::ReserveRelease));
  auto reply = probe_.transact(port, reserve_frame(h, proto::ReserveCommand::ForceSet, macs),
                               fmt::format("Reserve/Release force set ({} MACs)", macs.size()));
  if (!reply) {
    if (why) *why = "no reply to Reserve/Release force set";
    return false;
  }
  auto m = reply->parse();
  const auto* body = m ? m->reserve_release() : nullptr;
  if (reply->header.is_error() || body == nullptr || macs_of(*body) != macs) {
    if (why) *why = "Reserve/Release force set did not take: " + describe_reply(*reply);
    return false;
  }
  return true;
}

}  // namespace aoeh::conformance
