// Seed ranges, shards, parallel sweeps and merging shard results.
#include <gtest/gtest.h>

#include "faults/soak.hpp"
#include "faults/tests/plan_helpers.hpp"

namespace aoeh::faults {
namespace {

using namespace testing;

TEST(Soak, SeedRangesAndShards) {
  EXPECT_EQ(parse_seed_range("1-1000")->count(), 1000u);
  EXPECT_EQ(parse_seed_range("42")->first, 42u);
  std::string why;
  EXPECT_FALSE(parse_seed_range("10-1", &why));
  EXPECT_FALSE(parse_seed_range("a-b", &why));
  EXPECT_NE(why.find("a-b"), std::string::npos);
  EXPECT_FALSE(parse_shard("0/4"));
  EXPECT_FALSE(parse_shard("5/4"));
  EXPECT_FALSE(parse_shard("1"));
  // Ten seeds over three shards: 4 + 3 + 3, contiguous, covering everything once.
  const SeedRange r{1, 10};
  std::vector<std::uint64_t> all;
  for (std::uint32_t i = 1; i <= 3; ++i) {
    const auto s = shard_seeds(r, {i, 3});
    EXPECT_EQ(s.size(), i == 1 ? 4u : 3u);
    all.insert(all.end(), s.begin(), s.end());
  }
  ASSERT_EQ(all.size(), 10u);
  for (std::uint64_t k = 0; k < 10; ++k) EXPECT_EQ(all[k], k + 1);
  EXPECT_TRUE(shard_seeds({1, 2}, {3, 3}).empty());
}

TEST(Soak, ParallelSweepEqualsSerialAndShardsMerge) {
  const Plan plan = must_parse(small_plan(R"({"type": "loss", "path": "a", "probability": 0.05})"));
  const auto serial = run_soak(plan, shard_seeds({1, 8}, {1, 1}), 1);
  const auto parallel = run_soak(plan, shard_seeds({1, 8}, {1, 1}), 2);
  ASSERT_EQ(serial.outcomes.size(), 8u);
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(serial.outcomes[i].seed, i + 1);
    EXPECT_EQ(serial.outcomes[i].event_hash, parallel.outcomes[i].event_hash);
    EXPECT_TRUE(serial.outcomes[i].passed);
  }
  std::vector<SoakResult> parts;
  for (std::uint32_t s = 2; s >= 1; --s) {  // out of order on purpose
    SoakResult p = run_soak(plan, shard_seeds({1, 8}, {s, 2}), 1);
    p.plan_file = "p.json";
    p.plan_digest = "abc";
    p.range = {1, 8};
    p.shards = {{s, 2}};
    // Through JSON, as CI shards would hand them over.
    std::string why;
    auto back = soak_from_json(nlohmann::json::parse(soak_to_json(p).dump()), &why);
    ASSERT_TRUE(back) << why;
    parts.push_back(*back);
  }
  std::string why;
  const auto merged = merge_soak(parts, &why);
  ASSERT_TRUE(merged) << why;
  ASSERT_EQ(merged->outcomes.size(), 8u);
  for (std::size_t i = 0; i < 8; ++i) EXPECT_EQ(merged->outcomes[i].event_hash, serial.outcomes[i].event_hash);
  EXPECT_EQ(merged->shards.size(), 2u);
  // The same shard twice, or another plan's shard, does not merge.
  EXPECT_FALSE(merge_soak({parts[0], parts[0]}, &why));
  EXPECT_NE(why.find("more than one"), std::string::npos);
  SoakResult other = parts[1];
  other.plan_digest = "def";
  EXPECT_FALSE(merge_soak({parts[0], other}, &why));
}

TEST(Soak, FailingSeedsCarryWhatFailed) {
  const Plan plan = must_parse(small_plan(R"({"type": "corrupt", "link": "eth0", "probability": 0.2, "detected": false})"));
  const auto r = run_soak(plan, {1, 2, 3}, 2);
  EXPECT_EQ(r.failed(), 3u);
  for (const auto& o : r.outcomes) {
    EXPECT_FALSE(o.passed);
    ASSERT_FALSE(o.failures.empty());
    EXPECT_EQ(o.failures[0].rfind("no durability violations", 0), 0u) << o.failures[0];
    EXPECT_EQ(o.first_violation.rfind("corrupted e1.0 LBA ", 0), 0u) << o.first_violation;
  }
  const auto j = soak_to_json(r);
  EXPECT_EQ(j["failing"].size(), 3u);
  EXPECT_EQ(j["failing"][0]["reproduce"].get<std::string>().rfind("aoeh sim ", 0), 0u);
}

}  // namespace
}  // namespace aoeh::faults
