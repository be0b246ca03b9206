#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "reports/svg_charts.hpp"

namespace aoeh::reports {
namespace {

std::size_t total(const std::vector<HistogramBin>& bins) {
  return std::accumulate(bins.begin(), bins.end(), std::size_t{0}, [](std::size_t n, const HistogramBin& b) { return n + b.count; });
}

TEST(Histogram, NiceBinsCoverEverySample) {
  std::vector<double> v;
  for (int i = 0; i < 1000; ++i) v.push_back(100 + (i * 7919 % 1000) / 10.0);  // 100.0 .. 199.9
  const auto bins = make_histogram(v, 30);
  ASSERT_FALSE(bins.empty());
  EXPECT_LE(bins.size(), 30u);
  EXPECT_EQ(total(bins), v.size());
  EXPECT_DOUBLE_EQ(bins.front().lo, 100);
  EXPECT_DOUBLE_EQ(bins[0].hi - bins[0].lo, 5);  // 100/30 rounds up to the nice width 5
  for (const auto& b : bins) EXPECT_FALSE(b.overflow);
  for (std::size_t i = 1; i < bins.size(); ++i) EXPECT_DOUBLE_EQ(bins[i].lo, bins[i - 1].hi);
}

TEST(Histogram, SlowTailGoesToOneOverflowBin) {
  std::vector<double> v(1000, 0.0);
  for (int i = 0; i < 1000; ++i) v[i] = 100 + i % 50;
  v[10] = 5000;
  v[20] = 9000;
  const auto bins = make_histogram(v, 30);
  ASSERT_TRUE(bins.back().overflow);
  EXPECT_EQ(bins.back().count, 2u);
  EXPECT_DOUBLE_EQ(bins.back().hi, 9000);
  EXPECT_LT(bins.back().lo, 300);  // the body keeps its resolution
  EXPECT_EQ(total(bins), v.size());
}

TEST(Histogram, EdgeCases) {
  EXPECT_TRUE(make_histogram({}).empty());
  EXPECT_TRUE(make_histogram({NAN, INFINITY}).empty());
  const auto same = make_histogram({42, 42, 42});
  ASSERT_EQ(same.size(), 1u);
  EXPECT_EQ(same[0].count, 3u);
  EXPECT_LE(same[0].lo, 42);
  EXPECT_GT(same[0].hi, 42);
  const auto mixed = make_histogram({1, NAN, 2, 3});
  EXPECT_EQ(total(mixed), 3u);
  const auto negative = make_histogram({-5, 5});
  EXPECT_EQ(total(negative), 2u);
}

TEST(Quantile, InterpolatesSortedValues) {
  EXPECT_EQ(sorted_quantile({}, 0.5), 0);
  EXPECT_EQ(sorted_quantile({1, 2, 3, 4}, 0.5), 2.5);
  EXPECT_EQ(sorted_quantile({1, 2, 3, 4}, 1.0), 4);
  EXPECT_EQ(sorted_quantile({1, 2, 3, 4}, 0.0), 1);
}

TEST(DurationChart, ShowsTheSlowestTestsFirstUpToTheLimit) {
  std::vector<TestResult> tests(40);
  for (int i = 0; i < 40; ++i) {
    tests[i].name = "AOE.T.N" + std::to_string(i);
    tests[i].duration_ns = (i + 1) * 1000;
  }
  const std::string svg = duration_chart_svg(tests, 5);
  EXPECT_NE(svg.find("5 of 40 tests shown"), std::string::npos);
  EXPECT_LT(svg.find(">AOE.T.N39<"), svg.find(">AOE.T.N35<"));
  EXPECT_EQ(svg.find(">AOE.T.N34<"), std::string::npos);
  EXPECT_NE(duration_chart_svg({}).find("No tests ran."), std::string::npos);
}

}  // namespace
}  // namespace aoeh::reports
