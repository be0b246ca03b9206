#include "cli/latency_histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

namespace aoeh::cli {
namespace {

TEST(LatencyHistogramTest, EmptyGivesZero) {
  LatencyHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.percentile(0.5), 0u);
  EXPECT_EQ(h.max(), 0u);
}

TEST(LatencyHistogramTest, SmallValuesAreExact) {
  LatencyHistogram h;
  for (int v = 1; v <= 31; ++v) h.record(v);
  EXPECT_EQ(h.percentile(0.0), 1u);
  EXPECT_EQ(h.percentile(0.5), 16u);
  EXPECT_EQ(h.percentile(1.0), 31u);
  EXPECT_EQ(h.max(), 31u);
}

TEST(LatencyHistogramTest, PercentilesWithinThreePercentOfSortedSamples) {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> dist(13.0, 1.0);  // around 0.4 ms, long tail
  std::vector<std::int64_t> samples;
  LatencyHistogram h;
  for (int i = 0; i < 100000; ++i) {
    const auto v = static_cast<std::int64_t>(dist(rng)) + 1;
    samples.push_back(v);
    h.record(v);
  }
  std::sort(samples.begin(), samples.end());
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    const double exact = static_cast<double>(samples[static_cast<std::size_t>(q * (samples.size() - 1))]);
    EXPECT_NEAR(static_cast<double>(h.percentile(q)), exact, exact * 0.03) << "q=" << q;
  }
  EXPECT_EQ(h.max(), static_cast<std::uint64_t>(samples.back()));
  EXPECT_EQ(h.percentile(1.0), h.max());
}

TEST(LatencyHistogramTest, HugeAndNonPositiveValuesDoNotOverflow) {
  LatencyHistogram h;
  h.record(0);
  h.record(-5);
  h.record(INT64_MAX);
  EXPECT_EQ(h.count(), 3u);
  EXPECT_EQ(h.max(), static_cast<std::uint64_t>(INT64_MAX));
  EXPECT_LE(h.percentile(1.0), h.max());
  EXPECT_EQ(h.percentile(0.0), 1u);
}

}  // namespace
}  // namespace aoeh::cli
