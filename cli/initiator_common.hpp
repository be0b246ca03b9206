#pragma once
// Options and steps shared by the initiator-side commands (stat, ping, read, write, bench):
// interfaces, the eS.L target, bringing the device up through the engine, and describing it.
#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "initiator/types.hpp"
#include "live/live_session.hpp"

namespace aoeh::cli {

struct TargetOptions {
  std::vector<std::string> interfaces;
  std::string target;     // eS.L
  double timeout = 5;     // seconds to wait for the device to answer and identify
};

// --iface (repeatable, required), the positional eS.L and --timeout.
void add_target_options(CLI::App* app, TargetOptions& o);
// --iface only (stat).
void add_interface_option(CLI::App* app, std::vector<std::string>& interfaces);

// The engine settings the live tools use: the Linux driver's, but a dead target fails I/O after
// `dead_after_s` rather than 3 minutes.
initiator::EngineConfig tool_engine_config(double dead_after_s = 30);

struct BroughtUp {
  std::optional<initiator::DeviceInfo> device;  // set when Up
  int exit_code = 0;                             // else 2 (no answer, failed, interrupted)
};
// Parses o.target, discovers, waits for the device to be Up and opens it. On failure prints one
// line "aoeh NAME: ..." and returns exit code 2.
BroughtUp bring_up(live::LiveSession& session, const TargetOptions& o, const std::string& name, bool open = true);

// Interface names a path answered on, in port order ("ini0,ini1").
std::string path_interfaces(const initiator::PathInfo& path, std::vector<live::RawPort>& ports);
// All interfaces of all paths, without repeats, in port order.
std::vector<std::string> device_interfaces(const initiator::DeviceInfo& d, std::vector<live::RawPort>& ports);
// Largest payload in bytes among the device's paths (aoe-stat's "payload").
std::uint32_t payload_bytes(const initiator::DeviceInfo& d);

// One line on stderr: "aoeh NAME: engine: 120 frames sent, 118 received, 2 retransmits, ...".
void print_engine_stats(const std::string& name, const initiator::Counters& c);

// "no answer from e1.1 on ini0 within 5 s" and friends, for the run's outcome.
std::string interfaces_text(const std::vector<std::string>& interfaces);

}  // namespace aoeh::cli
