// `aoeh serve`: the reference AoE target (sim/target) on real interfaces, until Ctrl-C or --seconds.
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/live_common.hpp"
#include "live/clock.hpp"
#include "live/target_driver.hpp"
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
  bool json = false;
};

nlohmann::json counters_json(const target::TargetCounters& c) {
  return {{"frames_received", c.frames_received}, {"replies", c.replies},
          {"error_replies", c.error_replies},     {"announcements", c.announcements},
          {"ata_commands", c.ata_commands},       {"ata_errors", c.ata_errors},
          {"dropped_bufcnt", c.dropped_bufcnt},   {"sectors_read", c.sectors_read},
          {"sectors_written", c.sectors_written}, {"flushes", c.flushes}};
}

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

  target::Target target(config);
  live::TargetDriver driver(io, target, ports);
  const proto::DeviceAddress address{config.shelf, config.slot};
  if (!o.json) {
    std::cout << "aoeh serve: " << address.to_string() << ", " << capacity << " sectors ("
              << human_bytes(capacity * target::kStoreSectorSize) << "), bufcnt " << o.bufcnt
              << (o.read_only ? ", read-only" : "") << "\n";
    for (std::size_t i = 0; i < ports.size(); ++i) {
      std::cout << "  on " << ports[i].info().name << " " << ports[i].info().mac.to_string() << " mtu "
                << ports[i].info().mtu << ", " << unsigned{target.advertised_sector_count(i)} << " sectors per frame\n";
    }
    std::cout << "  serving until Ctrl-C" << (o.seconds > 0 ? " or --seconds" : "") << std::endl;
  }
  const live::Nanos deadline = o.seconds > 0 ? live::monotonic_now() + static_cast<live::Nanos>(o.seconds * 1e9)
                                             : target::kNever;
  const auto outcome = driver.run_until([] { return false; }, deadline);
  (void)outcome;  // a signal or the deadline: both are the normal end of a server

  const auto& c = target.counters();
  if (o.json) {
    nlohmann::json j{{"device", address.to_string()}, {"capacity_sectors", capacity}, {"counters", counters_json(c)}};
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << "aoeh serve: stopped; " << c.frames_received << " frames in, " << c.replies << " replies, "
              << c.sectors_read << " sectors read, " << c.sectors_written << " written, " << c.dropped_bufcnt
              << " dropped over bufcnt\n";
  }
  if (!store->flush()) return usage_error("serve", "flushing the backing store failed");
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
  app->add_flag("--json", o->json, "Print the final counters as JSON instead of text");
  app->footer(
      "The target answers Query Config, Mac Mask List, Reserve/Release and ATA (IDENTIFY, READ/WRITE\n"
      "LBA28/48, FLUSH, CHECK POWER) like an AoEr11 appliance and announces itself on start.\n"
      "It ends on Ctrl-C/SIGTERM or --seconds with exit 0 and prints what it served.\n\n"
      "Examples:\n"
      "  aoeh serve --iface eth1 --shelf 1 --slot 1 --size 1G\n"
      "  aoeh serve --iface eth1 --iface eth2 --shelf 7 --slot 0 --file disk.img --bufcnt 64\n"
      "Then, from another host: aoeping -I 1 1 eth0   or   aoeh stat --iface eth0");
  return {app, [o] { return run_guarded("serve", [&] { return run_serve(*o); }); }};
}

}  // namespace aoeh::cli
