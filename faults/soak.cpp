#include "faults/soak.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>

#include "faults/durability.hpp"
#include "faults/scenario.hpp"
#include "faults/units.hpp"
#include "sim/hash.hpp"

namespace aoeh::faults {
namespace {

bool parse_u64(const std::string& s, std::uint64_t& out) {
  if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string::npos) return false;
  out = std::stoull(s);
  return true;
}

SeedOutcome outcome_of(const ScenarioResult& r) {
  SeedOutcome o;
  o.seed = r.seed;
  o.passed = r.passed;
  for (const auto& e : r.expectations)
    if (!e.passed) o.failures.push_back(e.text + " [" + e.detail + "]");
  o.violations = r.durability.violations();
  if (!r.violations.empty()) {
    const Violation& v = r.violations.front();
    o.first_violation = std::string(violation_kind_name(v.kind)) + " " + v.device.to_string() + " LBA " +
                        std::to_string(v.lba) + " at " + format_time(v.time) + ": " + v.detail;
  }
  o.event_hash = r.event_hash;
  o.sectors_checked = r.durability.sectors_checked;
  return o;
}

}  // namespace

std::optional<SeedRange> parse_seed_range(const std::string& text, std::string* why) {
  SeedRange r;
  const auto dash = text.find('-');
  bool ok = dash == std::string::npos ? parse_u64(text, r.first) && (r.last = r.first, true)
                                      : parse_u64(text.substr(0, dash), r.first) && parse_u64(text.substr(dash + 1), r.last);
  if (ok && r.first > r.last) ok = false;
  if (ok && r.count() > 100'000'000) ok = false;
  if (!ok) {
    if (why) *why = "expected seeds like 1-1000 or 42 (first <= last, at most 100000000), got \"" + text + "\"";
    return std::nullopt;
  }
  return r;
}

std::optional<Shard> parse_shard(const std::string& text, std::string* why) {
  const auto slash = text.find('/');
  std::uint64_t i = 0, n = 0;
  if (slash == std::string::npos || !parse_u64(text.substr(0, slash), i) || !parse_u64(text.substr(slash + 1), n) ||
      n == 0 || i == 0 || i > n || n > 100'000) {
    if (why) *why = "expected a shard like 2/4 (1 <= I <= N), got \"" + text + "\"";
    return std::nullopt;
  }
  return Shard{static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(n)};
}

std::vector<std::uint64_t> shard_seeds(const SeedRange& range, const Shard& s) {
  // Contiguous slices whose sizes differ by at most one.
  const std::uint64_t total = range.count();
  const std::uint64_t base = total / s.count, extra = total % s.count;
  const std::uint64_t k = s.index - 1;
  const std::uint64_t begin = k * base + std::min<std::uint64_t>(k, extra);
  const std::uint64_t size = base + (k < extra ? 1 : 0);
  std::vector<std::uint64_t> out;
  out.reserve(size);
  for (std::uint64_t i = 0; i < size; ++i) out.push_back(range.first + begin + i);
  return out;
}

std::uint64_t SoakResult::failed() const {
  return static_cast<std::uint64_t>(std::count_if(outcomes.begin(), outcomes.end(), [](const SeedOutcome& o) { return !o.passed; }));
}

std::uint64_t SoakResult::violations() const {
  std::uint64_t n = 0;
  for (const auto& o : outcomes) n += o.violations;
  return n;
}

SoakResult run_soak(const Plan& plan, const std::vector<std::uint64_t>& seeds, unsigned jobs,
                    const std::function<void(const SoakProgress&)>& progress) {
  const auto t0 = std::chrono::steady_clock::now();  // progress and figures only
  SoakResult result;
  result.plan_name = plan.name;
  result.outcomes.resize(seeds.size());
  std::atomic<std::size_t> next{0};
  std::atomic<std::uint64_t> done{0}, failed{0};
  std::mutex m;
  std::condition_variable cv;
  auto worker = [&] {
    for (;;) {
      const std::size_t i = next.fetch_add(1);
      if (i >= seeds.size()) break;
      RunOptions o;
      o.seed = seeds[i];
      o.timeline = false;
      result.outcomes[i] = outcome_of(run_plan(plan, o));  // each index written by one thread only
      if (!result.outcomes[i].passed) ++failed;
      ++done;
      cv.notify_one();
    }
  };
  jobs = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(std::max<std::size_t>(seeds.size(), 1))));
  std::vector<std::thread> threads;
  for (unsigned j = 0; j < jobs; ++j) threads.emplace_back(worker);
  auto report = [&] {
    if (!progress) return;
    SoakProgress p;
    p.done = done.load();
    p.total = seeds.size();
    p.failed = failed.load();
    p.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    progress(p);
  };
  {
    std::unique_lock lock(m);
    while (done.load() < seeds.size()) {
      cv.wait_for(lock, std::chrono::milliseconds(200));
      report();
    }
  }
  for (auto& t : threads) t.join();
  report();
  result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

std::string digest_of(const std::string& bytes) {
  char b[24];
  std::snprintf(b, sizeof b, "%016llx", static_cast<unsigned long long>(sim::fnv1a64(bytes)));
  return b;
}

nlohmann::json soak_to_json(const SoakResult& r) {
  using nlohmann::json;
  json shards = json::array();
  for (const auto& s : r.shards) shards.push_back(std::to_string(s.index) + "/" + std::to_string(s.count));
  json failing = json::array();
  json seeds = json::array();
  for (const auto& o : r.outcomes) {
    char hash[24];
    std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(o.event_hash));
    seeds.push_back({{"seed", o.seed}, {"passed", o.passed}, {"violations", o.violations}, {"event_hash", hash},
                     {"sectors_checked", o.sectors_checked}});
    if (!o.passed)
      failing.push_back({{"seed", o.seed},
                         {"failures", o.failures},
                         {"violations", o.violations},
                         {"first_violation", o.first_violation},
                         {"reproduce", "aoeh sim " + r.plan_file + " --seed " + std::to_string(o.seed)}});
  }
  return json{{"kind", "aoeh.soak"},
              {"plan", r.plan_name},
              {"plan_file", r.plan_file},
              {"plan_digest", r.plan_digest},
              {"seeds", std::to_string(r.range.first) + "-" + std::to_string(r.range.last)},
              {"shards", shards},
              {"ran", r.outcomes.size()},
              {"passed", r.outcomes.size() - r.failed()},
              {"failed", r.failed()},
              {"violations", r.violations()},
              {"wall_seconds", r.wall_seconds},
              {"failing", failing},
              {"results", seeds}};
}

std::optional<SoakResult> soak_from_json(const nlohmann::json& j, std::string* why) {
  auto bad = [&](const std::string& what) -> std::optional<SoakResult> {
    if (why) *why = what;
    return std::nullopt;
  };
  try {
    if (!j.is_object() || j.value("kind", "") != "aoeh.soak") return bad("not an aoeh soak result (kind != aoeh.soak)");
    SoakResult r;
    r.plan_name = j.at("plan").get<std::string>();
    r.plan_file = j.at("plan_file").get<std::string>();
    r.plan_digest = j.at("plan_digest").get<std::string>();
    auto range = parse_seed_range(j.at("seeds").get<std::string>(), why);
    if (!range) return std::nullopt;
    r.range = *range;
    for (const auto& s : j.at("shards")) {
      auto shard = parse_shard(s.get<std::string>(), why);
      if (!shard) return std::nullopt;
      r.shards.push_back(*shard);
    }
    r.wall_seconds = j.at("wall_seconds").get<double>();
    std::map<std::uint64_t, const nlohmann::json*> failing;
    for (const auto& f : j.at("failing")) failing[f.at("seed").get<std::uint64_t>()] = &f;
    for (const auto& s : j.at("results")) {
      SeedOutcome o;
      o.seed = s.at("seed").get<std::uint64_t>();
      o.passed = s.at("passed").get<bool>();
      o.violations = s.at("violations").get<std::uint64_t>();
      o.event_hash = std::stoull(s.at("event_hash").get<std::string>(), nullptr, 16);
      o.sectors_checked = s.at("sectors_checked").get<std::uint64_t>();
      if (auto it = failing.find(o.seed); it != failing.end()) {
        o.failures = it->second->at("failures").get<std::vector<std::string>>();
        o.first_violation = it->second->at("first_violation").get<std::string>();
      }
      r.outcomes.push_back(std::move(o));
    }
    return r;
  } catch (const std::exception& e) {
    return bad(std::string("malformed soak result: ") + e.what());
  }
}

std::optional<SoakResult> merge_soak(const std::vector<SoakResult>& parts, std::string* why) {
  if (parts.empty()) {
    if (why) *why = "nothing to merge";
    return std::nullopt;
  }
  SoakResult m;
  m.plan_name = parts[0].plan_name;
  m.plan_file = parts[0].plan_file;
  m.plan_digest = parts[0].plan_digest;
  m.range = parts[0].range;
  for (const auto& p : parts) {
    if (p.plan_digest != m.plan_digest || p.range.first != m.range.first || p.range.last != m.range.last) {
      if (why) *why = "results of different plans or seed ranges (" + p.plan_file + " " + p.plan_digest + " vs " + m.plan_file + " " + m.plan_digest + ")";
      return std::nullopt;
    }
    m.shards.insert(m.shards.end(), p.shards.begin(), p.shards.end());
    m.outcomes.insert(m.outcomes.end(), p.outcomes.begin(), p.outcomes.end());
    m.wall_seconds += p.wall_seconds;
  }
  std::sort(m.outcomes.begin(), m.outcomes.end(), [](const SeedOutcome& a, const SeedOutcome& b) { return a.seed < b.seed; });
  for (std::size_t i = 1; i < m.outcomes.size(); ++i)
    if (m.outcomes[i].seed == m.outcomes[i - 1].seed) {
      if (why) *why = "seed " + std::to_string(m.outcomes[i].seed) + " appears in more than one result";
      return std::nullopt;
    }
  std::sort(m.shards.begin(), m.shards.end(), [](const Shard& a, const Shard& b) { return a.index < b.index; });
  return m;
}

}  // namespace aoeh::faults
