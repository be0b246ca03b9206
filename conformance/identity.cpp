#include "conformance/identity.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace aoeh::conformance {

bool collect_identity(Probe& probe, TargetOps& ops, TargetFacts& facts, std::string* why) {
  for (const auto& port : probe.ports()) {
    // Before the MAC is known the request is broadcast; only eS.L may answer it.
    const auto h = ops.header(port, static_cast<std::uint8_t>(proto::Command::QueryConfig));
    const auto frame = query_config_frame(h, proto::ConfigCommand::Read);
    std::optional<Reply> reply;
    for (int attempt = 0; attempt < std::max(1, probe.timing().attempts) && !reply; ++attempt) {
      probe.send(port, frame, "identity: Query Config read");
      // Tolerant on purpose: a target that mangles tags is still identified, so that the tag tests
      // can fail it instead of the whole run ending as "no target".
      // Also tolerant of a missing Response flag (the probe never hears its own frames here).
      auto replies = probe.await(std::nullopt, 1, probe.timing().reply_timeout, [&](const Reply& r) {
        return r.header.tag == h.tag ||
               (r.header.is_response() && r.header.command == h.command && r.header.address() == facts.address);
      });
      if (!replies.empty()) reply = std::move(replies.front());
    }
    if (!reply) continue;
    auto m = reply->parse();
    const auto* q = m ? m->query_config() : nullptr;
    facts.ports.push_back(port);
    facts.mac_by_port[port] = reply->header.src;
    probe.add_target_mac(reply->header.src);
    if (q != nullptr) facts.sector_count_by_port[port] = q->effective_sector_count();
    if (q != nullptr && facts.ports.size() == 1) {
      facts.buffer_count = q->buffer_count;
      facts.firmware = q->firmware_version;
      facts.sector_count_raw = q->sector_count;
      facts.sector_count = q->effective_sector_count();
      facts.config_string = std::string(q->config_string());
    }
  }
  if (facts.ports.empty()) {
    if (why)
      *why = fmt::format("target {} did not answer a Query Config read on any of {} probe port(s)",
                         facts.address.to_string(), probe.ports().size());
    return false;
  }
  const auto& port = facts.primary_port();
  const auto h = ops.header(port, static_cast<std::uint8_t>(proto::Command::Ata));
  auto reply = probe.transact(port, ata_frame(h, proto::ata_identify_arg()), "identity: ATA IDENTIFY");
  const auto page = reply ? reply_data(*reply, 1) : std::nullopt;
  if (page) {
    auto id = proto::parse_identify(*page);
    if (id) {
      facts.identify_ok = true;
      facts.identity = id.value();
      facts.identify_page.assign(page->begin(), page->end());
    }
  }
  return true;
}

reports::DeviceIdentity device_identity(const TargetFacts& facts) {
  reports::DeviceIdentity d;
  d.address = facts.address.to_string();
  for (const auto& port : facts.ports) {
    const auto mac = facts.mac_by_port.at(port).to_string();
    if (std::find(d.macs.begin(), d.macs.end(), mac) == d.macs.end()) d.macs.push_back(mac);
  }
  d.firmware = facts.firmware;
  d.buffer_count = facts.buffer_count;
  d.sector_count = facts.sector_count_raw;
  d.config_string = facts.config_string;
  if (facts.identify_ok) {
    d.model = std::string(facts.identity.model.view());
    d.serial = std::string(facts.identity.serial.view());
    d.ata_firmware = std::string(facts.identity.firmware.view());
    d.capacity_sectors = facts.identity.capacity_sectors;
    d.lba48 = facts.identity.lba48;
  }
  return d;
}

}  // namespace aoeh::conformance
