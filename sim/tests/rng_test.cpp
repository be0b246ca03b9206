#include "sim/rng.hpp"

#include <gtest/gtest.h>

namespace aoeh::sim {
namespace {

TEST(Rng, SplitMix64MatchesTheReferenceSequence) {
  // First outputs of the reference SplitMix64 seeded with 1234567.
  SplitMix64 sm{1234567};
  EXPECT_EQ(sm.next(), 6457827717110365317ull);
  EXPECT_EQ(sm.next(), 3203168211198807973ull);
}

TEST(Rng, SameSeedSameSequence) {
  Rng a(42), b(42), c(43);
  bool differs = false;
  for (int i = 0; i < 1000; ++i) {
    const auto x = a.next();
    EXPECT_EQ(x, b.next());
    differs |= x != c.next();
  }
  EXPECT_TRUE(differs);
}

TEST(Rng, StreamsAreIndependentOfEachOther) {
  // A stream depends only on (seed, component): creating others in between changes nothing.
  Rng first = Rng::stream(7, "loss:link0");
  Rng other = Rng::stream(7, "loss:link1");
  (void)other.next();
  Rng again = Rng::stream(7, "loss:link0");
  for (int i = 0; i < 100; ++i) EXPECT_EQ(first.next(), again.next());
  EXPECT_NE(Rng::stream(7, "loss:link0").next(), Rng::stream(7, "loss:link1").next());
  EXPECT_NE(Rng::stream(7, "loss:link0").next(), Rng::stream(8, "loss:link0").next());
}

TEST(Rng, UniformAndBelowStayInRange) {
  Rng r(1);
  double sum = 0;
  std::uint64_t hist[10] = {};
  for (int i = 0; i < 100000; ++i) {
    const double u = r.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    const auto b = r.below(10);
    ASSERT_LT(b, 10u);
    ++hist[b];
  }
  EXPECT_NEAR(sum / 100000, 0.5, 0.01);
  for (auto h : hist) EXPECT_NEAR(static_cast<double>(h), 10000.0, 500.0);
  EXPECT_FALSE(r.chance(0.0));
  EXPECT_TRUE(r.chance(1.0));
}

}  // namespace
}  // namespace aoeh::sim

namespace aoeh::sim {
namespace {
TEST(Rng, Xoshiro256StarStarMatchesTheReferenceSequence) {
  Rng r = Rng::from_state(1, 2, 3, 4);
  EXPECT_EQ(r.next(), 11520u);
  EXPECT_EQ(r.next(), 0u);
  EXPECT_EQ(r.next(), 1509978240u);
  EXPECT_EQ(r.next(), 1215971899390074240ull);
}
}  // namespace
}  // namespace aoeh::sim
