#include "faults/plan.hpp"

#include <stdexcept>

namespace aoeh::faults {

const char* fault_type_name(FaultType t) {
  switch (t) {
    case FaultType::Loss: return "loss";
    case FaultType::BurstLoss: return "burst_loss";
    case FaultType::Delay: return "delay";
    case FaultType::Duplicate: return "duplicate";
    case FaultType::Reorder: return "reorder";
    case FaultType::CorruptDetected: return "corrupt";
    case FaultType::CorruptUndetected: return "corrupt (undetected)";
    case FaultType::RateLimit: return "rate_limit";
    case FaultType::QueueOverflow: return "queue_overflow";
    case FaultType::Mtu: return "mtu";
    case FaultType::Down: return "down";
    case FaultType::Flap: return "flap";
    case FaultType::BlackHole: return "black_hole";
    case FaultType::Partition: return "partition";
    case FaultType::Hang: return "hang";
    case FaultType::Crash: return "crash";
    case FaultType::Slow: return "slow";
    case FaultType::AoeError: return "aoe_error";
    case FaultType::AtaError: return "ata_error";
    case FaultType::Runt: return "runt";
    case FaultType::WrongTag: return "wrong_tag";
    case FaultType::WrongShelf: return "wrong_shelf";
    case FaultType::WrongSlot: return "wrong_slot";
    case FaultType::DuplicateReply: return "duplicate_reply";
    case FaultType::StaleReplay: return "stale_replay";
    case FaultType::Resize: return "resize";
    case FaultType::MacChange: return "mac_change";
    case FaultType::Bufcnt: return "bufcnt";
    case FaultType::ConfigString: return "config_string";
    case FaultType::Reserve: return "reserve";
    case FaultType::MaskList: return "mask_list";
    case FaultType::ClaimAddress: return "claim_address";
    case FaultType::Firmware: return "firmware";
    case FaultType::PortDown: return "port_down";
    case FaultType::PortMtu: return "port_mtu";
  }
  return "unknown";
}

const char* action_name(ActionPlan::Kind k) {
  switch (k) {
    case ActionPlan::Kind::Revalidate: return "revalidate";
    case ActionPlan::Kind::Open: return "open";
    case ActionPlan::Kind::Close: return "close";
    case ActionPlan::Kind::Discover: return "discover";
    case ActionPlan::Kind::Flush: return "flush";
  }
  return "unknown";
}

std::string CountRange::describe() const {
  constexpr std::uint64_t kInf = ~std::uint64_t{0};
  if (min == max) return std::to_string(min);
  if (max == kInf || max == kInf >> 1) return ">= " + std::to_string(min);
  if (min == 0) return "<= " + std::to_string(max);
  return std::to_string(min) + ".." + std::to_string(max);
}

std::uint32_t Plan::port_count() const {
  std::size_t n = initiator_ports.size();
  for (const auto& t : targets) n += t.ports.size();
  return static_cast<std::uint32_t>(n);
}

const PortPlan& Plan::port_ref(std::uint32_t index) const {
  if (index < initiator_ports.size()) return initiator_ports[index];
  index -= static_cast<std::uint32_t>(initiator_ports.size());
  for (const auto& t : targets) {
    if (index < t.ports.size()) return t.ports[index];
    index -= static_cast<std::uint32_t>(t.ports.size());
  }
  throw std::out_of_range("plan port index");
}

std::optional<std::uint32_t> Plan::find_port(std::string_view name) const {
  for (std::uint32_t i = 0; i < port_count(); ++i)
    if (port_ref(i).name == name) return i;
  return std::nullopt;
}

std::optional<std::uint32_t> Plan::find_target(proto::DeviceAddress a) const {
  for (std::uint32_t i = 0; i < targets.size(); ++i)
    if (targets[i].address == a) return i;
  return std::nullopt;
}

std::optional<std::uint32_t> Plan::find_path(std::string_view name) const {
  for (std::uint32_t i = 0; i < paths.size(); ++i)
    if (paths[i].name == name) return i;
  return std::nullopt;
}

}  // namespace aoeh::faults
