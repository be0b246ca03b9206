// `aoeh write`: sectors from a file or stdin to an AoE device, then FLUSH CACHE. Refuses without
// --yes-overwrite.
#include <sys/stat.h>
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

struct WriteOptions {
  TargetOptions target;
  std::uint64_t lba = 0;
  std::uint64_t count = 0;  // 0: the whole input
  std::string input = "-";
  std::uint32_t chunk = 2048;
  std::uint32_t depth = 8;
  bool yes_overwrite = false;
  bool no_flush = false;
};

struct Slot {
  std::vector<std::uint8_t> buffer;
  std::uint64_t lba = 0;
  std::uint32_t sectors = 0;
  bool busy = false;
};

// Reads until `want` bytes or end of input; returns how many arrived.
std::size_t read_full(std::FILE* in, std::uint8_t* p, std::size_t want) {
  std::size_t got = 0;
  while (got < want) {
    const std::size_t n = std::fread(p + got, 1, want - got, in);
    if (n == 0) break;
    got += n;
  }
  return got;
}

int run_write(const WriteOptions& o) {
  if (!o.yes_overwrite) {
    return usage_error("write", "refusing to overwrite sectors of " + o.target.target +
                                    " without --yes-overwrite (the data there is lost)");
  }
  std::FILE* in = stdin;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(nullptr, &std::fclose);
  if (o.input == "-") {
    if (::isatty(STDIN_FILENO) == 1) return usage_error("write", "refusing to read sector data from a terminal; use --input FILE or a pipe");
  } else {
    file.reset(std::fopen(o.input.c_str(), "rb"));
    if (!file) return usage_error("write", "cannot open " + o.input + ": " + std::strerror(errno));
    in = file.get();
  }
  std::uint64_t count = o.count;
  struct stat st {};
  if (::fstat(::fileno(in), &st) == 0 && S_ISREG(st.st_mode)) {
    const auto size = static_cast<std::uint64_t>(st.st_size);
    if (count == 0) {
      if (size % 512 != 0) {
        return usage_error("write", o.input + " is " + std::to_string(size) +
                                        " bytes, not a whole number of 512-byte sectors; give --count");
      }
      count = size / 512;
    } else if (size < count * 512) {
      return usage_error("write", o.input + " holds " + std::to_string(size / 512) + " sectors; --count asks for " +
                                      std::to_string(count));
    }
    if (count == 0) return usage_error("write", o.input + " is empty");
  }
  const bool count_known = count != 0;

  live::LiveSession session(o.target.interfaces, tool_engine_config());
  const BroughtUp up = bring_up(session, o.target, "write");
  if (!up.device) return up.exit_code;
  const initiator::DeviceAddress address = up.device->address;
  const std::uint64_t capacity = up.device->capacity_sectors;
  if (o.lba >= capacity || (count_known && (o.lba + count > capacity || o.lba + count < o.lba))) {
    return usage_error("write", "LBA " + std::to_string(o.lba) + " + " + std::to_string(count) +
                                    " sectors is beyond the end of " + address.to_string() + " (" +
                                    std::to_string(capacity) + " sectors)");
  }

  live::LiveDriver& driver = session.driver();
  std::vector<Slot> slots(o.depth);
  for (auto& s : slots) s.buffer.resize(std::size_t{o.chunk} * 512);
  const std::uint64_t end = count_known ? o.lba + count : capacity;
  std::uint64_t next_lba = o.lba;
  std::uint64_t written = 0;
  bool input_done = false;
  std::string failure;
  int failure_code = kExitOk;

  auto submit = [&](std::size_t i) {
    if (input_done || !failure.empty()) return;
    if (next_lba >= end) {
      if (!count_known) {
        char probe;
        if (std::fread(&probe, 1, 1, in) == 1) {
          failure = "the input is longer than the device: stopped at its end";
          failure_code = kExitUsage;
        }
      }
      input_done = true;
      return;
    }
    Slot& s = slots[i];
    const auto want = static_cast<std::uint32_t>(std::min<std::uint64_t>(o.chunk, end - next_lba));
    const std::size_t got = read_full(in, s.buffer.data(), std::size_t{want} * 512);
    if (got % 512 != 0) {
      failure = "the input ends inside a sector (" + std::to_string(got % 512) + " stray bytes)";
      failure_code = kExitUsage;
    }
    if (got < std::size_t{want} * 512) {
      input_done = true;
      if (count_known && failure.empty()) {
        failure = "the input ended after " + std::to_string(next_lba - o.lba + got / 512) + " sectors; --count asked for " +
                  std::to_string(count);
        failure_code = kExitUsage;
      }
    }
    s.sectors = static_cast<std::uint32_t>(got / 512);
    if (s.sectors == 0) return;
    s.lba = next_lba;
    s.busy = true;
    const auto r = driver.submit(
        address, {initiator::IoKind::Write, s.lba, s.sectors, {s.buffer.data(), std::size_t{s.sectors} * 512}, i});
    if (!r.ok()) {
      failure = std::string("write request refused: ") + initiator::submit_error_name(r.error);
      failure_code = kExitCheckFailed;
      s.busy = false;
      return;
    }
    next_lba += s.sectors;
  };
  bool flushed = false;
  bool flush_unsupported = false;
  driver.set_event_handler([&](const initiator::Event& e) {
    if (e.kind != initiator::EventKind::IoCompleted || e.device != address) return;
    if (e.user_data == slots.size()) {  // the final FLUSH
      flushed = true;
      if (e.status == initiator::IoStatus::AtaError && (e.ata_error & proto::ata::kErrorAbrt) != 0) {
        // ABRT is how an ATA device says "command not supported" (vblade has no FLUSH CACHE):
        // the data is written; only its durability is the target's business.
        flush_unsupported = true;
      } else if (e.status != initiator::IoStatus::Ok) {
        failure = std::string("FLUSH CACHE failed: ") + initiator::io_status_name(e.status);
        failure_code = kExitCheckFailed;
      }
      return;
    }
    if (e.user_data >= slots.size()) return;
    Slot& s = slots[e.user_data];
    s.busy = false;
    if (e.status != initiator::IoStatus::Ok) {
      if (failure.empty()) {
        failure = "write of LBA " + std::to_string(s.lba) + "+" + std::to_string(s.sectors) +
                  " failed: " + initiator::io_status_name(e.status);
        failure_code = kExitCheckFailed;
      }
      return;
    }
    written += s.sectors;
    submit(e.user_data);
  });
  auto idle = [&] {
    for (const auto& s : slots) {
      if (s.busy) return false;
    }
    return true;
  };
  for (std::size_t i = 0; i < slots.size(); ++i) submit(i);
  const live::Nanos started = driver.now();
  auto outcome = driver.run_until([&] { return idle() && (input_done || !failure.empty()); });
  if (outcome == live::RunOutcome::Done && failure.empty() && !o.no_flush) {
    const auto r = driver.submit(address, {initiator::IoKind::Flush, 0, 0, {}, slots.size()});
    if (!r.ok()) {
      failure = std::string("FLUSH CACHE refused: ") + initiator::submit_error_name(r.error);
      failure_code = kExitCheckFailed;
    } else {
      outcome = driver.run_until([&] { return flushed; });
    }
  }
  driver.set_event_handler({});

  if (!failure.empty()) {
    usage_error("write", failure + " (" + std::to_string(written) + " sectors written)");
    return failure_code;
  }
  if (outcome == live::RunOutcome::Interrupted) {
    return usage_error("write", "interrupted after " + std::to_string(written) + " sectors were written");
  }
  const double seconds = static_cast<double>(driver.now() - started) / 1e9;
  std::fprintf(stderr, "aoeh write: %llu sectors (%s) to %s LBA %llu in %.2f s (%.1f MB/s)%s\n",
               static_cast<unsigned long long>(written), human_bytes(written * 512).c_str(),
               address.to_string().c_str(), static_cast<unsigned long long>(o.lba), seconds,
               static_cast<double>(written * 512) / seconds / 1e6,
               o.no_flush ? ", not flushed" : flush_unsupported ? ", FLUSH CACHE not supported by the target" : ", flushed");
  return kExitOk;
}

}  // namespace

Command add_write_command(CLI::App& parent) {
  auto o = std::make_shared<WriteOptions>();
  auto* app = parent.add_subcommand("write", "Write sectors to an AoE device from a file or stdin (destructive)");
  add_target_options(app, o->target);
  app->add_option("--lba", o->lba, "First sector to overwrite (512 bytes each)")->capture_default_str();
  app->add_option("--count", o->count, "Sectors to write (default: the whole input, a multiple of 512 bytes)");
  app->add_option("--input", o->input, "File to read, or - for stdin (not a terminal)")->capture_default_str();
  app->add_flag("--yes-overwrite", o->yes_overwrite, "Required: confirms that the sectors' old contents may be lost");
  app->add_flag("--no-flush", o->no_flush, "Do not send FLUSH CACHE after the last write");
  app->add_option("--chunk", o->chunk, "Sectors per request (the engine splits requests into frames)")
      ->capture_default_str()
      ->check(CLI::Range(1, 65536));
  app->add_option("--depth", o->depth, "Requests in flight")->capture_default_str()->check(CLI::Range(1, 1024));
  app->footer(
      "Writes the input to consecutive sectors from --lba, then sends FLUSH CACHE so the target makes\n"
      "it durable (a target that aborts FLUSH as unsupported, like vblade, is noted in the summary).\n"
      "Nothing is sent without --yes-overwrite. A summary goes to stderr.\n"
      "Exit 0 on success, 1 when the target failed a request, 2 on usage/environment errors or Ctrl-C.\n\n"
      "Examples:\n"
      "  aoeh write --iface eth1 e1.0 --lba 0 --input disk.img --yes-overwrite\n"
      "  head -c 1M /dev/zero | aoeh write --iface eth1 e1.0 --lba 2048 --yes-overwrite");
  return {app, [o] { return run_guarded("write", [&] { return run_write(*o); }); }};
}

}  // namespace aoeh::cli
