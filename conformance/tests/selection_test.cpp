#include "conformance/selection.hpp"

#include <gtest/gtest.h>

namespace aoeh::conformance {
namespace {

TEST(GlobMatch, StarsAndQuestionMarks) {
  EXPECT_TRUE(glob_match("AOE.Header.*", "AOE.Header.TagEchoed"));
  EXPECT_FALSE(glob_match("AOE.Header.*", "AOE.Identify.PageIs512Bytes"));
  EXPECT_TRUE(glob_match("*", "anything"));
  EXPECT_TRUE(glob_match("AOE.*.Read*", "AOE.ReadWrite.ReadLba28"));
  EXPECT_TRUE(glob_match("AOE.Mtu.Advertised?ount*", "AOE.Mtu.AdvertisedCountFitsPath"));
  EXPECT_FALSE(glob_match("AOE.Header", "AOE.Header.TagEchoed"));  // no implicit trailing star
  EXPECT_TRUE(glob_match("AOE.Header.TagEchoed", "AOE.Header.TagEchoed"));
  EXPECT_FALSE(glob_match("", "x"));
  EXPECT_TRUE(glob_match("**a*", "ba"));
}

TEST(SplitPatterns, TrimsAndDropsEmpty) {
  EXPECT_EQ(split_patterns("AOE.Header.*, AOE.Identify.* ,,"),
            (std::vector<std::string>{"AOE.Header.*", "AOE.Identify.*"}));
  EXPECT_TRUE(split_patterns("").empty());
}

TEST(SelectTests, KeepsCatalogueOrderAndReportsUnmatched) {
  std::vector<std::string> unmatched;
  auto picked = select_tests(catalogue(), {"AOE.Identify.*", "AOE.Header.TagEchoed", "AOE.Nope.*"}, &unmatched);
  ASSERT_FALSE(picked.empty());
  EXPECT_EQ(picked.front()->info.name, "AOE.Header.TagEchoed");  // Header comes before Identify
  for (std::size_t i = 1; i < picked.size(); ++i) EXPECT_EQ(picked[i]->info.area(), "Identify");
  EXPECT_EQ(unmatched, (std::vector<std::string>{"AOE.Nope.*"}));
  EXPECT_EQ(select_tests(catalogue(), {}).size(), catalogue().tests().size());
}

}  // namespace
}  // namespace aoeh::conformance
