// `aoeh bench`: throughput, IOPS and latency of one AoE device through the engine, with a progress
// line every second.
#include <unistd.h>

#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <random>

#include "cli/commands.hpp"
#include "cli/initiator_common.hpp"
#include "cli/latency_histogram.hpp"
#include "cli/live_common.hpp"

namespace aoeh::cli {
namespace {

struct BenchOptions {
  TargetOptions target;
  double seconds = 10;
  std::uint32_t depth = 16;
  std::uint64_t size = 64 * 1024;
  bool write = false;
  bool yes_overwrite = false;
  bool random = false;
  std::uint64_t seed = 1;
  bool json = false;
};

struct Slot {
  std::vector<std::uint8_t> buffer;
  live::Nanos submitted = 0;
  bool busy = false;
};

// What the run produced so far: printed as progress, and at the end (also after Ctrl-C).
struct Totals {
  std::uint64_t bytes = 0;
  std::uint64_t requests = 0;
  std::uint64_t errors = 0;
  LatencyHistogram latency;
};

double ms(std::uint64_t ns) { return static_cast<double>(ns) / 1e6; }

int run_bench(const BenchOptions& o) {
  if (o.write && !o.yes_overwrite) {
    return usage_error("bench", "--write overwrites " + o.target.target + " with a test pattern; add --yes-overwrite");
  }
  if (o.size == 0 || o.size % 512 != 0) return usage_error("bench", "--size must be a positive multiple of 512 bytes");
  const auto sectors = static_cast<std::uint32_t>(o.size / 512);
  if (sectors > 65536) return usage_error("bench", "--size is at most 32 MiB per request");

  live::LiveSession session(o.target.interfaces, tool_engine_config());
  const BroughtUp up = bring_up(session, o.target, "bench");
  if (!up.device) return up.exit_code;
  const initiator::DeviceAddress address = up.device->address;
  const std::uint64_t positions = up.device->capacity_sectors / sectors;  // request-aligned slots
  if (positions == 0) return usage_error("bench", address.to_string() + " is smaller than one --size request");

  live::LiveDriver& driver = session.driver();
  const initiator::IoKind kind = o.write ? initiator::IoKind::Write : initiator::IoKind::Read;
  std::vector<Slot> slots(o.depth);
  for (std::size_t i = 0; i < slots.size(); ++i) {
    slots[i].buffer.resize(o.size);
    // A recognisable pattern per slot, so a written device shows what happened to it.
    for (std::size_t b = 0; b < slots[i].buffer.size(); ++b) slots[i].buffer[b] = static_cast<std::uint8_t>(b * 7 + i);
  }
  std::mt19937_64 rng(o.seed);
  std::uniform_int_distribution<std::uint64_t> pick(0, positions - 1);
  std::uint64_t next_position = 0;
  Totals totals;
  std::string failure;
  const std::uint64_t retransmits_before = session.engine().counters().retransmits;

  const live::Nanos started = driver.now();
  const live::Nanos stop_at = started + static_cast<live::Nanos>(o.seconds * 1e9);
  auto submit = [&](std::size_t i, live::Nanos now) {
    if (now >= stop_at || !failure.empty()) return;
    Slot& s = slots[i];
    std::uint64_t position;
    if (o.random) {
      position = pick(rng);
    } else {
      position = next_position;
      next_position = (next_position + 1) % positions;  // sequential, wrapping at the end
    }
    s.submitted = now;
    s.busy = true;
    const auto r = driver.submit(address, {kind, position * sectors, sectors, {s.buffer.data(), s.buffer.size()}, i});
    if (!r.ok()) {
      failure = std::string("request refused: ") + initiator::submit_error_name(r.error);
      s.busy = false;
    }
  };
  driver.set_event_handler([&](const initiator::Event& e) {
    if (e.kind != initiator::EventKind::IoCompleted || e.device != address || e.user_data >= slots.size()) return;
    Slot& s = slots[e.user_data];
    s.busy = false;
    const live::Nanos now = driver.now();
    if (e.status == initiator::IoStatus::Ok) {
      totals.bytes += o.size;
      ++totals.requests;
      totals.latency.record(now - s.submitted);
    } else {
      ++totals.errors;
      if (failure.empty()) failure = std::string("a request failed: ") + initiator::io_status_name(e.status);
    }
    submit(e.user_data, now);
  });

  // Progress: one line per second on stderr, overwritten in place on a terminal.
  const bool tty = ::isatty(STDERR_FILENO) == 1;
  boost::asio::steady_timer progress(session.io());
  std::uint64_t last_bytes = 0, last_requests = 0;
  live::Nanos last_time = started;
  std::function<void()> tick = [&] {
    progress.expires_at(live::to_time_point(last_time + 1'000'000'000));
    progress.async_wait([&](const boost::system::error_code& ec) {
      if (ec) return;
      const live::Nanos now = driver.now();
      const double dt = static_cast<double>(now - last_time) / 1e9;
      std::fprintf(stderr, "%s%6.1f s  %9.2f MB/s  %8.0f IOPS  p50 %.3f ms  retransmits %llu%s",
                   tty ? "\r" : "", static_cast<double>(now - started) / 1e9,
                   static_cast<double>(totals.bytes - last_bytes) / dt / 1e6,
                   static_cast<double>(totals.requests - last_requests) / dt, ms(totals.latency.percentile(0.5)),
                   static_cast<unsigned long long>(session.engine().counters().retransmits - retransmits_before),
                   tty ? "" : "\n");
      std::fflush(stderr);
      last_bytes = totals.bytes;
      last_requests = totals.requests;
      last_time = now;
      tick();
    });
  };
  tick();

  for (std::size_t i = 0; i < slots.size(); ++i) submit(i, started);
  auto idle = [&] {
    for (const auto& s : slots) {
      if (s.busy) return false;
    }
    return true;
  };
  // Stop submitting at --seconds, then let the requests in flight finish (bounded).
  const auto outcome = driver.run_until([&] { return idle(); }, stop_at + static_cast<live::Nanos>(o.target.timeout * 1e9));
  const live::Nanos finished = driver.now();
  progress.cancel();
  driver.set_event_handler({});
  if (tty) std::fprintf(stderr, "\n");

  auto kernel_drops = [&] {
    std::uint64_t drops = 0;
    for (auto& p : session.ports()) {
      p.update_kernel_stats();
      drops += p.counters().rx_kernel_drops + p.counters().tx_dropped;
    }
    return drops;
  };
  const double seconds = static_cast<double>(finished - started) / 1e9;
  const double mbps = static_cast<double>(totals.bytes) / seconds / 1e6;
  const double iops = static_cast<double>(totals.requests) / seconds;
  const auto retransmits = session.engine().counters().retransmits - retransmits_before;
  const char* mode = o.write ? (o.random ? "random write" : "sequential write") : (o.random ? "random read" : "sequential read");
  if (o.json) {
    nlohmann::json j{{"device", address.to_string()},
                     {"mode", mode},
                     {"size", o.size},
                     {"depth", o.depth},
                     {"seconds", seconds},
                     {"bytes", totals.bytes},
                     {"requests", totals.requests},
                     {"errors", totals.errors},
                     {"mb_per_s", mbps},
                     {"iops", iops},
                     {"latency_ms", {{"p50", ms(totals.latency.percentile(0.5))},
                                     {"p99", ms(totals.latency.percentile(0.99))},
                                     {"max", ms(totals.latency.max())}}},
                     {"retransmits", retransmits},
                     {"frames_sent", session.engine().counters().frames_sent},
                     {"frames_received", session.engine().counters().frames_received},
                     {"timeouts", session.engine().counters().timeouts},
                     {"late_replies", session.engine().counters().late_replies},
                     {"duplicate_replies", session.engine().counters().duplicate_replies},
                     {"kernel_drops", kernel_drops()},
                     {"interrupted", outcome == live::RunOutcome::Interrupted}};
    std::cout << j.dump(2) << "\n";
  } else {
    std::printf("%s %s, %s x %u in flight: %.2f MB/s, %.0f IOPS, latency p50 %.3f ms p99 %.3f ms max %.3f ms, "
                "%llu retransmits, %llu errors (%.1f s)\n",
                address.to_string().c_str(), mode, human_bytes(o.size).c_str(), o.depth, mbps, iops,
                ms(totals.latency.percentile(0.5)), ms(totals.latency.percentile(0.99)), ms(totals.latency.max()),
                static_cast<unsigned long long>(retransmits), static_cast<unsigned long long>(totals.errors), seconds);
    std::fflush(stdout);
  }
  if (outcome == live::RunOutcome::Interrupted) return usage_error("bench", "interrupted; the figures above are partial");
  if (!failure.empty()) {
    usage_error("bench", failure);
    return kExitCheckFailed;
  }
  if (outcome == live::RunOutcome::Deadline) {
    usage_error("bench", "requests still in flight " + CLI::detail::to_string(o.target.timeout) + " s after the end");
    return kExitCheckFailed;
  }
  return kExitOk;
}

}  // namespace

Command add_bench_command(CLI::App& parent) {
  auto o = std::make_shared<BenchOptions>();
  auto* app = parent.add_subcommand("bench", "Measure MB/s, IOPS and latency of an AoE device");
  add_target_options(app, o->target);
  app->add_option("--seconds", o->seconds, "How long to run")->capture_default_str()->check(CLI::PositiveNumber);
  app->add_option("--depth", o->depth, "Requests in flight")->capture_default_str()->check(CLI::Range(1, 4096));
  app->add_option("--size", o->size, "Bytes per request (multiple of 512; K/M suffixes = powers of 1024)")
      ->capture_default_str()
      ->transform(CLI::AsSizeValue(false));
  app->add_flag("--write", o->write, "Write a test pattern instead of reading (needs --yes-overwrite)");
  app->add_flag("--yes-overwrite", o->yes_overwrite, "Confirms that --write may destroy the device's data");
  app->add_flag("--random", o->random, "Random request-aligned positions instead of sequential");
  app->add_option("--seed", o->seed, "Seed of the random positions (same seed, same sequence)")->capture_default_str();
  app->add_flag("--json", o->json, "Print the result as JSON");
  app->footer(
      "Keeps --depth requests of --size bytes in flight for --seconds; the engine splits each into\n"
      "frames and paces them with its window. Prints a progress line per second (stderr), then\n"
      "MB/s (10^6 bytes), IOPS, latency p50/p99/max per request and retransmitted frames.\n"
      "Exit 0, 1 when a request failed, 2 on usage/environment errors or Ctrl-C (figures still printed).\n\n"
      "Examples:\n"
      "  aoeh bench --iface eth1 e1.0 --seconds 10\n"
      "  aoeh bench --iface eth1 --iface eth2 e1.0 --random --size 4k --depth 64\n"
      "  aoeh bench --iface eth1 e1.0 --write --yes-overwrite");
  return {app, [o] { return run_guarded("bench", [&] { return run_bench(*o); }); }};
}

}  // namespace aoeh::cli
