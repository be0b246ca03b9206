// Human units in plans.
#include <gtest/gtest.h>

#include "faults/units.hpp"

namespace aoeh::faults {
namespace {

TEST(Units, Durations) {
  EXPECT_EQ(parse_duration("250ms"), 250 * sim::kMillisecond);
  EXPECT_EQ(parse_duration("3s"), 3 * sim::kSecond);
  EXPECT_EQ(parse_duration("1.5s"), 1500 * sim::kMillisecond);
  EXPECT_EQ(parse_duration("2min"), 120 * sim::kSecond);
  EXPECT_EQ(parse_duration("1h"), 3600 * sim::kSecond);
  EXPECT_EQ(parse_duration("10us"), 10 * sim::kMicrosecond);
  EXPECT_EQ(parse_duration("7ns"), 7);
  EXPECT_EQ(parse_duration("0s"), 0);
  EXPECT_EQ(parse_duration(" 5 ms "), 5 * sim::kMillisecond);
}

TEST(Units, BadDurationsSayWhy) {
  std::string why;
  EXPECT_FALSE(parse_duration("10 parsecs", &why));
  EXPECT_NE(why.find("unknown duration unit \"parsecs\""), std::string::npos) << why;
  EXPECT_FALSE(parse_duration("10", &why));
  EXPECT_NE(why.find("needs a unit"), std::string::npos) << why;
  EXPECT_FALSE(parse_duration("ms", &why));
  EXPECT_NE(why.find("expected a duration"), std::string::npos) << why;
  EXPECT_FALSE(parse_duration("-3s", &why));
  EXPECT_FALSE(parse_duration("1e400h", &why));
}

TEST(Units, Sizes) {
  EXPECT_EQ(parse_size("64KiB"), 65536u);
  EXPECT_EQ(parse_size("1MiB"), 1u << 20);
  EXPECT_EQ(parse_size("2GiB"), 2ull << 30);
  EXPECT_EQ(parse_size("512B"), 512u);
  EXPECT_EQ(parse_size("4096"), 4096u);
  EXPECT_EQ(parse_size("1KB"), 1000u);
  EXPECT_EQ(parse_size("8sectors"), 4096u);
  std::string why;
  EXPECT_FALSE(parse_size("1.5B", &why));
  EXPECT_FALSE(parse_size("3 furlongs", &why));
  EXPECT_NE(why.find("furlongs"), std::string::npos);
}

TEST(Units, Rates) {
  EXPECT_EQ(parse_rate("100Mbit/s"), 100'000'000u);
  EXPECT_EQ(parse_rate("1Gbit/s"), 1'000'000'000u);
  EXPECT_EQ(parse_rate("1.5Gbps"), 1'500'000'000u);
  EXPECT_FALSE(parse_rate("100"));
  EXPECT_FALSE(parse_rate("0bit/s"));
}

TEST(Units, Formatting) {
  EXPECT_EQ(format_duration(3 * sim::kSecond), "3s");
  EXPECT_EQ(format_duration(250 * sim::kMillisecond), "250ms");
  EXPECT_EQ(format_duration(sim::kNever), "forever");
  EXPECT_EQ(format_time(1500 * sim::kMillisecond), "1.500s");
  EXPECT_EQ(format_size(64 * 1024), "64KiB");
}

}  // namespace
}  // namespace aoeh::faults
