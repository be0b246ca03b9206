#include "reports/evidence_text.hpp"

#include <cctype>
#include <fmt/format.h>
#include <optional>

namespace aoeh::reports {
namespace {
// The hex digits of `hex` without separators, or nullopt if it holds anything else.
std::optional<std::string> clean_hex(std::string_view hex) {
  std::string digits;
  digits.reserve(hex.size());
  for (char c : hex) {
    if (std::isxdigit(static_cast<unsigned char>(c))) {
      digits += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!(c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == ':' || c == '-')) {
      return std::nullopt;
    }
  }
  if (digits.size() % 2 != 0) return std::nullopt;
  return digits;
}
}  // namespace

long hex_byte_count(std::string_view hex) {
  const auto digits = clean_hex(hex);
  return digits ? static_cast<long>(digits->size() / 2) : -1;
}

std::string hex_dump(std::string_view hex) {
  const auto digits = clean_hex(hex);
  if (!digits) return std::string(hex);
  std::string out;
  const std::size_t bytes = digits->size() / 2;
  for (std::size_t line = 0; line < bytes; line += 16) {
    if (line) out += '\n';
    out += fmt::format("{:04x} ", line);
    for (std::size_t b = line; b < bytes && b < line + 16; ++b) {
      out += (b - line == 8) ? "  " : " ";
      out.append(*digits, b * 2, 2);
    }
  }
  return out;
}

std::string format_duration(std::int64_t ns) {
  const double v = static_cast<double>(ns);
  if (ns < 0) return "-" + format_duration(-ns);
  if (ns < 1'000) return fmt::format("{} ns", ns);
  if (ns < 1'000'000) return fmt::format("{:.1f} us", v / 1e3);
  if (ns < 1'000'000'000) return fmt::format("{:.2f} ms", v / 1e6);
  return fmt::format("{:.2f} s", v / 1e9);
}

std::string evidence_heading(const EvidenceFrame& e) {
  std::string s = e.sent ? "sent" : "received";
  if (!e.port.empty()) s += " on " + e.port;
  s += fmt::format(" at t={:.6f} ms", static_cast<double>(e.time_ns) / 1e6);
  const long bytes = hex_byte_count(e.hex);
  if (bytes >= 0) s += fmt::format(", {} bytes", bytes);
  // capture_index is 0-based; Wireshark numbers frames from 1.
  if (e.capture_index) s += fmt::format(", capture #{} (Wireshark frame {})", *e.capture_index, *e.capture_index + 1);
  if (!e.note.empty()) s += ": " + e.note;
  return s;
}

std::string evidence_text(const std::vector<EvidenceFrame>& evidence) {
  std::string out;
  for (const EvidenceFrame& e : evidence) {
    if (!out.empty()) out += "\n\n";
    out += evidence_heading(e);
    if (!e.hex.empty()) out += "\n" + hex_dump(e.hex);
  }
  return out;
}

}  // namespace aoeh::reports
