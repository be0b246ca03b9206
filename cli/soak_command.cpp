// `aoeh soak PLAN.json --seeds 1-1000`: a seeded sweep of one fault plan over worker threads,
// with a progress line, the failing seeds and the command that reproduces each. Shards of a
// large sweep (--shard I/N --json) merge with --merge.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include "cli/commands.hpp"
#include "faults/plan_parser.hpp"
#include "faults/soak.hpp"

namespace aoeh::cli {
namespace {

struct SoakOptions {
  std::string plan;
  std::string seeds;
  unsigned jobs = 0;
  std::string shard;
  bool json = false;
  std::vector<std::string> merge;
};

void print_result(const faults::SoakResult& r, const std::string& plan_file) {
  const std::uint64_t ran = r.outcomes.size(), failed = r.failed();
  std::printf("  %llu seeds, %llu passed, %llu failed, %llu durability violations\n", static_cast<unsigned long long>(ran),
              static_cast<unsigned long long>(ran - failed), static_cast<unsigned long long>(failed),
              static_cast<unsigned long long>(r.violations()));
  if (failed == 0) return;
  std::printf("failing seeds:\n");
  for (const auto& o : r.outcomes) {
    if (o.passed) continue;
    std::printf("  seed %llu:", static_cast<unsigned long long>(o.seed));
    for (const auto& f : o.failures) std::printf(" FAIL %s;", f.c_str());
    std::printf("\n");
    if (!o.first_violation.empty()) std::printf("    first violation: %s\n", o.first_violation.c_str());
    std::printf("    reproduce: aoeh sim %s --seed %llu\n", plan_file.c_str(), static_cast<unsigned long long>(o.seed));
  }
}

int run_merge(const SoakOptions& o) {
  std::vector<faults::SoakResult> parts;
  for (const auto& file : o.merge) {
    std::ifstream in(file);
    if (!in) {
      std::cerr << "aoeh soak: cannot read " << file << "\n";
      return kExitUsage;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(ss.str());
    } catch (const std::exception& e) {
      std::cerr << "aoeh soak: " << file << ": not JSON (" << e.what() << ")\n";
      return kExitUsage;
    }
    std::string why;
    auto r = faults::soak_from_json(j, &why);
    if (!r) {
      std::cerr << "aoeh soak: " << file << ": " << why << "\n";
      return kExitUsage;
    }
    parts.push_back(std::move(*r));
  }
  std::string why;
  const auto merged = faults::merge_soak(parts, &why);
  if (!merged) {
    std::cerr << "aoeh soak: " << why << "\n";
    return kExitUsage;
  }
  if (o.json) {
    std::cout << faults::soak_to_json(*merged).dump(2) << "\n";
  } else {
    std::printf("aoeh soak --merge: plan %s (%s), seeds %llu-%llu, %zu result files\n", merged->plan_name.c_str(),
                merged->plan_file.c_str(), static_cast<unsigned long long>(merged->range.first),
                static_cast<unsigned long long>(merged->range.last), parts.size());
    if (merged->outcomes.size() != merged->range.count())
      std::printf("  note: the results cover %zu of the range's %llu seeds (shards missing)\n", merged->outcomes.size(),
                  static_cast<unsigned long long>(merged->range.count()));
    print_result(*merged, merged->plan_file);
  }
  return merged->failed() == 0 ? kExitOk : kExitCheckFailed;
}

int run_soak_command(const SoakOptions& o) {
  if (!o.merge.empty()) {
    if (!o.plan.empty() || !o.seeds.empty() || !o.shard.empty()) {
      std::cerr << "aoeh soak: --merge takes only result files (and --json)\n";
      return kExitUsage;
    }
    return run_merge(o);
  }
  if (o.plan.empty() || o.seeds.empty()) {
    std::cerr << "aoeh soak: a plan and --seeds are required (aoeh soak PLAN.json --seeds 1-1000)\n";
    return kExitUsage;
  }
  std::string why;
  const auto range = faults::parse_seed_range(o.seeds, &why);
  if (!range) {
    std::cerr << "aoeh soak: --seeds: " << why << "\n";
    return kExitUsage;
  }
  faults::Shard shard;
  if (!o.shard.empty()) {
    auto s = faults::parse_shard(o.shard, &why);
    if (!s) {
      std::cerr << "aoeh soak: --shard: " << why << "\n";
      return kExitUsage;
    }
    shard = *s;
  }
  std::ifstream in(o.plan, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const auto parsed = faults::parse_plan(text.str());
  if (!in || !parsed.ok()) {
    std::cerr << "aoeh soak: " << o.plan << ": " << (in ? parsed.error.to_string() : "cannot read") << "\n";
    return kExitUsage;
  }
  const auto seeds = faults::shard_seeds(*range, shard);
  const unsigned jobs = o.jobs ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
  if (!o.json) {
    std::printf("aoeh soak %s: plan %s, seeds %s", o.plan.c_str(), parsed.plan->name.c_str(), o.seeds.c_str());
    if (!o.shard.empty())
      std::printf(" (shard %s: %zu seeds%s)", o.shard.c_str(), seeds.size(),
                  seeds.empty() ? "" : (", " + std::to_string(seeds.front()) + "-" + std::to_string(seeds.back())).c_str());
    std::printf(", %u jobs\n", jobs);
    std::fflush(stdout);
  }
  // The progress line goes to stderr: rewritten in place on a terminal, every tenth otherwise.
  const bool tty = isatty(2) != 0;
  std::uint64_t last_tenth = 0, last_done = ~std::uint64_t{0};
  auto progress = [&](const faults::SoakProgress& p) {
    if (p.done == last_done) return;
    last_done = p.done;
    const double rate = p.wall_seconds > 0 ? double(p.done) / p.wall_seconds : 0;
    if (tty) {
      std::fprintf(stderr, "\r  %llu/%llu seeds, %llu failed, %.1f seeds/s ", static_cast<unsigned long long>(p.done),
                   static_cast<unsigned long long>(p.total), static_cast<unsigned long long>(p.failed), rate);
      if (p.done == p.total) std::fprintf(stderr, "\n");
    } else if (p.total > 0 && (p.done * 10 / p.total > last_tenth || p.done == p.total)) {
      last_tenth = p.done * 10 / p.total;
      std::fprintf(stderr, "  %llu/%llu seeds, %llu failed, %.1f seeds/s\n", static_cast<unsigned long long>(p.done),
                   static_cast<unsigned long long>(p.total), static_cast<unsigned long long>(p.failed), rate);
    }
  };
  faults::SoakResult r = faults::run_soak(*parsed.plan, seeds, jobs, progress);
  r.plan_file = o.plan;
  r.plan_digest = faults::digest_of(text.str());
  r.range = *range;
  r.shards = {shard};
  if (o.json) {
    std::cout << faults::soak_to_json(r).dump(2) << "\n";
  } else {
    std::printf("  %.2f s wall, %.1f seeds/s\n", r.wall_seconds, r.wall_seconds > 0 ? double(seeds.size()) / r.wall_seconds : 0.0);
    print_result(r, o.plan);
  }
  return r.failed() == 0 ? kExitOk : kExitCheckFailed;
}

}  // namespace

Command add_soak_command(CLI::App& parent) {
  auto o = std::make_shared<SoakOptions>();
  auto* cmd = parent.add_subcommand("soak", "Run a fault plan over a range of seeds and report the seeds that fail");
  cmd->add_option("plan", o->plan, "The fault plan (faults/README.md)");
  cmd->add_option("--seeds", o->seeds, "Seeds to run: FIRST-LAST or one seed");
  cmd->add_option("--jobs", o->jobs, "Worker threads (default: one per core)")->check(CLI::Range(1u, 256u));
  cmd->add_option("--shard", o->shard, "Run only the I-th of N contiguous slices of the seeds (I/N)");
  cmd->add_flag("--json", o->json, "Print the results as JSON (the form --merge reads)");
  cmd->add_option("--merge", o->merge, "Merge shard results written with --json")->expected(1, -1);
  cmd->footer("Each seed is an independent deterministic run; a failing seed reproduces with\n"
              "`aoeh sim PLAN.json --seed N`. Exit 1 when a seed failed, 2 on usage errors.\n"
              "Example: aoeh soak scenarios/plans/mixed.json --seeds 1-1000 --shard 2/4 --json > shard2.json");
  return {cmd, [o] { return run_soak_command(*o); }};
}

}  // namespace aoeh::cli
