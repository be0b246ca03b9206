// `aoeh relay`: an L2 bridge for AoE frames between two interfaces that applies a fault plan's link
// faults (loss, burst loss, delay, duplication, reorder, corruption, rate limits, MTU, down, flap).
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

#include "cli/commands.hpp"
#include "cli/live_common.hpp"
#include "faults/plan_parser.hpp"
#include "live/relay_driver.hpp"

namespace aoeh::cli {
namespace {

using live::RelayDirection;

struct RelayOptions {
  std::string a, b;
  std::string plan;
  std::optional<std::uint64_t> seed;
  double seconds = 0;
  double progress = -1;  // < 0: every second when stderr is a terminal
  bool json = false;
};

constexpr RelayDirection kDirections[] = {RelayDirection::AtoB, RelayDirection::BtoA};

std::string direction_label(RelayDirection d, const RelayOptions& o) {
  return d == RelayDirection::AtoB ? o.a + " -> " + o.b : o.b + " -> " + o.a;
}

void print_counters_line(const live::RelayCore& core, const RelayOptions& o, double seconds, bool final_line) {
  for (const RelayDirection d : kDirections) {
    const auto& c = core.counters(d);
    std::fprintf(stderr, "%s%s: %llu in, %llu forwarded (%s), %llu dropped, %llu duplicated, %llu delayed%s",
                 final_line ? "  " : "", direction_label(d, o).c_str(), static_cast<unsigned long long>(c.received),
                 static_cast<unsigned long long>(c.forwarded), human_bytes(c.bytes_forwarded).c_str(),
                 static_cast<unsigned long long>(c.dropped), static_cast<unsigned long long>(c.duplicated),
                 static_cast<unsigned long long>(c.delayed), final_line ? "" : "  |  ");
    if (final_line && c.corrupted > 0) std::fprintf(stderr, ", %llu corrupted", static_cast<unsigned long long>(c.corrupted));
    if (final_line) std::fputc('\n', stderr);
  }
  if (!final_line) std::fprintf(stderr, "%.0f s\r", seconds);
}

nlohmann::json summary_json(const live::RelayCore& core, live::RelayDriver& driver, live::RawPort& a,
                            live::RawPort& b, std::uint64_t seed, double seconds) {
  nlohmann::json dirs = nlohmann::json::object();
  for (const RelayDirection d : kDirections) {
    const auto& c = core.counters(d);
    dirs[live::relay_direction_name(d)] = {{"received", c.received},
                                           {"forwarded", c.forwarded},
                                           {"bytes_forwarded", c.bytes_forwarded},
                                           {"dropped", c.dropped},
                                           {"duplicated", c.duplicated},
                                           {"delayed", c.delayed},
                                           {"corrupted", c.corrupted},
                                           {"send_failures", driver.send_failures(d)}};
  }
  nlohmann::json faults = nlohmann::json::array();
  for (std::size_t i = 0; i < core.faults().faults.size(); ++i) {
    const auto& f = core.faults().faults[i];
    nlohmann::json stats = nlohmann::json::object();
    for (const auto& [k, v] : core.fault_stats(i)) stats[k] = v;
    faults.push_back({{"fault", f.description}, {"direction", live::relay_direction_name(f.direction)},
                      {"counters", stats}});
  }
  a.update_kernel_stats();
  b.update_kernel_stats();
  return {{"a", a.info().name},
          {"b", b.info().name},
          {"seed", seed},
          {"seconds", seconds},
          {"directions", dirs},
          {"faults", faults},
          {"kernel_drops", {{"a", a.counters().rx_kernel_drops}, {"b", b.counters().rx_kernel_drops}}}};
}

int run_relay(const RelayOptions& o) {
  if (o.a == o.b) return usage_error("relay", "--a and --b must be two different interfaces");
  live::RelayFaults faults;
  std::uint64_t seed = o.seed.value_or(1);
  if (!o.plan.empty()) {
    const faults::PlanResult parsed = faults::load_plan(o.plan);
    if (!parsed.ok()) return usage_error("relay", o.plan + ": " + parsed.error.to_string());
    const faults::Plan& plan = *parsed.plan;
    seed = o.seed.value_or(plan.seed);
    auto built = live::relay_faults_from_plan(plan, seed);
    if (!built.faults) return usage_error("relay", o.plan + ": " + built.error);
    faults = std::move(*built.faults);
    if (plan.workload.enabled || !plan.actions.empty() || !plan.expectations.empty()) {
      std::cerr << "aoeh relay: note: " << o.plan
                << " has a workload, actions or expectations; the relay uses only its faults\n";
    }
  }

  boost::asio::io_context io;
  auto ports = open_ports(io, {o.a, o.b}, live::relay_port_options());
  live::RelayCore core(std::move(faults));
  live::RelayDriverOptions options;
  const double progress = o.progress >= 0 ? o.progress : (::isatty(STDERR_FILENO) == 1 ? 1.0 : 0.0);
  options.progress_interval = static_cast<live::Nanos>(progress * 1e9);
  live::RelayDriver driver(io, ports[0], ports[1], core, options);
  driver.set_progress([&] { print_counters_line(core, o, static_cast<double>(driver.elapsed()) / 1e9, false); });

  std::cerr << "aoeh relay: " << o.a << " (" << ports[0].info().mac.to_string() << ", mtu " << ports[0].info().mtu
            << ") <-> " << o.b << " (" << ports[1].info().mac.to_string() << ", mtu " << ports[1].info().mtu
            << "), AoE frames only, seed " << seed << "\n";
  for (const auto& f : core.faults().faults) {
    std::cerr << "  " << live::relay_direction_name(f.direction) << ": " << f.description << "\n";
  }
  std::cerr << "aoeh relay: ready; relaying until Ctrl-C" << (o.seconds > 0 ? " or --seconds" : "") << std::endl;

  const live::Nanos deadline =
      o.seconds > 0 ? live::monotonic_now() + static_cast<live::Nanos>(o.seconds * 1e9) : sim::kNever;
  driver.run_until([] { return false; }, deadline);  // a signal or the deadline: the normal end
  const double seconds = static_cast<double>(driver.elapsed()) / 1e9;

  if (progress > 0) std::cerr << "\n";
  std::cerr << "aoeh relay: stopped after " << seconds << " s\n";
  print_counters_line(core, o, seconds, true);
  for (std::size_t i = 0; i < core.faults().faults.size(); ++i) {
    const auto& f = core.faults().faults[i];
    std::cerr << "  " << live::relay_direction_name(f.direction) << " " << f.description << ":";
    for (const auto& [k, v] : core.fault_stats(i)) std::cerr << " " << k << " " << v;
    std::cerr << "\n";
  }
  for (const RelayDirection d : kDirections) {
    if (driver.send_failures(d) > 0) {
      std::cerr << "  " << direction_label(d, o) << ": " << driver.send_failures(d)
                << " frames could not be sent (larger than the outgoing MTU, or its queue stayed full)\n";
    }
  }
  if (o.json) std::cout << summary_json(core, driver, ports[0], ports[1], seed, seconds).dump(2) << std::endl;
  return kExitOk;
}

}  // namespace

Command add_relay_command(CLI::App& parent) {
  auto o = std::make_shared<RelayOptions>();
  auto* app = parent.add_subcommand("relay", "Bridge AoE frames between two interfaces, applying a plan's link faults");
  app->add_option("--a", o->a, "Interface on the initiator side")->required();
  app->add_option("--b", o->b, "Interface on the target side")->required();
  app->add_option("--plan", o->plan, "Fault plan (JSON, see faults/README.md); only its link faults are used")
      ->check(CLI::ExistingFile);
  app->add_option("--seed", o->seed, "Seed of the fault decisions (default: the plan's seed)");
  app->add_option("--seconds", o->seconds, "Stop after this long (default: until Ctrl-C or SIGTERM)")
      ->check(CLI::PositiveNumber);
  app->add_option("--progress", o->progress,
                  "Seconds between progress lines on stderr (default: 1 on a terminal, else none; 0: none)")
      ->check(CLI::NonNegativeNumber);
  app->add_flag("--json", o->json, "Print the final counters as JSON on stdout");
  app->footer(
      "Only AoE frames (ethertype 0x88A2) are captured and bridged; other traffic is not forwarded.\n"
      "Both interfaces are put in promiscuous mode while the relay runs (a socket membership: it ends\n"
      "with the relay). Without --plan frames pass untouched.\n\n"
      "Faults: loss, burst_loss, delay (jitter reorders), duplicate, reorder, corrupt, rate_limit,\n"
      "queue_overflow, mtu, down, flap, black_hole, partition. Plan times (at, for) count from the\n"
      "relay's start. The initiator's side is --a: a fault on an initiator link (\"link\": \"eth0\")\n"
      "with direction \"out\" acts on a->b, \"in\" on b->a; on a target link (\"e1.0:0\") the other way\n"
      "round; path faults act on both. Target and initiator-port faults are refused (exit 2); use\n"
      "`aoeh serve --plan` for target faults. Counters per direction go to stderr at the end.\n\n"
      "Examples:\n"
      "  aoeh relay --a eth1 --b eth2\n"
      "  aoeh relay --a eth1 --b eth2 --plan lossy.json --seed 7 --json\n"
      "  with lossy.json: {\"faults\": [{\"type\": \"loss\", \"link\": \"eth0\", \"direction\": \"in\",\n"
      "                                \"probability\": \"5%\"},\n"
      "                               {\"type\": \"delay\", \"path\": \"a\", \"delay\": \"2ms\", \"jitter\": \"1ms\"}]}");
  return {app, [o] { return run_guarded("relay", [&] { return run_relay(*o); }); }};
}

}  // namespace aoeh::cli
