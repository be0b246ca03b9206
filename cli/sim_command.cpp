// `aoeh sim`: runs the built-in simulated topology (engine + reference targets) and prints a summary.
#include <fmt/core.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "sim/simulation.hpp"
#ifdef AOEH_HAVE_NS3
#include "sim/ns3/ns3_simulation.hpp"
#endif
#ifdef AOEH_HAVE_FAULTS
#include "cli/sim_plan.hpp"
#endif

namespace aoeh::cli {
namespace {

struct SimOptions {
  std::uint64_t seed = 1;
  std::uint32_t initiator_ports = 2;
  std::uint32_t paths = 2;
  std::uint32_t targets = 4;
  std::uint32_t target_ports = 2;
  std::uint32_t mtu = 1500;
  std::uint64_t capacity = 1u << 21;
  double loss = 0.0;
  std::uint32_t regions = 32;
  std::uint32_t sectors = 8;
  std::uint32_t queue_depth = 4;
  std::uint64_t first_lba = 0;
  std::string pcap;
  std::string backend = "sim";
  bool json = false;
  std::string plan;  // a fault plan instead of the built-in topology
  std::string out;
};

void print_human(const sim::SimulationConfig& c, const sim::SimulationSummary& s) {
  const auto& t = c.topology;
  fmt::print("aoeh sim: {} initiator x {} ports, {} paths (MTU {}), {} targets x {} ports, seed {}\n", t.initiators,
             t.initiator_ports, t.paths.size(), t.paths.front().mtu, t.targets, t.target_ports, c.seed);
  fmt::print("devices found  {} of {} ({} up){}, last up at {:.6f} s\n", s.devices_found, s.targets, s.devices_up,
             s.discovery_complete ? "" : " INCOMPLETE", static_cast<double>(s.discovery_time) / 1e9);
  fmt::print("I/O done       {} ok, {} failed, {} verify errors; {} regions, {} KiB written, {} KiB read{}\n",
             s.io.completed, s.io.failed, s.io.verify_errors, s.io.regions_done, s.io.bytes_written / 1024,
             s.io.bytes_read / 1024, s.io_complete ? "" : " INCOMPLETE");
  fmt::print("retransmits    {} (timeouts {}, frames dropped {}, frames sent {}, received {})\n", s.retransmits,
             s.timeouts, s.frames_dropped, s.frames_sent, s.frames_received);
  fmt::print("events         {} (hash {:016x})\n", s.events, s.event_hash);
  fmt::print("time           simulated {:.6f} s, wall {:.3f} s\n", static_cast<double>(s.simulated_time) / 1e9,
             s.wall_seconds);
}

void print_json(const sim::SimulationConfig& c, const sim::SimulationSummary& s) {
  nlohmann::json j;
  j["seed"] = c.seed;
  j["topology"] = {{"initiator_ports", c.topology.initiator_ports},
                   {"paths", c.topology.paths.size()},
                   {"mtu", c.topology.paths.front().mtu},
                   {"targets", c.topology.targets},
                   {"target_ports", c.topology.target_ports}};
  j["devices_found"] = s.devices_found;
  j["devices_up"] = s.devices_up;
  j["discovery_complete"] = s.discovery_complete;
  j["discovery_time_ns"] = s.discovery_time;
  j["io"] = {{"complete", s.io_complete},        {"completed", s.io.completed},
             {"failed", s.io.failed},            {"verify_errors", s.io.verify_errors},
             {"regions", s.io.regions_done},     {"bytes_written", s.io.bytes_written},
             {"bytes_read", s.io.bytes_read}};
  j["retransmits"] = s.retransmits;
  j["timeouts"] = s.timeouts;
  j["frames_sent"] = s.frames_sent;
  j["frames_received"] = s.frames_received;
  j["frames_dropped"] = s.frames_dropped;
  j["events"] = s.events;
  j["event_hash"] = fmt::format("{:016x}", s.event_hash);
  j["simulated_ns"] = s.simulated_time;
  j["wall_seconds"] = s.wall_seconds;
  std::cout << j.dump(2) << "\n";
}

int run_sim(const SimOptions& o);

}  // namespace

Command add_sim_command(CLI::App& parent) {
  auto options = std::make_shared<SimOptions>();
  auto* cmd = parent.add_subcommand("sim", "Run the built-in simulated topology (engine + reference targets) and summarise");
  cmd->footer("Default: 1 initiator with 2 ports, 2 paths, 4 two-port targets; each device gets 32 regions of\n"
              "8 sectors written, read back and verified. Exit 1 when discovery or I/O did not complete cleanly.");
  auto& o = *options;
  cmd->add_option("--seed", o.seed, "Random seed (same seed, same run)")->capture_default_str();
  cmd->add_option("--initiator-ports", o.initiator_ports, "Initiator ports")->capture_default_str()->check(CLI::Range(1, 255));
  cmd->add_option("--paths", o.paths, "Paths (one switch each)")->capture_default_str()->check(CLI::Range(1, 64));
  cmd->add_option("--targets", o.targets, "Targets (16 slots per shelf)")->capture_default_str()->check(CLI::Range(1, 65536));
  cmd->add_option("--target-ports", o.target_ports, "Ports per target")->capture_default_str()->check(CLI::Range(1, 255));
  cmd->add_option("--mtu", o.mtu, "MTU of every NIC and switch port")->capture_default_str()->check(CLI::Range(576, 9000));
  cmd->add_option("--capacity", o.capacity, "Sectors per target (sparse)")->capture_default_str()->check(CLI::Range(std::uint64_t{1}, std::uint64_t{0xFFFFFFFFFFFF}));
  cmd->add_option("--loss", o.loss, "Random loss probability on every link direction")->capture_default_str()->check(CLI::Range(0.0, 0.9));
  cmd->add_option("--regions", o.regions, "Regions written, read and verified per device")->capture_default_str()->check(CLI::Range(1u, 1u << 24));
  cmd->add_option("--sectors", o.sectors, "Sectors per request")->capture_default_str()->check(CLI::Range(1, 65536));
  cmd->add_option("--queue-depth", o.queue_depth, "Requests outstanding per device")->capture_default_str()->check(CLI::Range(1, 1024));
  cmd->add_option("--first-lba", o.first_lba, "First LBA of the workload")->capture_default_str();
  cmd->add_option("--pcap", o.pcap, "Capture the initiator's ports to this pcap file");
  cmd->add_option("--backend", o.backend, "sim (in-process) or ns3 (ns-3 models)")
      ->capture_default_str()->check(CLI::IsMember({"sim", "ns3"}));
  cmd->add_flag("--json", o.json, "Print the summary as JSON");
#ifdef AOEH_HAVE_FAULTS
  cmd->add_option("plan", o.plan, "A fault plan (faults/README.md) to run instead of the built-in topology");
  cmd->add_option("--out", o.out, "With a plan: directory for capture.pcap and results.json (default reports/runs/<id>)");
  cmd->footer("Default: 1 initiator with 2 ports, 2 paths, 4 two-port targets; each device gets 32 regions of\n"
              "8 sectors written, read back and verified. Exit 1 when discovery or I/O did not complete cleanly.\n"
              "With PLAN.json: prints the timeline and summary, writes capture.pcap and results.json to --out;\n"
              "exit 1 when an expectation failed, 2 on a bad plan (or, with --backend ns3, a fault ns-3 cannot express).\n"
              "Example: aoeh sim scenarios/plans/timeouts.json --backend ns3");
  return {cmd, [options, cmd] {
            if (options->plan.empty()) return run_sim(*options);
            for (const char* flag : {"--initiator-ports", "--paths", "--targets", "--target-ports", "--mtu", "--capacity",
                                     "--loss", "--regions", "--sectors", "--queue-depth", "--first-lba", "--pcap"})
              if (cmd->count(flag) > 0) {
                std::cerr << "aoeh sim: " << flag << " shapes the built-in topology; a plan describes its own\n";
                return kExitUsage;
              }
            PlanRunOptions p;
            p.plan = options->plan;
            if (cmd->count("--seed") > 0) p.seed = options->seed;
            p.out = options->out;
            p.json = options->json;
            p.backend = options->backend;
            return run_plan_file(p);
          }};
#else
  return {cmd, [options] { return run_sim(*options); }};
#endif
}

namespace {
int run_sim(const SimOptions& o) {
  sim::SimulationConfig c;
  c.seed = o.seed;
  c.topology.initiator_ports = o.initiator_ports;
  c.topology.paths.assign(o.paths, sim::PathSpec{o.mtu, {}, 0});
  c.topology.targets = o.targets;
  c.topology.target_ports = o.target_ports;
  c.target.capacity_sectors = o.capacity;
  c.loss = o.loss;
  c.workload.regions_per_device = o.regions;
  c.workload.sectors = o.sectors;
  c.workload.queue_depth = o.queue_depth;
  c.workload.first_lba = o.first_lba;
  c.pcap_path = o.pcap;
  const std::uint64_t end = o.first_lba + std::uint64_t{o.regions} * o.sectors;
  if (end > o.capacity) {
    std::cerr << "aoeh sim: the workload ends at LBA " << end << ", beyond the capacity of " << o.capacity
              << " sectors (lower --regions/--sectors/--first-lba or raise --capacity)\n";
    return kExitUsage;
  }
  sim::SimulationSummary s;
  try {
    if (o.backend == "ns3") {
#ifdef AOEH_HAVE_NS3
      sim::Ns3Simulation simulation(c);
      s = simulation.run();
#else
      std::cerr << "aoeh sim: the ns-3 backend is not available in this build: " << AOEH_NS3_UNAVAILABLE << "\n";
      return kExitUsage;
#endif
    } else {
      sim::Simulation simulation(c);
      s = simulation.run();
    }
  } catch (const std::exception& e) {
    std::cerr << "aoeh sim: " << e.what() << "\n";
    return kExitUsage;
  }
  if (o.json) print_json(c, s);
  else print_human(c, s);
  const bool ok = s.discovery_complete && s.io_complete && s.io.failed == 0 && s.io.verify_errors == 0;
  return ok ? kExitOk : kExitCheckFailed;
}
}  // namespace

}  // namespace aoeh::cli
