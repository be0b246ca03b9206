#pragma once
// Text hygiene for the writers: everything that reaches results.json, junit.xml or report.html comes
// from targets and test code and may hold invalid UTF-8, control bytes or markup.
#include <string>
#include <string_view>

namespace aoeh::reports {

// Valid UTF-8 with every malformed sequence replaced by U+FFFD.
std::string sanitize_utf8(std::string_view text);

// XML 1.0 text/attribute content: sanitized UTF-8, & < > " ' escaped, tab/LF/CR as character
// references (so attributes keep them), other C0 controls and U+FFFE/U+FFFF (illegal in XML 1.0 even
// as references) replaced by U+FFFD.
std::string xml_escape(std::string_view text);

// XML element content: as xml_escape, but tab and LF stay literal (parsers keep them in text, and
// junit.xml stays readable); CR is still a reference because parsers would normalise it away.
std::string xml_escape_text(std::string_view text);

// HTML text/attribute content: the same rules (HTML forbids the same control characters).
inline std::string html_escape(std::string_view text) { return xml_escape(text); }

}  // namespace aoeh::reports
