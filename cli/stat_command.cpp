// `aoeh stat`: the AoE devices that answer on the given interfaces, shown like aoe-stat.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/initiator_common.hpp"
#include "cli/live_common.hpp"

namespace aoeh::cli {
namespace {

struct StatOptions {
  std::vector<std::string> interfaces;
  double wait = 2;
  bool json = false;
};

// Identification normally follows the Query Config answer within a round trip; a device still
// identifying when the listening time ends gets this much longer.
constexpr live::Nanos kIdentifyGrace = 2'000'000'000;

nlohmann::json device_json(const initiator::DeviceInfo& d, std::vector<live::RawPort>& ports) {
  nlohmann::json paths = nlohmann::json::array();
  for (const auto& p : d.paths) {
    std::vector<std::string> ifs;
    for (const auto id : p.ports) {
      if (id < ports.size()) ifs.push_back(ports[id].info().name);
    }
    paths.push_back({{"mac", p.mac.to_string()},
                     {"interfaces", ifs},
                     {"buffer_count", p.buffer_count},
                     {"firmware_version", p.firmware},
                     {"sector_count", p.sector_count},
                     {"payload_sectors", p.payload_sectors},
                     {"config", p.config},
                     {"srtt_us", static_cast<double>(p.srtt) / 1e3},
                     {"healthy", p.healthy}});
  }
  return {{"name", d.address.to_string()},
          {"shelf", d.address.shelf},
          {"slot", d.address.slot},
          {"state", initiator::device_state_name(d.state)},
          {"sectors", d.capacity_sectors},
          {"bytes", d.capacity_sectors * 512},
          {"lba48", d.lba48},
          {"model", d.model},
          {"serial", d.serial},
          {"firmware", d.firmware},
          {"payload_bytes", payload_bytes(d)},
          {"interfaces", device_interfaces(d, ports)},
          {"paths", paths}};
}

int run_stat(const StatOptions& o) {
  live::LiveSession session(o.interfaces, tool_engine_config());
  live::LiveDriver& driver = session.driver();
  const live::Nanos listen_until = driver.now() + static_cast<live::Nanos>(o.wait * 1e9);
  auto outcome = driver.run_until([] { return false; }, listen_until);
  auto identifying = [&] {
    for (const auto& d : session.engine().devices()) {
      if (d.state == initiator::DeviceState::Discovered) return true;
    }
    return false;
  };
  if (outcome != live::RunOutcome::Interrupted && identifying()) {
    bool settled = false;
    driver.set_event_handler([&](const initiator::Event& e) {
      if (e.kind == initiator::EventKind::DeviceUp || e.kind == initiator::EventKind::DeviceFailed) {
        settled = !identifying();
      }
    });
    outcome = driver.run_until([&] { return settled; }, driver.now() + kIdentifyGrace);
  }

  auto devices = session.engine().devices();
  std::sort(devices.begin(), devices.end(), [](const auto& a, const auto& b) { return a.address < b.address; });
  if (o.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& d : devices) list.push_back(device_json(d, session.ports()));
    std::cout << nlohmann::json{{"devices", list}}.dump(2) << "\n";
  } else {
    for (const auto& d : devices) {
      char size[32];
      std::snprintf(size, sizeof size, "%.3fGB", static_cast<double>(d.capacity_sectors) * 512 / 1e9);
      std::printf("%10s %15s   %s %u  %s\n", d.address.to_string().c_str(), size,
                  interfaces_text(device_interfaces(d, session.ports())).c_str(), payload_bytes(d),
                  initiator::device_state_name(d.state));
    }
    std::fflush(stdout);
  }
  if (outcome == live::RunOutcome::Interrupted) return usage_error("stat", "interrupted; the list above is partial");
  if (devices.empty()) {
    return usage_error("stat", "no AoE device answered on " + interfaces_text(o.interfaces) + " within " +
                                   CLI::detail::to_string(o.wait) + " s");
  }
  return kExitOk;
}

}  // namespace

Command add_stat_command(CLI::App& parent) {
  auto o = std::make_shared<StatOptions>();
  auto* app = parent.add_subcommand("stat", "List the AoE devices that answer on the given interfaces (like aoe-stat)");
  add_interface_option(app, o->interfaces);
  app->add_option("--wait", o->wait, "Seconds to listen for answers to the discovery broadcast")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app->add_flag("--json", o->json, "Print the devices as JSON (with paths, MACs, buffer counts, RTT)");
  app->footer(
      "Broadcasts a Query Config on every interface, identifies each device that answers and prints\n"
      "one line per device: name, size (GB = 10^9 bytes), interfaces, payload bytes per frame, state.\n"
      "Exit 0 when at least one device answered, 2 when none did (or on errors).\n\n"
      "Examples:\n"
      "  aoeh stat --iface eth1\n"
      "  aoeh stat --iface eth1 --iface eth2 --wait 5 --json");
  return {app, [o] { return run_guarded("stat", [&] { return run_stat(*o); }); }};
}

}  // namespace aoeh::cli
