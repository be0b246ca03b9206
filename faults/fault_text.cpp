#include "faults/fault_text.hpp"

#include <cstdio>

#include "faults/units.hpp"
#include "protocol/constants.hpp"

namespace aoeh::faults {
namespace {

std::string dir_name(bool toward, bool from, bool link) {
  if (toward && from) return "both directions";
  if (link) return toward ? "in" : "out";
  return toward ? "egress" : "ingress";
}

std::string pct(double p) {
  char b[32];
  std::snprintf(b, sizeof b, "%g%%", p * 100);
  return b;
}

}  // namespace

std::string site_name(const FaultSite& s) {
  switch (s.kind) {
    case FaultSite::Kind::Link: return "link " + s.name + " (" + dir_name(s.toward_host, s.from_host, true) + ")";
    case FaultSite::Kind::SwitchPort:
      return "switch port of " + s.name + " (" + dir_name(s.toward_host, s.from_host, false) + ")";
    case FaultSite::Kind::Path: return "path " + s.name;
    case FaultSite::Kind::Target: return "target " + s.name;
    case FaultSite::Kind::InitiatorPort: return "initiator port " + s.name;
  }
  return s.name;
}

std::string describe_fault(const FaultPlan& f) {
  std::string d = fault_type_name(f.type);
  switch (f.type) {
    case FaultType::Loss: d += " " + pct(f.probability); break;
    case FaultType::BurstLoss: d += " p=" + pct(f.ge_p) + " r=" + pct(f.ge_r); break;
    case FaultType::Delay:
      d += " " + format_duration(f.delay);
      if (f.jitter) d += " +/- " + format_duration(f.jitter) + (f.normal_jitter ? " (normal)" : " (uniform)");
      break;
    case FaultType::Duplicate:
    case FaultType::CorruptDetected:
    case FaultType::CorruptUndetected:
    case FaultType::StaleReplay: d += " " + pct(f.probability); break;
    case FaultType::Reorder: d += " " + pct(f.probability) + " held " + format_duration(f.delay); break;
    case FaultType::RateLimit:
    case FaultType::QueueOverflow:
      d += " " + std::to_string(f.rate / 1'000'000) + "Mbit/s queue " + std::to_string(f.queue);
      break;
    case FaultType::Mtu:
    case FaultType::PortMtu: d += " " + std::to_string(f.mtu); break;
    case FaultType::Flap: d += " every " + format_duration(f.period) + " down " + format_duration(f.down_time); break;
    case FaultType::Slow: d += " " + format_duration(f.delay) + " per request"; break;
    case FaultType::AoeError: d += " " + std::to_string(f.aoe_error); break;
    case FaultType::AtaError:
      d += f.ata_error == proto::ata::kErrorAbrt ? " ABRT" : f.ata_error == proto::ata::kErrorUnc ? " UNC" : " IDNF";
      if (f.lba_last != ~std::uint64_t{0} || f.lba_first != 0)
        d += " on LBA " + std::to_string(f.lba_first) + "-" + std::to_string(f.lba_last);
      break;
    case FaultType::Resize: d += " to " + std::to_string(f.capacity_sectors) + " sectors"; break;
    case FaultType::MacChange: d += " port " + std::to_string(f.port) + " to " + f.mac.to_string(); break;
    case FaultType::Bufcnt: d += " " + std::to_string(f.number); break;
    case FaultType::Firmware: d += " " + std::to_string(f.number); break;
    case FaultType::ConfigString: d += " \"" + f.text + "\""; break;
    case FaultType::Reserve: d += " by " + f.mac.to_string(); break;
    case FaultType::MaskList: d += " allowing only " + f.mac.to_string(); break;
    case FaultType::ClaimAddress: d += " " + f.address.to_string(); break;
    default: break;
  }
  return d + " on " + site_name(f.site);
}

}  // namespace aoeh::faults
