// `aoeh certify`: selection, the world (simulated shelf or live interface), the run with a progress
// line, the summary, and the files of the run directory.
#include "cli/certify_command.hpp"

#include "cli/commands.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <fmt/format.h>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "conformance/runner.hpp"
#include "conformance/selection.hpp"
#include "protocol/pcap_file.hpp"
#include "reports/baseline.hpp"
#include "reports/results_json.hpp"
#include "reports/run_directory.hpp"
#include "reports/summary.hpp"
#ifdef AOEH_HAVE_SIM_SHELF
#include "conformance/sim_shelf.hpp"
#endif
#include "live/live_world.hpp"

namespace aoeh::cli {
namespace {

namespace fs = std::filesystem;
using reports::level_name;
using reports::verdict_name;

std::atomic<bool> g_stop{false};
extern "C" void on_interrupt(int) { g_stop = true; }

struct WorldSetup {
  std::shared_ptr<void> owner;  // keeps the world (and the simulation behind it) alive
  sim::World* world = nullptr;
  proto::DeviceAddress target{1, 1};
  bool fresh_start = false;
  sim::Nanos announce_window = 0;
  std::string mode;
};

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    auto end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// The world to certify against: the embedded simulated shelf, or live interfaces.
std::optional<WorldSetup> make_world(const CertifyOptions& o, std::string* why) {
  WorldSetup w;
  if (!o.iface.empty()) {
    try {
      auto live = std::make_shared<live::LiveWorld>(split_commas(o.iface));
      w.world = live.get();
      w.owner = live;
    } catch (const std::exception& e) {
      *why = e.what();
      return std::nullopt;
    }
    w.mode = "live " + o.iface;
    return w;
  }
#ifdef AOEH_HAVE_SIM_SHELF
  conformance::SimShelfOptions so;
  so.seed = o.seed;
  so.loss = o.loss;
  so.read_only = o.read_only_target;
  if (!o.defect.empty()) {
    auto d = target::defect_from_name(o.defect);
    if (!d) {
      *why = "unknown defect '" + o.defect + "'; known:";
      for (auto known : target::all_defects()) *why += " " + std::string(target::defect_name(known));
      return std::nullopt;
    }
    so.defects.set(*d);
  }
  auto shelf = std::make_shared<conformance::SimShelf>(so);
  w.world = &shelf->world();
  w.target = shelf->device();
  w.owner = shelf;
  w.fresh_start = true;
  w.announce_window = conformance::SimShelf::kAnnounceWindow;
  w.mode = o.defect.empty() ? "sim" : "sim --defect " + o.defect;
  if (o.loss > 0) w.mode += fmt::format(" --loss {}", o.loss);
  return w;
#else
  *why = "the simulated shelf (--sim) is not available in this build";
  return std::nullopt;
#endif
}

std::string iso_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

int list_tests(const std::vector<const conformance::TestCase*>& tests, bool json, std::ostream& out) {
  if (json) {
    auto arr = nlohmann::json::array();
    for (const auto* t : tests)
      arr.push_back({{"name", t->info.name},
                     {"area", t->info.area()},
                     {"level", level_name(t->info.level)},
                     {"writes", t->info.writes},
                     {"needs", t->info.needs},
                     {"clause", t->info.clause},
                     {"description", t->info.description}});
    out << arr.dump(2) << '\n';
    return 0;
  }
  for (const auto* t : tests) {
    std::string needs;
    for (const auto& n : t->info.needs) needs += (needs.empty() ? "" : ", ") + n;
    out << fmt::format("{:<48} {:<6} {:<6} {}\n", t->info.name, level_name(t->info.level),
                       t->info.writes ? "writes" : "", needs.empty() ? "" : "needs " + needs);
  }
  out << tests.size() << " tests\n";
  return 0;
}

bool write_capture(const fs::path& path, const std::vector<conformance::CapturedFrame>& frames, std::string* why) {
  auto writer = proto::PcapWriter::create(path.string(), why);
  if (!writer) return false;
  for (const auto& f : frames)
    if (!writer->write(f.time, f.bytes)) {
      *why = "write failed for " + path.string();
      return false;
    }
  return writer->flush();
}

void print_summary(const conformance::RunOutput& run, const reports::RunDirectory& dir, std::ostream& out) {
  const auto& r = run.report;
  const auto& d = r.device;
  const auto sum = reports::summarize(r);
  out << fmt::format("\nDevice {}  MAC {}  firmware 0x{:04x}  bufcnt {}  sectors/request {}\n", d.address,
                     d.macs.empty() ? "?" : d.macs.front(), d.firmware, d.buffer_count, d.sector_count);
  out << fmt::format("       \"{}\" serial \"{}\" fw \"{}\"  {} sectors{}\n", d.model, d.serial, d.ata_firmware,
                     d.capacity_sectors, d.lba48 ? " (LBA48)" : " (LBA28)");
  auto row = [&](const std::string& name, const reports::VerdictCounts& c) {
    out << fmt::format("{:<14} {:>4} {:>4} {:>4} {:>4} {:>5}\n", name, c.pass, c.fail, c.skip, c.not_applicable, c.error);
  };
  out << "\nArea           pass fail skip  n/a error\n";
  for (const auto& [area, c] : sum.by_area) row(area, c);
  row("total", sum.all);
  for (const auto& [level, c] : sum.by_level) row(level_name(level), c);
  bool header = false;
  for (const auto& t : r.results) {
    if (!reports::is_failing(t.verdict)) continue;
    if (!header) out << "\nFailures:\n";
    header = true;
    out << fmt::format("  {:<6} {:<5} {}: {}\n", level_name(t.level), verdict_name(t.verdict), t.name, t.message);
  }
  if (r.baseline) {
    out << fmt::format("\nAgainst {}: {} newly failing, {} newly passing\n", r.baseline->path, sum.newly_failing.size(),
                       sum.newly_passing.size());
    for (const auto& n : sum.newly_failing) out << "  newly failing: " << n << '\n';
    for (const auto& n : sum.newly_passing) out << "  newly passing: " << n << '\n';
  }
  out << "\nSafety: " << r.safety.detail << '\n';
  if (run.interrupted) out << "Interrupted: remaining tests were skipped\n";
  out << fmt::format("Verdict: {} (exit {})\n",
                     run.exit_code == 0 ? "every MUST test passed" : "a MUST test failed or could not run", run.exit_code);
  const auto html = dir.report_html();
  std::error_code ec;
  const auto shown = std::filesystem::absolute(std::filesystem::exists(html) ? html : dir.path(), ec);
  out << "Report: " << (ec ? html.string() : shown.string()) << '\n';
}

nlohmann::json json_summary(const conformance::RunOutput& run, const reports::RunDirectory& dir) {
  const auto sum = reports::summarize(run.report);
  const auto& c = sum.all;
  nlohmann::json j;
  j["exit_code"] = run.exit_code;
  j["out_dir"] = dir.path().string();
  j["results_json"] = dir.results_json().string();
  j["mode"] = run.report.mode;
  j["device"] = {{"address", run.report.device.address},   {"macs", run.report.device.macs},
                 {"model", run.report.device.model},       {"capacity_sectors", run.report.device.capacity_sectors},
                 {"buffer_count", run.report.device.buffer_count}, {"sector_count", run.report.device.sector_count}};
  j["counts"] = {{"pass", c.pass}, {"fail", c.fail}, {"skip", c.skip}, {"n/a", c.not_applicable}, {"error", c.error}};
  j["safety"] = {{"touched", run.report.safety.touched},
                 {"restored", run.report.safety.restored},
                 {"restore_verified", run.report.safety.restore_verified}};
  j["interrupted"] = run.interrupted;
  j["newly_failing"] = sum.newly_failing;
  j["newly_passing"] = sum.newly_passing;
  auto results = nlohmann::json::array();
  for (const auto& t : run.report.results)
    results.push_back({{"name", t.name}, {"verdict", verdict_name(t.verdict)}, {"level", level_name(t.level)},
                       {"message", t.message}});
  j["results"] = results;
  return j;
}

}  // namespace

Command add_certify_command(CLI::App& app) {
  auto options = std::make_shared<CertifyOptions>();
  CertifyOptions& o = *options;
  auto* cmd = app.add_subcommand("certify", "Run the AoE conformance suite against a target and write its report");
  auto* sim = cmd->add_flag("--sim", o.sim, "Certify the reference target on the embedded simulated shelf (default)");
  cmd->add_option("--defect", o.defect, "With --sim: give the reference target this named defect")->needs(sim);
  auto* iface = cmd->add_option("--iface", o.iface, "Certify a live target through this interface");
  cmd->add_option("--target", o.target, "The target's address eS.L (required with --iface)");
  iface->excludes(sim);
  cmd->add_flag("--list", o.list, "List the (selected) tests and exit");
  cmd->add_option("--tests", o.tests, "Select tests by glob list, e.g. 'AOE.Header.*,AOE.Identify.*'");
  cmd->add_flag("--allow-write", o.allow_write,
                "Allow tests that change the target (every change is saved first and restored)");
  cmd->add_flag("--read-only-target", o.read_only_target, "The target is read-only: expect writes to be refused");
  cmd->add_option("--out", o.out, "Run directory (default reports/runs/<UTC time>/, with reports/runs/latest)");
  cmd->add_option("--baseline", o.baseline, "An earlier run's results.json: mark newly failing/passing tests");
  cmd->add_flag("--json", o.json, "Machine-readable output on stdout");
  cmd->add_option("--seed", o.seed, "Seed of the simulation and of generated frames (default 1)");
  cmd->add_option("--loss", o.loss, "With --sim: random frame loss on every cable (0..0.5)")
      ->check(CLI::Range(0.0, 0.5))
      ->excludes(iface);
  return {cmd, [options] { return run_certify(*options, std::cout, std::cerr); }};
}

int run_certify(const CertifyOptions& o, std::ostream& out, std::ostream& err) {
  std::vector<std::string> unmatched;
  const auto patterns = conformance::split_patterns(o.tests);
  const auto tests = conformance::select_tests(conformance::catalogue(), patterns, &unmatched);
  if (!unmatched.empty()) {
    err << "aoeh certify: no test matches '" << unmatched.front() << "' (see aoeh certify --list)\n";
    return kExitUsage;
  }
  if (o.list) return list_tests(tests, o.json, out);
  if (!o.iface.empty() && o.target.empty()) {
    err << "aoeh certify: --iface needs --target eS.L\n";
    return kExitUsage;
  }
  std::optional<proto::DeviceAddress> target;
  if (!o.target.empty()) {
    target = proto::DeviceAddress::parse(o.target);
    if (!target || target->is_broadcast_shelf() || target->is_broadcast_slot()) {
      err << "aoeh certify: bad --target '" << o.target << "' (expected eS.L, not a broadcast address)\n";
      return kExitUsage;
    }
  }
  std::string why;
  std::optional<reports::Report> baseline;
  if (!o.baseline.empty()) {
    baseline = reports::load_results(o.baseline, &why);
    if (!baseline) {
      err << "aoeh certify: " << why << '\n';
      return kExitUsage;
    }
  }
  auto setup = make_world(o, &why);
  if (!setup) {
    err << "aoeh certify: " << why << '\n';
    return kExitUsage;
  }
  // The run directory is made (and checked writable) before any test touches the target.
  const std::string run_id = reports::make_run_id(std::chrono::system_clock::now());
  auto dir = reports::RunDirectory::create(
      o.out.empty() ? std::nullopt : std::optional<std::filesystem::path>(o.out), run_id, &why);
  if (!dir) {
    err << "aoeh certify: " << why << '\n';
    return kExitUsage;
  }

  conformance::RunOptions ro;
  ro.target = target.value_or(setup->target);
  ro.patterns = patterns;
  ro.allow_write = o.allow_write || o.iface.empty();  // the simulated disk is disposable
  ro.read_only_target = o.read_only_target;
  ro.fresh_start = setup->fresh_start;
  ro.announce_window = setup->announce_window;
  ro.mode = setup->mode;
  ro.seed = o.seed;
  ro.run_id = dir->id();
  ro.started_at = o.iface.empty() ? "t=0 (simulated)" : iso_now();
  ro.stop = &g_stop;
  if (o.loss > 0) ro.timing.attempts = 6;  // lost frames are the network's doing, not the target's

  const bool tty = isatty(STDERR_FILENO) != 0;
  auto progress = [&](const conformance::Progress& p) {
    if (o.json) return;
    if (p.result == nullptr) {
      if (tty) err << fmt::format("\r\033[K[{:>3}/{}] {}", p.index + 1, p.total, p.test->name) << std::flush;
      return;
    }
    if (!tty) err << fmt::format("[{:>3}/{}] {:<5} {}\n", p.index + 1, p.total, verdict_name(p.result->verdict), p.test->name);
  };

  g_stop = false;
  auto previous = std::signal(SIGINT, on_interrupt);
  auto run = conformance::run_suite(*setup->world, tests, ro, progress);
  std::signal(SIGINT, previous);
  if (tty && !o.json) err << "\r\033[K";
  if (run.exit_code == 2) {
    err << "aoeh certify: " << run.environment_error << '\n';
    return kExitUsage;
  }
  if (baseline) reports::apply_baseline(run.report, *baseline, o.baseline);
  run.report.properties["world"] = setup->mode;
  if (!write_capture(dir->capture_pcap(), run.capture, &why) || !dir->write_report(run.report, &why)) {
    err << "aoeh certify: " << why << '\n';
    return kExitUsage;
  }
  if (o.json)
    out << json_summary(run, *dir).dump(2) << '\n';
  else
    print_summary(run, *dir, out);
  return run.exit_code;
}

}  // namespace aoeh::cli
