// `aoeh read`: sectors of an AoE device to a file or stdout, in order, with several requests in
// flight.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "cli/commands.hpp"
#include "cli/initiator_common.hpp"
#include "cli/live_common.hpp"

namespace aoeh::cli {
namespace {

struct ReadOptions {
  TargetOptions target;
  std::uint64_t lba = 0;
  std::uint64_t count = 0;
  std::string output = "-";
  std::uint32_t chunk = 2048;
  std::uint32_t depth = 8;
  bool stats = false;
};

struct Slot {
  std::vector<std::uint8_t> buffer;
  std::uint64_t lba = 0;
  std::uint32_t sectors = 0;
  bool busy = false;
  bool done = false;
  initiator::Event completion;
};

std::string io_failure(const char* what, const Slot& s) {
  const auto& e = s.completion;
  std::string msg = std::string(what) + " of LBA " + std::to_string(s.lba) + "+" + std::to_string(s.sectors) +
                    " failed: " + initiator::io_status_name(e.status);
  if (e.status == initiator::IoStatus::AtaError) {
    char regs[48];
    std::snprintf(regs, sizeof regs, " (status 0x%02x, error 0x%02x)", e.ata_status, e.ata_error);
    msg += regs;
  } else if (e.status == initiator::IoStatus::AoeError) {
    msg += " (AoE error " + std::to_string(static_cast<unsigned>(e.aoe_error)) + ")";
  }
  return msg;
}

int run_read(const ReadOptions& o) {
  if (o.count == 0) return usage_error("read", "--count must be at least 1 sector");
  std::FILE* out = stdout;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(nullptr, &std::fclose);
  if (o.output == "-") {
    if (stdout_is_terminal()) return usage_error("read", "refusing to write sector data to a terminal; use -o FILE or a pipe");
  } else {
    file.reset(std::fopen(o.output.c_str(), "wb"));
    if (!file) return usage_error("read", "cannot create " + o.output + ": " + std::strerror(errno));
    out = file.get();
  }

  live::LiveSession session(o.target.interfaces, tool_engine_config());
  const BroughtUp up = bring_up(session, o.target, "read");
  if (!up.device) return up.exit_code;
  const initiator::DeviceAddress address = up.device->address;
  if (o.lba + o.count > up.device->capacity_sectors || o.lba + o.count < o.lba) {
    return usage_error("read", "LBA " + std::to_string(o.lba) + " + " + std::to_string(o.count) + " sectors is beyond the end of " +
                                   address.to_string() + " (" + std::to_string(up.device->capacity_sectors) + " sectors)");
  }

  live::LiveDriver& driver = session.driver();
  std::vector<Slot> slots(o.depth);
  for (auto& s : slots) s.buffer.resize(std::size_t{o.chunk} * 512);
  const std::uint64_t end = o.lba + o.count;
  std::uint64_t next_lba = o.lba;
  std::uint64_t written = 0;
  std::size_t write_slot = 0;  // chunk k lives in slot k % depth, so output order is slot order
  std::string failure;
  int failure_code = kExitOk;

  auto submit = [&](std::size_t i) {
    if (next_lba >= end || !failure.empty()) return;
    Slot& s = slots[i];
    s.lba = next_lba;
    s.sectors = static_cast<std::uint32_t>(std::min<std::uint64_t>(o.chunk, end - next_lba));
    s.busy = true;
    s.done = false;
    const auto r = driver.submit(
        address, {initiator::IoKind::Read, s.lba, s.sectors, {s.buffer.data(), std::size_t{s.sectors} * 512}, i});
    if (!r.ok()) {
      failure = std::string("read request refused: ") + initiator::submit_error_name(r.error);
      failure_code = kExitCheckFailed;
      s.busy = false;
      return;
    }
    next_lba += s.sectors;
  };
  driver.set_event_handler([&](const initiator::Event& e) {
    if (e.kind != initiator::EventKind::IoCompleted || e.device != address || e.user_data >= slots.size()) return;
    Slot& done = slots[e.user_data];
    done.done = true;
    done.completion = e;
    while (failure.empty() && slots[write_slot].busy && slots[write_slot].done) {
      Slot& s = slots[write_slot];
      if (s.completion.status != initiator::IoStatus::Ok) {
        failure = io_failure("read", s);
        failure_code = kExitCheckFailed;
        break;
      }
      const std::size_t bytes = std::size_t{s.sectors} * 512;
      if (std::fwrite(s.buffer.data(), 1, bytes, out) != bytes) {
        failure = "writing " + o.output + " failed: " + std::strerror(errno);
        failure_code = kExitUsage;
        break;
      }
      written += s.sectors;
      s.busy = false;
      submit(write_slot);
      write_slot = (write_slot + 1) % slots.size();
    }
  });
  for (std::size_t i = 0; i < slots.size(); ++i) submit(i);
  const live::Nanos started = driver.now();
  const auto outcome = driver.run_until([&] { return !failure.empty() || written == o.count; });
  driver.set_event_handler({});
  if (std::fflush(out) != 0) return usage_error("read", "writing " + o.output + " failed: " + std::strerror(errno));

  if (o.stats) print_engine_stats("read", session.engine().counters());
  if (!failure.empty()) {
    usage_error("read", failure + " (" + std::to_string(written) + " sectors written before)");
    return failure_code;
  }
  if (outcome == live::RunOutcome::Interrupted) {
    return usage_error("read", "interrupted after " + std::to_string(written) + " of " + std::to_string(o.count) +
                                   " sectors; the output holds the first " + std::to_string(written));
  }
  const double seconds = static_cast<double>(driver.now() - started) / 1e9;
  std::fprintf(stderr, "aoeh read: %llu sectors (%s) from %s LBA %llu in %.2f s (%.1f MB/s)\n",
               static_cast<unsigned long long>(written), human_bytes(written * 512).c_str(),
               address.to_string().c_str(), static_cast<unsigned long long>(o.lba), seconds,
               static_cast<double>(written * 512) / seconds / 1e6);
  if (o.stats) print_engine_stats("read", session.engine().counters());
  return kExitOk;
}

}  // namespace

Command add_read_command(CLI::App& parent) {
  auto o = std::make_shared<ReadOptions>();
  auto* app = parent.add_subcommand("read", "Read sectors of an AoE device to a file or stdout");
  add_target_options(app, o->target);
  app->add_option("--lba", o->lba, "First sector (512 bytes each)")->capture_default_str();
  app->add_option("--count", o->count, "Number of sectors to read")->required()->check(CLI::PositiveNumber);
  app->add_option("-o,--output", o->output, "File to write, or - for stdout (not a terminal)")->capture_default_str();
  app->add_option("--chunk", o->chunk, "Sectors per request (the engine splits requests into frames)")
      ->capture_default_str()
      ->check(CLI::Range(1, 65536));
  app->add_option("--depth", o->depth, "Requests in flight")->capture_default_str()->check(CLI::Range(1, 1024));
  app->add_flag("--stats", o->stats, "Also print the engine's frame counters (retransmits, duplicates, ...) to stderr");
  app->footer(
      "Data arrives in LBA order. A summary goes to stderr.\n"
      "Exit 0 on success, 1 when the target failed a request, 2 on usage/environment errors or Ctrl-C\n"
      "(the output then holds the sectors read so far, in order).\n\n"
      "Examples:\n"
      "  aoeh read --iface eth1 e1.0 --lba 0 --count 2048 -o first-megabyte.img\n"
      "  aoeh read --iface eth1 e1.0 --count 1 | xxd | head");
  return {app, [o] { return run_guarded("read", [&] { return run_read(*o); }); }};
}

}  // namespace aoeh::cli
