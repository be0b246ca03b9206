#pragma once
// Plain-text rendering of evidence frames, shared by junit.xml (failure bodies) and report.html.
#include <string>
#include <string_view>
#include <vector>

#include "reports/model.hpp"

namespace aoeh::reports {

// "0000  01 02 03 ...  (16 bytes a line)". Hex digits are read from `hex` ignoring whitespace, ':' and
// '-'; anything else (or an odd digit count) returns the input unchanged so nothing is hidden.
std::string hex_dump(std::string_view hex);

// Byte count of a hex string as hex_dump reads it, or -1 when it is not clean hex.
long hex_byte_count(std::string_view hex);

// One frame's heading: "sent on eth0 at t=1.234567 ms, 60 bytes, capture #12 (Wireshark frame 13): <note>".
std::string evidence_heading(const EvidenceFrame& e);

// Every frame: heading plus hex dump, blank line between frames.
std::string evidence_text(const std::vector<EvidenceFrame>& evidence);

// Nanoseconds as a short human figure: "850 ns", "12.3 us", "4.56 ms", "1.20 s".
std::string format_duration(std::int64_t ns);

}  // namespace aoeh::reports
