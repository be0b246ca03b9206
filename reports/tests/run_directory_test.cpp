#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "reports/results_json.hpp"
#include "reports/run_directory.hpp"
#include "reports/tests/sample_report.hpp"
#include "reports/tests/temp_dir.hpp"
#include "reports/text_file.hpp"

namespace aoeh::reports {
namespace {
namespace fs = std::filesystem;
using testing::TempDir;

TEST(RunId, IsASortableUtcTimestamp) {
  using namespace std::chrono;
  const sys_seconds t = sys_days{year{2025} / 3 / 14} + hours{9} + minutes{30} + seconds{15};
  EXPECT_EQ(make_run_id(t), "20250314T093015Z");
}

TEST(RunDirectory, OutCreatesNestedDirectoriesAndNoLatestLink) {
  TempDir tmp;
  std::string error;
  const auto dir = RunDirectory::open_out(tmp.path() / "a" / "b", &error);
  ASSERT_TRUE(dir.has_value()) << error;
  EXPECT_TRUE(fs::is_directory(tmp.path() / "a" / "b"));
  EXPECT_EQ(dir->results_json(), tmp.path() / "a" / "b" / "results.json");
  EXPECT_EQ(dir->capture_pcap(), tmp.path() / "a" / "b" / "capture.pcap");
  EXPECT_FALSE(fs::exists(fs::symlink_status(tmp.path() / "a" / "latest")));
  EXPECT_TRUE(fs::is_empty(tmp.path() / "a" / "b"));  // the write probe is gone
  // An existing directory is reused.
  EXPECT_TRUE(RunDirectory::open_out(tmp.path() / "a" / "b", &error).has_value()) << error;
}

TEST(RunDirectory, OutThatIsAFileOrUnderAFileIsAClearError) {
  TempDir tmp;
  ASSERT_TRUE(write_text_file(tmp.path() / "file", "x"));
  std::string error;
  EXPECT_FALSE(RunDirectory::open_out(tmp.path() / "file", &error).has_value());
  EXPECT_NE(error.find("a file with that name exists"), std::string::npos) << error;
  EXPECT_FALSE(RunDirectory::open_out(tmp.path() / "file" / "sub", &error).has_value());
  EXPECT_NE(error.find("cannot create output directory"), std::string::npos) << error;
  EXPECT_NE(error.find((tmp.path() / "file" / "sub").string()), std::string::npos) << error;
  EXPECT_FALSE(RunDirectory::open_out("", &error).has_value());
}

TEST(RunDirectory, DefaultMakesATimestampDirectoryAndPointsLatestAtIt) {
  TempDir tmp;
  const fs::path root = tmp.path() / "reports" / "runs";
  std::string error;
  const auto first = RunDirectory::create_default("20250314T093015Z", root, &error);
  ASSERT_TRUE(first.has_value()) << error;
  EXPECT_EQ(first->path(), root / "20250314T093015Z");
  EXPECT_EQ(fs::read_symlink(root / "latest"), "20250314T093015Z");  // relative: the tree can move

  // Same second again: a distinct directory, and latest follows it.
  const auto second = RunDirectory::create_default("20250314T093015Z", root, &error);
  ASSERT_TRUE(second.has_value()) << error;
  EXPECT_EQ(second->id(), "20250314T093015Z-2");
  EXPECT_EQ(fs::read_symlink(root / "latest"), "20250314T093015Z-2");
  EXPECT_TRUE(fs::is_directory(root / "latest"));
  EXPECT_TRUE(fs::is_directory(root / "20250314T093015Z"));
  // No temporary link left behind.
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(root)) ++entries;
  EXPECT_EQ(entries, 3);
}

TEST(RunDirectory, LatestThatIsARealDirectoryIsNotClobbered) {
  TempDir tmp;
  fs::create_directories(tmp.path() / "latest");
  std::string error;
  EXPECT_FALSE(RunDirectory::create_default("r1", tmp.path(), &error).has_value());
  EXPECT_NE(error.find("is not a symbolic link"), std::string::npos) << error;
  EXPECT_TRUE(fs::is_directory(tmp.path() / "latest"));
}

TEST(RunDirectory, RejectsRunIdsThatWouldEscapeOrCollide) {
  TempDir tmp;
  std::string error;
  for (const char* bad : {"", "latest", "../x", "a/b", ".hidden"}) {
    EXPECT_FALSE(RunDirectory::create_default(bad, tmp.path(), &error).has_value()) << bad;
    EXPECT_NE(error.find("invalid run id"), std::string::npos);
  }
}

TEST(RunDirectory, WriteReportWritesTheFilesItOwns) {
  TempDir tmp;
  std::string error;
  const auto dir = RunDirectory::open_out(tmp.path() / "out", &error);
  ASSERT_TRUE(dir.has_value()) << error;
  const Report r = testing::sample_report();
  ASSERT_TRUE(dir->write_report(r, &error)) << error;
  EXPECT_GT(fs::file_size(dir->junit_xml()), 1000u);
  const auto back = load_results(dir->results_json(), &error);
  ASSERT_TRUE(back.has_value()) << error;
  EXPECT_TRUE(*back == r);
}

}  // namespace
}  // namespace aoeh::reports
