// report.html as a person sees it: headless Chromium renders the sample report and the screenshot is
// decoded and inspected. The screenshot is kept at <build>/reports/tests/report-screenshot.png.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "reports/run_directory.hpp"
#include "reports/tests/png_image.hpp"
#include "reports/tests/run_process.hpp"
#include "reports/tests/sample_report.hpp"
#include "reports/tests/temp_dir.hpp"
#include "reports/text_file.hpp"

namespace aoeh::reports {
namespace {
namespace fs = std::filesystem;
using testing::PngImage;

constexpr std::uint32_t kWidth = 1280, kHeight = 2000;
constexpr const char* kChromium = "/usr/bin/chromium";

bool near(const std::uint8_t* px, int r, int g, int b, int tolerance = 8) {
  return std::abs(px[0] - r) <= tolerance && std::abs(px[1] - g) <= tolerance && std::abs(px[2] - b) <= tolerance;
}

std::size_t count_near(const PngImage& img, int r, int g, int b) {
  std::size_t n = 0;
  for (std::uint32_t y = 0; y < img.height; ++y)
    for (std::uint32_t x = 0; x < img.width; ++x) n += near(img.pixel(x, y), r, g, b);
  return n;
}

TEST(ReportInBrowser, ChromiumRendersTheReportAsDesigned) {
  ASSERT_TRUE(fs::exists(kChromium)) << kChromium << " is missing: run scripts/deps.sh (it installs chromium)";
  testing::TempDir tmp;
  std::string error;
  const auto dir = RunDirectory::open_out(tmp.path() / "run", &error);
  ASSERT_TRUE(dir.has_value()) << error;
  ASSERT_TRUE(dir->write_report(testing::sample_report(), &error)) << error;
  const std::string page = fs::absolute(dir->report_html()).string();
  ASSERT_EQ(page.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-"), std::string::npos)
      << "the file:// URL below does not percent-encode: " << page;

  const fs::path png = tmp.path() / "screenshot.png";
  const fs::path log = tmp.path() / "chromium.log";
  // A fresh profile and XDG dirs in the temp dir: nothing is read from or left in the user's home, and
  // every background network feature is off so the run is offline and repeatable.
  const auto run = testing::run_process(
      {"/usr/bin/env", "HOME=" + tmp.path().string(), "XDG_CONFIG_HOME=" + (tmp.path() / "config").string(),
       "XDG_CACHE_HOME=" + (tmp.path() / "cache").string(), "/usr/bin/timeout", "120", kChromium, "--headless",
       "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
       "--disable-component-update", "--disable-sync", "--hide-scrollbars",
       "--user-data-dir=" + (tmp.path() / "profile").string(), "--screenshot=" + png.string(),
       "--window-size=" + std::to_string(kWidth) + "," + std::to_string(kHeight), "file://" + page},
      log.string());
  const std::string chromium_log = read_text_file(log).value_or("");
  ASSERT_EQ(run.exit_code, 0) << "chromium failed (124 = timed out):\n" << chromium_log;
  ASSERT_TRUE(fs::exists(png)) << "no screenshot written:\n" << chromium_log;

  const auto file = read_text_file(png, &error);
  ASSERT_TRUE(file.has_value()) << error;
  std::error_code ec;
  fs::copy_file(png, fs::path(AOEH_REPORTS_BUILD_DIR) / "report-screenshot.png", fs::copy_options::overwrite_existing, ec);
  const auto img = testing::decode_png(*file, &error);
  ASSERT_TRUE(img.has_value()) << error;
  ASSERT_EQ(img->width, kWidth);
  ASSERT_EQ(img->height, kHeight);

  // Not blank: many colours (anti-aliased text, charts), no single colour dominating, content on
  // most rows from top to bottom.
  std::map<std::uint32_t, std::size_t> colours;
  for (std::size_t p = 0; p < img->rgba.size(); p += 4)
    ++colours[(std::uint32_t(img->rgba[p]) << 16) | (std::uint32_t(img->rgba[p + 1]) << 8) | img->rgba[p + 2]];
  std::size_t most = 0;
  for (const auto& [c, n] : colours) most = std::max(most, n);
  EXPECT_GT(colours.size(), 200u);
  EXPECT_LT(static_cast<double>(most) / (kWidth * kHeight), 0.8);
  std::size_t busy_rows = 0;
  for (std::uint32_t y = 0; y < kHeight; ++y) {
    std::set<std::uint32_t> row;
    for (std::uint32_t x = 0; x < kWidth && row.size() < 3; x += 2) {
      const auto* px = img->pixel(x, y);
      row.insert((std::uint32_t(px[0]) << 16) | (std::uint32_t(px[1]) << 8) | px[2]);
    }
    busy_rows += row.size() >= 3;
  }
  EXPECT_GT(busy_rows, kHeight / 2);

  // The stylesheet was applied: navy header band, page background, the FAIL outcome box, and the
  // verdict colours of tiles, summary bars and the matrix (all within the first 2000 px).
  EXPECT_TRUE(near(img->pixel(5, 5), 0x1b, 0x2a, 0x47)) << "header is not navy";
  EXPECT_TRUE(near(img->pixel(5, kHeight / 2), 0xf4, 0xf6, 0xf9)) << "page background is not the report grey";
  EXPECT_GT(count_near(*img, 0x1e, 0x8e, 0x3e), 2000u) << "too little pass green";
  EXPECT_GT(count_near(*img, 0xd9, 0x30, 0x25), 1000u) << "too little fail red";
  EXPECT_GT(count_near(*img, 0xe3, 0x74, 0x00), 300u) << "too little error amber";
  EXPECT_GT(count_near(*img, 0xfc, 0xe8, 0xe6), 20000u) << "no red FAIL outcome box";
}

}  // namespace
}  // namespace aoeh::reports
