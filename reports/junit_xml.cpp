#include "reports/junit_xml.hpp"

#include <fmt/format.h>

#include "reports/evidence_text.hpp"
#include "reports/summary.hpp"
#include "reports/text_escape.hpp"
#include "reports/text_file.hpp"

namespace aoeh::reports {
namespace {
std::string seconds(std::int64_t ns) { return fmt::format("{:.6f}", static_cast<double>(ns) / 1e9); }

void property(std::string& out, std::string_view name, std::string_view value) {
  out += "      <property name=\"" + xml_escape(name) + "\" value=\"" + xml_escape(value) + "\"/>\n";
}

std::string joined(const std::vector<std::string>& items, std::string_view sep) {
  std::string s;
  for (const auto& item : items) {
    if (!s.empty()) s += sep;
    s += item;
  }
  return s;
}

void properties(std::string& out, const Report& r) {
  const DeviceIdentity& d = r.device;
  out += "    <properties>\n";
  property(out, "device.address", d.address);
  property(out, "device.macs", joined(d.macs, " "));
  property(out, "device.firmware", fmt::format("0x{:04x}", d.firmware));
  property(out, "device.buffer_count", std::to_string(d.buffer_count));
  property(out, "device.sector_count", std::to_string(d.sector_count));
  property(out, "device.model", d.model);
  property(out, "device.serial", d.serial);
  property(out, "device.ata_firmware", d.ata_firmware);
  property(out, "device.capacity_sectors", std::to_string(d.capacity_sectors));
  property(out, "device.lba48", d.lba48 ? "true" : "false");
  property(out, "device.config_string", d.config_string);
  property(out, "run.id", r.run_id);
  property(out, "run.mode", r.mode);
  property(out, "run.started_at", r.started_at);
  property(out, "run.tool_version", r.tool_version);
  if (r.seed) property(out, "run.seed", std::to_string(*r.seed));
  property(out, "safety.writes_allowed", r.safety.writes_allowed ? "true" : "false");
  property(out, "safety.touched", joined(r.safety.touched, "; "));
  property(out, "safety.restored", r.safety.restored ? "true" : "false");
  property(out, "safety.restore_verified", r.safety.restore_verified ? "true" : "false");
  if (r.baseline) property(out, "baseline.run_id", r.baseline->run_id);
  for (const auto& [k, v] : r.properties) property(out, "property." + k, v);
  out += "    </properties>\n";
}

// Body of <failure>/<error>: what a CI user needs without opening report.html.
std::string failure_body(const TestResult& t) {
  std::string body = t.message;
  body += "\nclause: " + t.clause + " (" + level_name(t.level) + ")";
  if (!t.evidence.empty()) body += "\n\n" + evidence_text(t.evidence);
  return body;
}

void testcase(std::string& out, const TestResult& t, bool compared) {
  out += "    <testcase name=\"" + xml_escape(t.name) + "\" classname=\"" + xml_escape(t.area) + "\" time=\"" +
         seconds(t.duration_ns) + "\"";
  std::string inner;
  const std::string level = level_name(t.level);
  switch (t.verdict) {
    case Verdict::Pass: break;
    case Verdict::Fail:
      inner += "      <failure message=\"" + xml_escape(t.message) + "\" type=\"" + level + "\">" +
               xml_escape_text(failure_body(t)) + "</failure>\n";
      break;
    case Verdict::Error:
      inner += "      <error message=\"" + xml_escape(t.message) + "\" type=\"error\">" + xml_escape_text(failure_body(t)) +
               "</error>\n";
      break;
    case Verdict::Skip:
      inner += "      <skipped message=\"" + xml_escape(t.message) + "\"/>\n";
      break;
    case Verdict::NotApplicable:
      inner += "      <skipped message=\"" + xml_escape("not applicable: " + t.message) + "\"/>\n";
      break;
  }
  std::string about = t.description + "\nclause: " + t.clause + "\nlevel: " + level +
                      "\nverdict: " + verdict_name(t.verdict) + (t.writes ? "\nwrites: yes" : "");
  if (!t.needs.empty()) about += "\nneeds: " + joined(t.needs, ", ");
  if (compared) {
    about += "\nbaseline: ";
    about += t.baseline_verdict ? verdict_name(*t.baseline_verdict) : "(not in baseline)";
    about += std::string(" -> ") + baseline_change_name(baseline_change(t));
  }
  if (t.verdict == Verdict::Pass && !t.evidence.empty()) about += "\n\n" + evidence_text(t.evidence);
  inner += "      <system-out>" + xml_escape_text(about) + "</system-out>\n";
  out += ">\n" + inner + "    </testcase>\n";
}
}  // namespace

std::string to_junit_xml(const Report& report) {
  const Summary s = summarize(report);
  // Not-applicable tests are reported as skipped: JUnit has no other "did not run" state.
  const std::size_t skipped = s.all.skip + s.all.not_applicable;
  const std::string suite_name = "aoeh certify" + (report.device.address.empty() ? "" : " " + report.device.address);
  const std::string counts = fmt::format("tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\"",
                                         s.all.total(), s.all.fail, s.all.error, skipped, seconds(s.total_duration_ns));
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"" + xml_escape(suite_name) + "\" " + counts + ">\n";
  out += "  <testsuite name=\"" + xml_escape(suite_name) + "\" " + counts + ">\n";
  properties(out, report);
  for (const TestResult& t : report.results) testcase(out, t, report.baseline.has_value());
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

bool write_junit_xml(const Report& report, const std::filesystem::path& path, std::string* error) {
  return write_text_file(path, to_junit_xml(report), error);
}

}  // namespace aoeh::reports
