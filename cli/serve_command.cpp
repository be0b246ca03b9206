// `aoeh serve`: the reference AoE target (sim/target) on real interfaces, until Ctrl-C or --seconds.
#include <nlohmann/json.hpp>

#include <functional>
#include <iostream>
#include <memory>
#include <optional>

#include "cli/commands.hpp"
#include "cli/live_common.hpp"
#include "live/clock.hpp"
#include "live/target_driver.hpp"
#ifdef AOEH_HAVE_FAULTS
#include "faults/fault_text.hpp"
#include "faults/faulty_target.hpp"
#include "faults/plan_parser.hpp"
#include "faults/target_settings.hpp"
#include "faults/units.hpp"
#include "live/host_driver.hpp"
#endif
#include "protocol/device_address.hpp"
#include "sim/target/block_store.hpp"

namespace aoeh::cli {
namespace {

struct ServeOptions {
  std::vector<std::string> interfaces;
  unsigned shelf = 0;
  unsigned slot = 0;
  std::uint64_t size = 0;
  std::string file;
  unsigned bufcnt = 16;
  std::string config;
  bool read_only = false;
  bool write_cache = false;
  double seconds = 0;
  std::string plan;
  std::optional<std::uint64_t> seed;
  bool json = false;
};

nlohmann::json counters_json(const target::TargetCounters& c) {
  return {{"frames_received", c.frames_received}, {"replies", c.replies},
          {"error_replies", c.error_replies},     {"announcements", c.announcements},
          {"ata_commands", c.ata_commands},       {"ata_errors", c.ata_errors},
          {"dropped_bufcnt", c.dropped_bufcnt},   {"sectors_read", c.sectors_read},
          {"sectors_written", c.sectors_written}, {"flushes", c.flushes}};
}

void print_banner(const ServeOptions& o, const target::Target& target, const std::vector<live::RawPort>& ports,
                  std::uint64_t capacity);
int finish(const ServeOptions& o, const target::Target& target, target::BlockStore& store,
           proto::DeviceAddress address, std::uint64_t capacity);

#ifdef AOEH_HAVE_FAULTS
// The plan's target faults on the served target, timed from the start of serving. Frame-level
// faults (hang, error replies, mangled replies) go into the faulty target host; setting changes
// (slow, resize, bufcnt, firmware, config_string, crash) are scheduled on the driver, and undone
// at the end of `for`. A plan naming several targets applies only the faults for `served` (one naming
// a single target means the served one, whatever its address). Returns "" or why the plan cannot be served.
std::string apply_target_plan(const faults::Plan& plan, std::uint64_t seed, proto::DeviceAddress served,
                              faults::FaultyTargetHost& host, live::HostDriver& driver, std::vector<std::string>& lines) {
  using faults::FaultType;
  const target::TargetConfig initial = host.target().config();
  for (std::size_t i = 0; i < plan.faults.size(); ++i) {
    const faults::FaultPlan& f = plan.faults[i];
    const std::string where = "faults[" + std::to_string(i) + "]";
    const std::string name = faults::fault_type_name(f.type);
    if (f.site.kind != faults::FaultSite::Kind::Target) {
      return where + ": " + name + " is not a target fault; serve applies target faults only (link faults: aoeh relay --plan)";
    }
    const proto::DeviceAddress named = plan.targets[f.site.index].address;
    if (plan.targets.size() > 1 && !(named == served)) {
      lines.push_back("fault " + where + ": skipped (for " + named.to_string() + ", not " + served.to_string() + ")");
      continue;
    }
    const bool until_end = f.duration == sim::kNever;
    target::Target& t = host.target();
    auto change = [&](std::function<void()> begin, std::function<void()> end) {
      driver.at(f.at, [&host, begin = std::move(begin)] {
        begin();
        host.pump();
      });
      if (!until_end) {
        driver.at(f.at + f.duration, [&host, end = std::move(end)] {
          end();
          host.pump();
        });
      }
    };
    if (faults::is_frame_fault(f.type)) {
      host.add_fault(f, faults::fault_window(f), sim::Rng::stream(seed, "serve:" + where));
    } else {
      switch (f.type) {
        case FaultType::Slow:
          change([&t, s = target::ServiceTime{f.delay, f.jitter}] { t.set_service_time(s); },
                 [&t, s = initial.service] { t.set_service_time(s); });
          break;
        case FaultType::Resize:
        case FaultType::Bufcnt:
        case FaultType::Firmware:
        case FaultType::ConfigString: {
          auto set = [&t, &host, f, original = faults::settings_of(initial)](bool back) {
            faults::change_target_setting(t, f, original, back, host.now());
          };
          change([set] { set(false); }, [set] { set(true); });
          break;
        }
        case FaultType::Crash:
          change([&host] { host.crash(host.now()); }, [&t, &host] { t.restart(host.now()); });
          break;
        default:
          return where + ": serve cannot apply " + name + " on a real interface yet (supported: hang, slow, aoe_error, "
                 "ata_error, runt, wrong_tag, wrong_shelf, wrong_slot, duplicate_reply, stale_replay, resize, bufcnt, "
                 "firmware, config_string, crash)";
      }
    }
    std::string line = "fault " + where + ": " + faults::describe_fault(f);
    if (f.at > 0 || !until_end) {
      line += " from " + faults::format_duration(f.at);
      if (!until_end) line += " for " + faults::format_duration(f.duration);
    }
    lines.push_back(line);
  }
  return {};
}
#endif

int run_serve(const ServeOptions& o) {
  if (o.size == 0 && o.file.empty()) return usage_error("serve", "give --size BYTES (RAM-backed) or --file PATH");
  if (o.size != 0 && o.size < target::kStoreSectorSize) return usage_error("serve", "--size must be at least 512 bytes");

  std::shared_ptr<target::BlockStore> store;
  std::uint64_t capacity = o.size / target::kStoreSectorSize;
  if (!o.file.empty()) {
    std::string error;
    auto file = target::FileStore::open(o.file, o.read_only, false, &error);
    if (!file) return usage_error("serve", error);
    if (capacity == 0) capacity = file->size_sectors();
    if (capacity == 0) return usage_error("serve", o.file + " is smaller than one sector; give --size");
    store = std::move(file);
  } else {
    store = std::make_shared<target::MemoryStore>();
  }

  boost::asio::io_context io;
  auto ports = open_ports(io, o.interfaces);
  target::TargetConfig config;
  config.ports = live::target_ports(ports);
  config.shelf = static_cast<std::uint16_t>(o.shelf);
  config.slot = static_cast<std::uint8_t>(o.slot);
  config.capacity_sectors = capacity;
  config.store = store;
  config.bufcnt = static_cast<std::uint16_t>(o.bufcnt);
  config.config_string = o.config;
  config.read_only = o.read_only;
  config.write_cache = o.write_cache;
  if (const std::string problem = config.problem(); !problem.empty()) return usage_error("serve", problem);

  const proto::DeviceAddress address{config.shelf, config.slot};
  const live::Nanos deadline = o.seconds > 0 ? live::monotonic_now() + static_cast<live::Nanos>(o.seconds * 1e9)
                                             : target::kNever;
  if (!o.plan.empty()) {
#ifdef AOEH_HAVE_FAULTS
    const faults::PlanResult parsed = faults::load_plan(o.plan);
    if (!parsed.ok()) return usage_error("serve", o.plan + ": " + parsed.error.to_string());
    faults::FaultyTargetHost host(config);
    live::HostDriver driver(io, host, ports);
    std::vector<std::string> lines;
    const std::uint64_t seed = o.seed.value_or(parsed.plan->seed);
    if (const std::string problem = apply_target_plan(*parsed.plan, seed, address, host, driver, lines); !problem.empty())
      return usage_error("serve", o.plan + ": " + problem);
    if (!o.json) {
      print_banner(o, host.target(), ports, capacity);
      for (const auto& l : lines) std::cout << "  " << l << "\n";
      std::cout << std::flush;
    }
    driver.run_until([] { return false; }, deadline);
    return finish(o, host.target(), *store, address, capacity);
#else
    return usage_error("serve", "--plan needs the fault library (faults/), which this build lacks");
#endif
  }

  target::Target target(config);
  live::TargetDriver driver(io, target, ports);
  if (!o.json) print_banner(o, target, ports, capacity);
  const auto outcome = driver.run_until([] { return false; }, deadline);
  (void)outcome;  // a signal or the deadline: both are the normal end of a server
  return finish(o, target, *store, address, capacity);
}

void print_banner(const ServeOptions& o, const target::Target& target, const std::vector<live::RawPort>& ports,
                  std::uint64_t capacity) {
  std::cout << "aoeh serve: " << target.address().to_string() << ", " << capacity << " sectors ("
            << human_bytes(capacity * target::kStoreSectorSize) << "), bufcnt " << o.bufcnt
            << (o.read_only ? ", read-only" : "") << "\n";
  for (std::size_t i = 0; i < ports.size(); ++i) {
    std::cout << "  on " << ports[i].info().name << " " << ports[i].info().mac.to_string() << " mtu "
              << ports[i].info().mtu << ", " << unsigned{target.advertised_sector_count(i)} << " sectors per frame\n";
  }
  std::cout << "  serving until Ctrl-C" << (o.seconds > 0 ? " or --seconds" : "") << std::endl;
}

int finish(const ServeOptions& o, const target::Target& target, target::BlockStore& store,
           proto::DeviceAddress address, std::uint64_t capacity) {
  const auto& c = target.counters();
  if (o.json) {
    nlohmann::json j{{"device", address.to_string()}, {"capacity_sectors", capacity}, {"counters", counters_json(c)}};
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << "aoeh serve: stopped; " << c.frames_received << " frames in, " << c.replies << " replies, "
              << c.sectors_read << " sectors read, " << c.sectors_written << " written, " << c.dropped_bufcnt
              << " dropped over bufcnt\n";
  }
  if (!store.flush()) return usage_error("serve", "flushing the backing store failed");
  return kExitOk;
}

}  // namespace

Command add_serve_command(CLI::App& parent) {
  auto o = std::make_shared<ServeOptions>();
  auto* app = parent.add_subcommand("serve", "Run the reference AoE target on real interfaces");
  app->add_option("-i,--iface", o->interfaces, "Interface to serve on (repeat for several ports)")
      ->required()
      ->allow_extra_args(false);
  app->add_option("--shelf", o->shelf, "Shelf address (AoE major), 0-65534")->required()->check(CLI::Range(0, 65534));
  app->add_option("--slot", o->slot, "Slot address (AoE minor), 0-254")->required()->check(CLI::Range(0, 254));
  app->add_option("--size", o->size, "Capacity in bytes, K/M/G/T = powers of 1024 (RAM-backed unless --file)")
      ->transform(CLI::AsSizeValue(false));
  app->add_option("--file", o->file, "Backing file or block device (capacity: its size unless --size)")
      ->check(CLI::ExistingPath);
  app->add_option("--bufcnt", o->bufcnt, "Requests the target queues (advertised in Query Config)")
      ->capture_default_str()
      ->check(CLI::Range(1, 65535));
  app->add_option("--config", o->config, "Initial AoE config string (at most 1024 bytes)");
  app->add_flag("--read-only", o->read_only, "Refuse writes with ATA ABRT");
  app->add_flag("--write-cache", o->write_cache, "Volatile write-back cache; FLUSH CACHE commits it");
  app->add_option("--seconds", o->seconds, "Stop after this long (default: until Ctrl-C or SIGTERM)")
      ->check(CLI::PositiveNumber);
  app->add_option("--plan", o->plan, "Fault plan (JSON, faults/README.md): its target faults, timed from the start")
      ->check(CLI::ExistingFile);
  app->add_option("--seed", o->seed, "Seed of the plan's random choices (default: the plan's seed)");
  app->add_flag("--json", o->json, "Print the final counters as JSON instead of text");
  app->footer(
      "The target answers Query Config, Mac Mask List, Reserve/Release and ATA (IDENTIFY, READ/WRITE\n"
      "LBA28/48, FLUSH, CHECK POWER) like an AoEr11 appliance and announces itself on start.\n"
      "It ends on Ctrl-C/SIGTERM or --seconds with exit 0 and prints what it served.\n\n"
      "With --plan the target misbehaves as the plan's target faults say: hang, slow, aoe_error,\n"
      "ata_error (abrt/unc/idnf on LBA ranges), runt, wrong_tag/shelf/slot, duplicate_reply,\n"
      "stale_replay, resize, bufcnt, firmware, config_string, crash (`at`/`for` count from the start).\n"
      "Link faults are refused (use aoeh relay --plan). A plan naming several targets applies only\n"
      "faults for the served shelf.slot.\n\n"
      "Examples:\n"
      "  aoeh serve --iface eth1 --shelf 1 --slot 1 --size 1G\n"
      "  aoeh serve --iface eth1 --shelf 1 --slot 1 --size 64M --plan bad-sectors.json\n"
      "    with bad-sectors.json: {\"faults\": [{\"type\": \"ata_error\", \"target\": \"e1.0\",\n"
      "                                        \"error\": \"unc\", \"lbas\": \"1000-1999\"}]}\n"
      "  aoeh serve --iface eth1 --iface eth2 --shelf 7 --slot 0 --file disk.img --bufcnt 64\n"
      "Then, from another host: aoeping -I 1 1 eth0   or   aoeh stat --iface eth0");
  return {app, [o] { return run_guarded("serve", [&] { return run_serve(*o); }); }};
}

}  // namespace aoeh::cli
