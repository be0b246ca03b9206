#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "reports/html_report.hpp"
#include "reports/tests/python_inspect.hpp"
#include "reports/tests/sample_report.hpp"
#include "reports/text_escape.hpp"

namespace aoeh::reports {
namespace {
using testing::sample_report;

// report.html as Python's strict XML parser sees it (reports/tests/html_inspect.py).
nlohmann::json inspect(const Report& report) {
  return testing::inspect_with_python(report, write_report_html, "report.html", "html_inspect.py");
}

std::string with_replacement_for_controls(std::string s) {
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s[i] == '\x01') s.replace(i, 1, "\xEF\xBF\xBD");
  return s;
}

TEST(HtmlReport, IsWellFormedAndHasEveryTestRow) {
  const Report r = sample_report();
  const auto j = inspect(r);
  ASSERT_FALSE(j.is_null());
  EXPECT_EQ(j["title"], "AoE conformance report: e7.3");
  ASSERT_EQ(j["rows"].size(), r.results.size());
  for (std::size_t i = 0; i < r.results.size(); ++i) {
    const std::string row = j["rows"]["test-" + std::to_string(i)];
    EXPECT_NE(row.find(r.results[i].name), std::string::npos) << i;
    EXPECT_NE(row.find(verdict_name(r.results[i].verdict)), std::string::npos) << i;
    EXPECT_NE(row.find(r.results[i].clause), std::string::npos) << i;
    EXPECT_NE(row.find(level_name(r.results[i].level)), std::string::npos) << i;
  }
  EXPECT_NE(j["rows"]["test-1"].get<std::string>().find("tag 0xdeadbeef sent, reply carried 0x00000000"), std::string::npos);
}

TEST(HtmlReport, HostileStringsArriveAsTextNotMarkup) {
  const auto j = inspect(sample_report());
  ASSERT_FALSE(j.is_null());
  // Had anything been left unescaped, the parser would have made elements of it (or failed).
  for (const auto& tag : j["tags"]) {
    EXPECT_NE(tag, "script");
    EXPECT_NE(tag, "img");
    EXPECT_NE(tag, "i");
  }
  const std::string row = j["rows"]["test-12"];
  EXPECT_NE(row.find(testing::kEvilName), std::string::npos);
  EXPECT_NE(row.find(with_replacement_for_controls(testing::kEvilMessage)), std::string::npos);
  EXPECT_NE(row.find("<b>bold</b> & <img src=x onerror=alert(1)>"), std::string::npos);
  const std::string text = j["text"];
  EXPECT_NE(text.find("<script>note()</script>"), std::string::npos);  // evidence note
  EXPECT_NE(text.find("not hex <i>"), std::string::npos);              // unparseable hex shown as is
  EXPECT_TRUE(j["srcs"].empty());
}

TEST(HtmlReport, RawMarkupNeverLeaksIntoTheFile) {
  const std::string html = to_report_html(sample_report());
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_NE(html.find(html_escape(testing::kEvilName)), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
}

TEST(HtmlReport, IsSelfContained) {
  const std::string html = to_report_html(sample_report());
  // No stylesheet, script, font or image is fetched: the only URL is the SVG namespace name.
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  const std::regex url("https?://[^\"]*");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), url); it != std::sregex_iterator(); ++it)
    EXPECT_EQ(it->str(), "http://www.w3.org/2000/svg");
  const auto j = inspect(sample_report());
  ASSERT_FALSE(j.is_null());
  for (const auto& href : j["hrefs"]) {
    const std::string h = href;
    const bool sibling = h == "results.json" || h == "junit.xml" || h == "capture.pcap";
    EXPECT_TRUE(h.rfind('#', 0) == 0 || sibling) << h;
  }
}

TEST(HtmlReport, ShowsDeviceIdentitySafetyAndSummary) {
  const auto j = inspect(sample_report());
  ASSERT_FALSE(j.is_null());
  const std::string text = j["text"];
  for (const char* s : {"e7.3", "02:00:00:00:07:03", "02:00:00:00:07:13", "0x4019", "Buffer count (bufcnt)16",
                        "Sector count2 (1024 bytes of data per frame)", "aoeh reference target", "SIM-0007-03", "V1.0",
                        "1.07 GB (1.00 GiB), 2097152 sectors", "LBA48", "rack <4> & \"blue\"", "Safety record",
                        "sector 2097151", "Restore verifiedyes, re-read and compared", "Summary by area",
                        "Summary by level", "18446744073709551557", "capture.pcap #3 (Wireshark frame 4)"})
    EXPECT_NE(text.find(s), std::string::npos) << s;
  EXPECT_EQ(j["outcome"]["class"], "outcome fail");
  EXPECT_EQ(j["outcome"]["text"], "FAIL2 of 9 MUST tests failed");
}

TEST(HtmlReport, MarksBaselineChanges) {
  const auto j = inspect(sample_report());
  ASSERT_FALSE(j.is_null());
  EXPECT_NE(j["rows"]["test-1"].get<std::string>().find("newly failing"), std::string::npos);
  EXPECT_NE(j["rows"]["test-7"].get<std::string>().find("newly failing"), std::string::npos);
  EXPECT_NE(j["rows"]["test-8"].get<std::string>().find("newly passing"), std::string::npos);
  EXPECT_NE(j["rows"]["test-12"].get<std::string>().find("new test"), std::string::npos);
  EXPECT_EQ(j["rows"]["test-0"].get<std::string>().find("newly"), std::string::npos);
  const std::string text = j["text"];
  EXPECT_NE(text.find("Compared with baseline"), std::string::npos);
  EXPECT_NE(text.find("AOE.Header.Retired (no longer run)"), std::string::npos);
  EXPECT_NE(text.find("AOE.Cache.SmartOptional (was pass)"), std::string::npos);
  // The matrix outlines exactly the four tests whose verdict moved.
  int outlined = 0;
  for (const auto& rect : j["svgs"]["Verdicts by area"]["rects"]) outlined += rect["stroke"] == "#202124";
  EXPECT_EQ(outlined, 4 + 1);  // + the legend swatch
}

TEST(HtmlReport, WithoutBaselineThereAreNoMarkers) {
  Report r = sample_report();
  r.baseline.reset();
  const auto j = inspect(r);
  ASSERT_FALSE(j.is_null());
  const std::string text = j["text"];
  EXPECT_EQ(text.find("Compared with baseline"), std::string::npos);
  EXPECT_EQ(text.find("newly"), std::string::npos);
  EXPECT_EQ(text.find("changed since baseline"), std::string::npos);
}

TEST(HtmlReport, ChartsCoverEveryTestAndSample) {
  const Report r = sample_report();
  const auto j = inspect(r);
  ASSERT_FALSE(j.is_null());
  ASSERT_EQ(j["svgs"].size(), 3u);
  const auto& matrix = j["svgs"]["Verdicts by area"];
  std::set<std::string> linked;
  for (const auto& l : matrix["links"]) linked.insert(l);
  for (std::size_t i = 0; i < r.results.size(); ++i) EXPECT_TRUE(linked.count("#test-" + std::to_string(i))) << i;
  EXPECT_EQ(j["histogram_total"], r.rtt_samples_us.size());
  const std::string durations = j["svgs"]["Test durations, slowest first"]["text"];
  EXPECT_LT(durations.find("AOE.QueryConfig.OverlongString"), durations.find("AOE.ReadWrite.PatternCompare"));
  EXPECT_NE(durations.find("13 of 13 tests shown"), std::string::npos);
}

TEST(HtmlReport, OutcomeFollowsMustResults) {
  Report r = sample_report();
  for (auto& t : r.results)
    if (t.level == Level::Must && t.verdict == Verdict::Fail) t.verdict = Verdict::Pass;
  auto j = inspect(r);
  ASSERT_FALSE(j.is_null());
  EXPECT_EQ(j["outcome"]["class"], "outcome pass");
  EXPECT_EQ(j["outcome"]["text"], "PASSall 8 applicable MUST tests passed");
  r.results[0].verdict = Verdict::Error;
  j = inspect(r);
  ASSERT_FALSE(j.is_null());
  EXPECT_EQ(j["outcome"]["text"], "INCONCLUSIVE1 of 9 MUST tests could not be completed");
  j = inspect(Report{});
  ASSERT_FALSE(j.is_null());
  EXPECT_EQ(j["outcome"]["text"], "NO RESULTno tests ran");
  EXPECT_NE(j["text"].get<std::string>().find("No round-trip samples were recorded"), std::string::npos);
}

}  // namespace
}  // namespace aoeh::reports
