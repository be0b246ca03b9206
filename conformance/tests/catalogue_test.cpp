// The catalogue's shape: enough tests, well named, every area present, needs the runner understands.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "conformance/catalogue.hpp"

namespace aoeh::conformance {
namespace {

TEST(Catalogue, HasAtLeastSeventyUniquelyNamedTests) {
  const auto& tests = catalogue().tests();
  EXPECT_GE(tests.size(), 70u);
  std::set<std::string> names;
  for (const auto& t : tests) EXPECT_TRUE(names.insert(t.info.name).second) << "duplicate " << t.info.name;
}

TEST(Catalogue, EveryTestIsCompletelyDescribed) {
  for (const auto& t : catalogue().tests()) {
    const auto& i = t.info;
    EXPECT_EQ(i.name.rfind("AOE.", 0), 0u) << i.name;
    EXPECT_FALSE(i.area().empty()) << i.name;
    EXPECT_EQ(std::count(i.name.begin(), i.name.end(), '.'), 2) << i.name;
    EXPECT_FALSE(i.clause.empty()) << i.name;
    EXPECT_FALSE(i.description.empty()) << i.name;
    EXPECT_TRUE(static_cast<bool>(t.body)) << i.name;
    for (const auto& need : i.needs)
      EXPECT_NE(std::find(known_needs().begin(), known_needs().end(), need), known_needs().end())
          << i.name << " needs unknown \"" << need << "\"";
  }
}

TEST(Catalogue, CoversEveryArea) {
  std::map<std::string, int> per_area;
  for (const auto& t : catalogue().tests()) ++per_area[t.info.area()];
  for (const char* area : {"Header", "Discovery", "QueryConfig", "Identify", "ReadWrite", "CachePower", "FlowControl",
                           "Mtu", "MacMask", "Reserve", "Multiport", "Robustness"})
    EXPECT_GE(per_area[area], 3) << area;
  EXPECT_EQ(per_area.size(), 12u);
}

TEST(Catalogue, HasMustShouldAndMayLevelsAndBothReadAndWriteTests) {
  std::set<reports::Level> levels;
  int writes = 0;
  for (const auto& t : catalogue().tests()) {
    levels.insert(t.info.level);
    writes += t.info.writes ? 1 : 0;
  }
  EXPECT_EQ(levels.size(), 3u);
  EXPECT_GT(writes, 10);
  EXPECT_LT(writes, static_cast<int>(catalogue().tests().size()) / 2);
}

}  // namespace
}  // namespace aoeh::conformance
