#include "cli/initiator_common.hpp"

#include <algorithm>
#include <cmath>
#include <iostream>

#include "cli/command.hpp"
#include "cli/live_common.hpp"

namespace aoeh::cli {

void add_interface_option(CLI::App* app, std::vector<std::string>& interfaces) {
  // One value per --iface, so a positional eS.L after it is not swallowed.
  app->add_option("-i,--iface", interfaces, "Network interface to use (repeat for several paths)")
      ->required()
      ->allow_extra_args(false);
}

void add_target_options(CLI::App* app, TargetOptions& o) {
  add_interface_option(app, o.interfaces);
  app->add_option("target", o.target, "AoE device as eSHELF.SLOT, e.g. e1.0")->required();
  app->add_option("--timeout", o.timeout, "Seconds to wait for the device to answer and identify")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
}

initiator::EngineConfig tool_engine_config(double dead_after_s) {
  initiator::EngineConfig c;
  c.dead_after = static_cast<initiator::Nanos>(dead_after_s * 1e9);
  // A user-space initiator on a busy host sees scheduling delays of milliseconds, far above a
  // LAN round trip; below this floor such delays turn into spurious retransmissions that collapse
  // the window. Real losses are still recovered within a few tens of milliseconds.
  c.rto_min = 20 * initiator::kMillisecond;
  return c;
}

void print_engine_stats(const std::string& name, const initiator::Counters& c) {
  std::cerr << "aoeh " << name << ": engine: " << c.frames_sent << " frames sent, " << c.frames_received
            << " received, " << c.retransmits << " retransmits, " << c.timeouts << " timeouts, " << c.duplicate_replies
            << " duplicate replies, " << c.late_replies << " late replies, " << c.unknown_tags << " unknown tags\n";
}

std::string interfaces_text(const std::vector<std::string>& interfaces) {
  std::string s;
  for (const auto& i : interfaces) s += (s.empty() ? "" : ",") + i;
  return s;
}

BroughtUp bring_up(live::LiveSession& session, const TargetOptions& o, const std::string& name, bool open) {
  BroughtUp r;
  const auto address = proto::DeviceAddress::parse(o.target);
  if (!address || address->is_broadcast_shelf() || address->is_broadcast_slot()) {
    r.exit_code = usage_error(name, "'" + o.target + "' is not a device address; write eSHELF.SLOT, e.g. e1.0");
    return r;
  }
  const auto timeout = static_cast<live::Nanos>(o.timeout * 1e9);
  const auto wait = session.wait_for_device(*address, timeout);
  if (wait.outcome == live::RunOutcome::Interrupted) {
    r.exit_code = usage_error(name, "interrupted while looking for " + address->to_string());
    return r;
  }
  if (!wait.device) {
    r.exit_code = usage_error(name, "no answer from " + address->to_string() + " on " + interfaces_text(o.interfaces) +
                                        " within " + CLI::detail::to_string(o.timeout) + " s");
    return r;
  }
  if (wait.device->state != initiator::DeviceState::Up) {
    r.exit_code = usage_error(name, address->to_string() + " answered but is " +
                                        initiator::device_state_name(wait.device->state) + " (IDENTIFY did not succeed)");
    return r;
  }
  if (open) session.driver().open(*address);
  r.device = wait.device;
  return r;
}

std::string path_interfaces(const initiator::PathInfo& path, std::vector<live::RawPort>& ports) {
  std::string s;
  for (const auto p : path.ports) {
    if (p < ports.size()) s += (s.empty() ? "" : ",") + ports[p].info().name;
  }
  return s;
}

std::vector<std::string> device_interfaces(const initiator::DeviceInfo& d, std::vector<live::RawPort>& ports) {
  std::vector<initiator::PortId> ids;
  for (const auto& path : d.paths) ids.insert(ids.end(), path.ports.begin(), path.ports.end());
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<std::string> names;
  for (const auto id : ids) {
    if (id < ports.size()) names.push_back(ports[id].info().name);
  }
  return names;
}

std::uint32_t payload_bytes(const initiator::DeviceInfo& d) {
  std::uint32_t best = 0;
  for (const auto& p : d.paths) best = std::max(best, p.payload_sectors * 512u);
  return best;
}

}  // namespace aoeh::cli
