#pragma once
// Seeded sweeps of one plan: every seed is an independent, deterministic run, so a sweep spreads
// over threads here and over machines with shards (the I-th of N contiguous slices); shard
// results are JSON documents that merge back into one.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "faults/plan.hpp"

namespace aoeh::faults {

struct SeedRange {
  std::uint64_t first = 1, last = 1;
  std::uint64_t count() const { return last - first + 1; }
};
// "1-1000" or "42". Fills `why` on failure.
std::optional<SeedRange> parse_seed_range(const std::string& text, std::string* why = nullptr);

struct Shard {
  std::uint32_t index = 1, count = 1;  // 1-based
};
// "2/4". Fills `why` on failure.
std::optional<Shard> parse_shard(const std::string& text, std::string* why = nullptr);
// The contiguous slice of `range` that shard `s` runs (may be empty when there are more shards than seeds).
std::vector<std::uint64_t> shard_seeds(const SeedRange& range, const Shard& s);

struct SeedOutcome {
  std::uint64_t seed = 0;
  bool passed = false;
  std::vector<std::string> failures;  // failed expectations: "text [observed]"
  std::uint64_t violations = 0;
  std::string first_violation;        // "lost e1.0 LBA 123 at 1.234s: ..."
  std::uint64_t event_hash = 0;
  std::uint64_t sectors_checked = 0;
};

struct SoakResult {
  std::string plan_name;
  std::string plan_file;
  std::string plan_digest;            // of the plan file's bytes: shards of different plans never merge
  SeedRange range;
  std::vector<Shard> shards;          // which slices these outcomes cover
  std::vector<SeedOutcome> outcomes;  // ascending seed
  double wall_seconds = 0;
  std::uint64_t failed() const;
  std::uint64_t violations() const;
};

struct SoakProgress {
  std::uint64_t done = 0, total = 0, failed = 0;
  double wall_seconds = 0;
};

// Runs `seeds` with `jobs` worker threads (each seed alone on one thread). `progress`, if set, is
// called from the calling thread about five times a second and once at the end.
SoakResult run_soak(const Plan& plan, const std::vector<std::uint64_t>& seeds, unsigned jobs,
                    const std::function<void(const SoakProgress&)>& progress = {});

nlohmann::json soak_to_json(const SoakResult& r);
// Reads a document written by soak_to_json; nullopt and `why` when it is not one.
std::optional<SoakResult> soak_from_json(const nlohmann::json& j, std::string* why);
// Merges shard results of one plan and range; fails (nullopt, `why`) on different plans or overlapping seeds.
std::optional<SoakResult> merge_soak(const std::vector<SoakResult>& parts, std::string* why);

std::string digest_of(const std::string& bytes);

}  // namespace aoeh::faults
