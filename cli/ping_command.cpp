// `aoeh ping`: Query Config then IDENTIFY to one device, like aoeping; -I prints the identity.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/initiator_common.hpp"
#include "cli/live_common.hpp"

namespace aoeh::cli {
namespace {

struct PingOptions {
  TargetOptions target;
  bool identify = false;
  bool json = false;
};

int run_ping(const PingOptions& o) {
  live::LiveSession session(o.target.interfaces, tool_engine_config());
  const live::Nanos started = session.driver().now();
  const BroughtUp up = bring_up(session, o.target, "ping", false);
  if (!up.device) return up.exit_code;
  const double elapsed_ms = static_cast<double>(session.driver().now() - started) / 1e6;
  const initiator::DeviceInfo& d = *up.device;
  const initiator::PathInfo* path = d.paths.empty() ? nullptr : &d.paths.front();

  if (o.json) {
    nlohmann::json j{{"device", d.address.to_string()},  {"sectors", d.capacity_sectors},
                     {"bytes", d.capacity_sectors * 512}, {"lba48", d.lba48},
                     {"model", d.model},                  {"serial", d.serial},
                     {"firmware", d.firmware},            {"elapsed_ms", elapsed_ms}};
    if (path) {
      j["mac"] = path->mac.to_string();
      j["interfaces"] = path_interfaces(*path, session.ports());
      j["buffer_count"] = path->buffer_count;
      j["firmware_version"] = path->firmware;
      j["sector_count"] = path->sector_count;
      j["payload_sectors"] = path->payload_sectors;
      j["config"] = path->config;
      j["rtt_ms"] = static_cast<double>(path->srtt) / 1e6;
    }
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::printf("%s answered", d.address.to_string().c_str());
  if (path) {
    std::printf(" from %s on %s", path->mac.to_string().c_str(), path_interfaces(*path, session.ports()).c_str());
  }
  std::printf(" in %.2f ms: %llu sectors (%s)", elapsed_ms, static_cast<unsigned long long>(d.capacity_sectors),
              human_bytes(d.capacity_sectors * 512).c_str());
  if (path) {
    std::printf(", bufcnt %u, firmware 0x%04x, %u sectors per frame", path->buffer_count, path->firmware,
                path->payload_sectors);
  }
  std::printf("\n");
  if (o.identify) {
    std::printf("model: %s\nserial_number: %s\nfirmware_rev: %s\ncapacity_sectors: %llu\nlba48: %s\n", d.model.c_str(),
                d.serial.c_str(), d.firmware.c_str(), static_cast<unsigned long long>(d.capacity_sectors),
                d.lba48 ? "yes" : "no");
    if (path && !path->config.empty()) std::printf("config: %s\n", path->config.c_str());
  }
  std::fflush(stdout);
  return kExitOk;
}

}  // namespace

Command add_ping_command(CLI::App& parent) {
  auto o = std::make_shared<PingOptions>();
  auto* app = parent.add_subcommand("ping", "Query Config then IDENTIFY one AoE device (like aoeping)");
  add_target_options(app, o->target);
  app->add_flag("-I,--identify", o->identify, "Print the IDENTIFY fields: model, serial, firmware, capacity");
  app->add_flag("--json", o->json, "Print everything as JSON");
  app->footer(
      "Broadcasts a Query Config, waits for eSHELF.SLOT to answer, then sends ATA IDENTIFY DEVICE\n"
      "and prints who answered (MAC, interface), the size, buffer count and sectors per frame.\n"
      "Exit 0 when the device answered and identified, 2 when it did not within --timeout.\n\n"
      "Examples:\n"
      "  aoeh ping --iface eth1 e1.0\n"
      "  aoeh ping --iface eth1 e1.0 -I");
  return {app, [o] { return run_guarded("ping", [&] { return run_ping(*o); }); }};
}

}  // namespace aoeh::cli
