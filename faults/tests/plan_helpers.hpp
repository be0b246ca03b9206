#pragma once
// Small plans for fault tests: one initiator (eth0 on path a, eth1 on path b), one two-port
// target e1.0, a short verified random workload. Each test adds its fault and compares with the
// same plan (same seed) without it.
#include <gtest/gtest.h>

#include <string>

#include "faults/plan_parser.hpp"
#include "faults/scenario.hpp"

namespace aoeh::faults::testing {

// `faults` and `expect` are JSON array bodies; `extra` more top-level members (leading comma).
inline std::string small_plan(const std::string& faults, const std::string& expect = "", const std::string& extra = "",
                              const std::string& workload = "") {
  return R"({
    "name": "test",
    "topology": {
      "paths": [{"name": "a"}, {"name": "b"}],
      "targets": [{"address": "e1.0", "capacity": "16MiB"}],
      "engine": {"rto_initial": "20ms", "rto_min": "2ms", "dead_after": "20s", "discover_interval": "5s"}
    },
    "workload": )" + (workload.empty() ? std::string(R"({"pattern": "random", "read_fraction": 0.5, "size": {"min": "4KiB", "max": "16KiB"},
                     "queue_depth": 4, "bytes": "2MiB", "verify": true})") : workload) + R"(,
    "faults": [)" + faults + R"(],
    "expect": [)" + expect + "]" + extra + "}";
}

// Replaces the first occurrence of `from` (which must be there) with `to`.
inline std::string patch(std::string plan, const std::string& from, const std::string& to) {
  const auto at = plan.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) plan.replace(at, from.size(), to);
  return plan;
}

// The same with a single path "a" (MTU `mtu`): one initiator port eth0, one target port e1.0:0.
inline std::string one_path_plan(const std::string& faults, const std::string& expect = "", std::uint32_t mtu = 1500,
                                 const std::string& workload = "") {
  return patch(small_plan(faults, expect, "", workload), R"("paths": [{"name": "a"}, {"name": "b"}])",
               R"("paths": [{"name": "a", "mtu": )" + std::to_string(mtu) + "}]");
}

inline Plan must_parse(const std::string& json) {
  auto r = parse_plan(json);
  EXPECT_TRUE(r.ok()) << r.error.to_string() << "\n" << json;
  return r.ok() ? *r.plan : Plan{};
}

inline ScenarioResult run_json(const std::string& json, std::uint64_t seed = 1) {
  RunOptions o;
  o.seed = seed;
  return run_plan(must_parse(json), o);
}

inline double metric(const ScenarioResult& r, const std::string& name) {
  auto it = r.metrics.find(name);
  EXPECT_NE(it, r.metrics.end()) << "no metric " << name;
  return it == r.metrics.end() ? -1 : it->second;
}

inline std::uint64_t stat(const ScenarioResult& r, std::size_t fault, const std::string& name) {
  if (fault >= r.faults.size()) return 0;
  auto it = r.faults[fault].stats.find(name);
  return it == r.faults[fault].stats.end() ? 0 : it->second;
}

// Sum of a per-link metric over every link direction except `except` ("link.eth0.in").
inline double sum_links(const ScenarioResult& r, const std::string& counter, const std::string& except = "") {
  double s = 0;
  for (const auto& [k, v] : r.metrics) {
    if (k.rfind("link.", 0) != 0 || k.size() < counter.size() || k.compare(k.size() - counter.size(), counter.size(), counter) != 0)
      continue;
    if (!except.empty() && k.rfind(except + ".", 0) == 0) continue;
    s += v;
  }
  return s;
}

inline void expect_clean_io(const ScenarioResult& r) {
  EXPECT_TRUE(r.workload_complete);
  EXPECT_EQ(r.workload.failed, 0u);
  EXPECT_EQ(r.durability.violations(), 0u);
  EXPECT_GT(r.durability.sectors_checked, 0u);
}

}  // namespace aoeh::faults::testing
