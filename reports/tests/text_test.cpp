#include <gtest/gtest.h>

#include "reports/evidence_text.hpp"
#include "reports/model.hpp"
#include "reports/text_escape.hpp"

namespace aoeh::reports {
namespace {

TEST(ReportNames, VerdictNamesRoundTrip) {
  for (Verdict v : {Verdict::Pass, Verdict::Fail, Verdict::Skip, Verdict::NotApplicable, Verdict::Error})
    EXPECT_EQ(verdict_from_name(verdict_name(v)), v) << verdict_name(v);
  EXPECT_STREQ(verdict_name(Verdict::NotApplicable), "n/a");
  EXPECT_FALSE(verdict_from_name("PASS").has_value());
  EXPECT_FALSE(verdict_from_name("").has_value());
}

TEST(ReportNames, LevelNamesRoundTrip) {
  for (Level l : {Level::Must, Level::Should, Level::May}) EXPECT_EQ(level_from_name(level_name(l)), l);
  EXPECT_STREQ(level_name(Level::Should), "SHOULD");
  EXPECT_FALSE(level_from_name("must").has_value());
}

TEST(XmlEscape, EscapesMarkupQuotesAndWhitespaceControls) {
  EXPECT_EQ(xml_escape("<a href=\"x\">&'</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(xml_escape("a\tb\nc\rd"), "a&#9;b&#10;c&#13;d");
  EXPECT_EQ(xml_escape("plain text"), "plain text");
}

TEST(XmlEscape, ElementTextKeepsTabAndNewlineLiteral) {
  EXPECT_EQ(xml_escape_text("a\tb\nc\rd<"), "a\tb\nc&#13;d&lt;");
}

TEST(XmlEscape, ReplacesCharactersXmlForbids) {
  EXPECT_EQ(xml_escape(std::string("a\x01" "b", 3)), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(xml_escape(std::string("\0", 1)), "\xEF\xBF\xBD");
  EXPECT_EQ(xml_escape("\xEF\xBF\xBE"), "\xEF\xBF\xBD");  // U+FFFE
  EXPECT_EQ(xml_escape("\xC2\xB5 \xE2\x9C\x93 \xF0\x9F\x98\x80"), "\xC2\xB5 \xE2\x9C\x93 \xF0\x9F\x98\x80");
}

TEST(SanitizeUtf8, ReplacesEveryMalformedSequence) {
  EXPECT_EQ(sanitize_utf8("ok \xC3\xA9"), "ok \xC3\xA9");
  EXPECT_EQ(sanitize_utf8("\xFF"), "\xEF\xBF\xBD");
  EXPECT_EQ(sanitize_utf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");            // overlong '/'
  EXPECT_EQ(sanitize_utf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate D800
  EXPECT_EQ(sanitize_utf8("x\xE2\x9C"), "x\xEF\xBF\xBD\xEF\xBF\xBD");          // truncated at the end
  EXPECT_EQ(sanitize_utf8("\xF4\x90\x80\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // > U+10FFFF
}

TEST(HexDump, GroupsSixteenBytesPerLineWithOffsets) {
  std::string hex;
  for (int i = 0; i < 18; ++i) hex += "0" + std::string(1, "0123456789abcdef"[i % 16]);
  EXPECT_EQ(hex_dump(hex),
            "0000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f\n"
            "0010  00 01");
  EXPECT_EQ(hex_dump("AB:CD-ef 01"), "0000  ab cd ef 01");
  EXPECT_EQ(hex_byte_count("ab cd"), 2);
}

TEST(HexDump, LeavesAnythingElseUnchanged) {
  EXPECT_EQ(hex_dump("abc"), "abc");  // odd digit count
  EXPECT_EQ(hex_dump("zz <i>"), "zz <i>");
  EXPECT_EQ(hex_byte_count("abc"), -1);
}

TEST(EvidenceText, HeadingNamesDirectionPortSizeCaptureAndNote) {
  EvidenceFrame e;
  e.sent = false;
  e.port = "eth1";
  e.time_ns = 1'234'567;
  e.hex = "00112233";
  e.capture_index = 12;
  e.note = "expected Error 2";
  EXPECT_EQ(evidence_heading(e), "received on eth1 at t=1.234567 ms, 4 bytes, capture #12 (Wireshark frame 13): expected Error 2");
  e.capture_index.reset();
  e.sent = true;
  e.note.clear();
  EXPECT_EQ(evidence_heading(e), "sent on eth1 at t=1.234567 ms, 4 bytes");
}

TEST(FormatDuration, PicksAReadableUnit) {
  EXPECT_EQ(format_duration(850), "850 ns");
  EXPECT_EQ(format_duration(12'340), "12.3 us");
  EXPECT_EQ(format_duration(4'560'000), "4.56 ms");
  EXPECT_EQ(format_duration(1'200'000'000), "1.20 s");
}

}  // namespace
}  // namespace aoeh::reports
