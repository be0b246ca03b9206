#include "reports/html_report.hpp"

#include <fmt/format.h>
#include <optional>

#include "reports/evidence_text.hpp"
#include "reports/html_style.hpp"
#include "reports/summary.hpp"
#include "reports/svg_charts.hpp"
#include "reports/text_escape.hpp"
#include "reports/text_file.hpp"

namespace aoeh::reports {
namespace {
constexpr Verdict kColumns[] = {Verdict::Pass, Verdict::Fail, Verdict::Error, Verdict::Skip, Verdict::NotApplicable};

std::string esc(std::string_view s) { return html_escape(s); }

// CSS class for a verdict (fixed names: data never reaches a class attribute).
const char* css(Verdict v) {
  switch (v) {
    case Verdict::Pass: return "pass";
    case Verdict::Fail: return "fail";
    case Verdict::Error: return "error";
    case Verdict::Skip: return "skip";
    case Verdict::NotApplicable: return "na";
  }
  return "";
}

std::string badge(Verdict v) { return fmt::format("<span class=\"badge {}\">{}</span>", css(v), verdict_name(v)); }

std::string or_dash(const std::string& s) { return s.empty() ? "<span class=\"desc\">&#8212;</span>" : esc(s); }

std::string yes_no(bool ok, const char* yes, const char* no) {
  return fmt::format("<span class=\"{}\">{}</span>", ok ? "ok" : "bad", ok ? yes : no);
}

std::string capacity(std::uint64_t sectors) {
  if (sectors == 0) return "<span class=\"desc\">unknown</span>";
  const double bytes = static_cast<double>(sectors) * 512.0;
  return fmt::format("{:.2f} GB ({:.2f} GiB), {} sectors of 512 bytes", bytes / 1e9, bytes / (1024.0 * 1024 * 1024),
                     sectors);
}

void kv(std::string& h, std::string_view key, const std::string& value_html) {
  h += "<tr><th>" + esc(key) + "</th><td>" + value_html + "</td></tr>";
}

std::string delta_badge(const TestResult& t) {
  switch (baseline_change(t)) {
    case BaselineChange::NewlyFailing: return "<span class=\"delta worse\">&#9660; newly failing</span>";
    case BaselineChange::NewlyPassing: return "<span class=\"delta better\">&#9650; newly passing</span>";
    case BaselineChange::Changed: return "<span class=\"delta changed\">changed</span>";
    case BaselineChange::New: return "<span class=\"delta new\">new test</span>";
    case BaselineChange::Unchanged: return "";
  }
  return "";
}

// A stacked bar of verdict shares.
std::string share_bar(const VerdictCounts& c) {
  std::string h = "<div class=\"bar\">";
  for (Verdict v : kColumns) {
    if (c.of(v) == 0) continue;
    h += fmt::format("<span style=\"width:{:.2f}%;background:{}\" title=\"{} {}\"></span>",
                     100.0 * static_cast<double>(c.of(v)) / static_cast<double>(c.total()), verdict_colour(v), c.of(v),
                     verdict_name(v));
  }
  return h + "</div>";
}

void header(std::string& h, const Report& r, const Summary& s) {
  const std::size_t must_total = s.by_level[0].second.total();
  std::string cls, big, line;
  if (s.all.total() == 0) {
    cls = "inconclusive", big = "NO RESULT", line = "no tests ran";
  } else if (s.must_failed > 0) {
    cls = "fail", big = "FAIL", line = fmt::format("{} of {} MUST tests failed", s.must_failed, must_total);
  } else if (s.must_errors > 0) {
    cls = "inconclusive", big = "INCONCLUSIVE",
    line = fmt::format("{} of {} MUST tests could not be completed", s.must_errors, must_total);
  } else {
    cls = "pass", big = "PASS", line = fmt::format("all {} applicable MUST tests passed", s.by_level[0].second.pass);
  }
  h += "<header class=\"top\"><div class=\"wrap headline\"><div>";
  h += "<h1>AoE conformance report" + (r.device.address.empty() ? "" : " &#8212; target " + esc(r.device.address)) + "</h1>";
  h += "<div class=\"sub\">";
  h += "mode <b>" + or_dash(r.mode) + "</b> &#183; run <b>" + or_dash(r.run_id) + "</b> &#183; started <b>" +
       or_dash(r.started_at) + "</b> &#183; aoeh <b>" + or_dash(r.tool_version) + "</b>";
  h += "</div></div>";
  h += "<div class=\"outcome " + cls + "\"><span class=\"big\">" + big + "</span>" + esc(line) + "</div>";
  h += "</div></header>";
}

void tiles(std::string& h, const Summary& s) {
  h += "<section class=\"tiles\">";
  for (Verdict v : kColumns)
    h += fmt::format("<div class=\"tile {}\"><div class=\"n\">{}</div><div class=\"l\">{}</div></div>", css(v), s.all.of(v),
                     v == Verdict::NotApplicable ? "not applicable" : verdict_name(v));
  h += fmt::format("<div class=\"tile\"><div class=\"n\">{}</div><div class=\"l\">tests</div></div>", s.all.total());
  h += fmt::format("<div class=\"tile\"><div class=\"n\">{}</div><div class=\"l\">test time</div></div>",
                   esc(format_duration(s.total_duration_ns)));
  h += "</section>";
}

// Test names (each with an optional suffix such as "(new)"), linked to their rows when this run has them.
void name_list(std::string& h, const char* title, const char* css_class,
               const std::vector<std::pair<std::string, std::string>>& names, const Report& r) {
  h += fmt::format("<div><h3><span class=\"delta {}\">{}</span> {}</h3>", css_class, names.size(), title);
  if (names.empty()) {
    h += "<div class=\"desc\">none</div></div>";
    return;
  }
  h += "<ul class=\"names\">";
  for (const auto& [n, suffix] : names) {
    std::size_t index = r.results.size();
    for (std::size_t i = r.results.size(); i-- > 0;)
      if (r.results[i].name == n) index = i;
    const std::string tail = suffix.empty() ? "" : " <span class=\"desc\">" + esc(suffix) + "</span>";
    h += index < r.results.size() ? fmt::format("<li><a href=\"#test-{}\">{}</a>{}</li>", index, esc(n), tail)
                                  : "<li>" + esc(n) + tail + "</li>";
  }
  h += "</ul></div>";
}

std::optional<Verdict> find_verdict_before(const Report& r, const std::string& name) {
  for (const TestResult& t : r.results)
    if (t.name == name) return t.baseline_verdict;
  return std::nullopt;
}

void baseline_section(std::string& h, const Report& r, const Summary& s) {
  const BaselineInfo& b = *r.baseline;
  h += "<section class=\"card\"><h2>Compared with baseline</h2>";
  h += "<div class=\"desc\">run <b>" + or_dash(b.run_id) + "</b>, started " + or_dash(b.started_at) +
       (b.path.empty() ? "" : ", from <span class=\"mono\">" + esc(b.path) + "</span>") + "</div>";
  h += "<div class=\"grid2\" style=\"margin-top:12px;grid-template-columns:repeat(3,1fr)\">";
  using Names = std::vector<std::pair<std::string, std::string>>;
  auto plain = [](const std::vector<std::string>& names, const std::string& suffix) {
    Names out;
    for (const auto& n : names) out.emplace_back(n, suffix);
    return out;
  };
  name_list(h, "newly failing", "worse", plain(s.newly_failing, ""), r);
  name_list(h, "newly passing", "better", plain(s.newly_passing, ""), r);
  Names other = plain(s.changed, "");
  for (auto& n : other)
    if (const auto before = find_verdict_before(r, n.first)) n.second = std::string("(was ") + verdict_name(*before) + ")";
  for (auto& n : plain(s.added, "(new test)")) other.push_back(n);
  for (auto& n : plain(b.removed, "(no longer run)")) other.push_back(n);
  name_list(h, "other changes", "changed", other, r);
  h += "</div></section>";
}

void identity_and_safety(std::string& h, const Report& r) {
  const DeviceIdentity& d = r.device;
  h += "<section class=\"grid2\"><div class=\"card\"><h2>Device identity</h2><table class=\"kv\">";
  kv(h, "Address (shelf.slot)", "<span class=\"mono\">" + or_dash(d.address) + "</span>");
  std::string macs;
  for (const auto& m : d.macs) macs += (macs.empty() ? "" : "<br/>") + ("<span class=\"mono\">" + esc(m) + "</span>");
  kv(h, d.macs.size() == 1 ? "MAC address" : fmt::format("MAC addresses ({})", d.macs.size()), macs.empty() ? or_dash("") : macs);
  kv(h, "AoE firmware version", fmt::format("<span class=\"mono\">0x{:04x}</span> ({})", d.firmware, d.firmware));
  kv(h, "Buffer count (bufcnt)", std::to_string(d.buffer_count));
  kv(h, "Sector count", fmt::format("{} ({} bytes of data per frame)", d.sector_count, d.sector_count * 512));
  kv(h, "Model (IDENTIFY)", or_dash(d.model));
  kv(h, "Serial (IDENTIFY)", or_dash(d.serial));
  kv(h, "ATA firmware (IDENTIFY)", or_dash(d.ata_firmware));
  kv(h, "Capacity", capacity(d.capacity_sectors));
  kv(h, "Addressing", d.lba48 ? "LBA48" : "LBA28 only");
  kv(h, "Config string", d.config_string.empty() ? or_dash("") : "<span class=\"mono\">" + esc(d.config_string) + "</span>");
  h += "</table></div><div>";

  h += "<div class=\"card\"><h2>Safety record</h2><table class=\"kv\">";
  const SafetyRecord& sr = r.safety;
  kv(h, "Writes", sr.writes_allowed ? "allowed (<span class=\"mono\">--allow-write</span>)" : "not allowed: read-only run");
  std::string touched;
  for (const auto& t : sr.touched) touched += "<span class=\"tag\">" + esc(t) + "</span>";
  kv(h, "Touched", touched.empty() ? "nothing" : touched);
  if (sr.writes_allowed || !sr.touched.empty()) {
    kv(h, "Restored", yes_no(sr.restored, "yes", "NO"));
    kv(h, "Restore verified", yes_no(sr.restore_verified, "yes, re-read and compared", "NO"));
  }
  if (!sr.detail.empty()) kv(h, "Detail", esc(sr.detail));
  h += "</table></div>";

  h += "<div class=\"card\" style=\"margin-top:18px\"><h2>Run</h2><table class=\"kv\">";
  kv(h, "Mode", or_dash(r.mode));
  kv(h, "Run id", "<span class=\"mono\">" + or_dash(r.run_id) + "</span>");
  kv(h, "Started", or_dash(r.started_at));
  kv(h, "aoeh version", or_dash(r.tool_version));
  if (r.seed) kv(h, "Seed", "<span class=\"mono\">" + std::to_string(*r.seed) + "</span>");
  for (const auto& [k, v] : r.properties) kv(h, k, esc(v));
  h += "</table></div></div></section>";
}

void counts_row(std::string& h, const std::string& label_html, const VerdictCounts& c) {
  h += "<tr><td>" + label_html + "</td>" + fmt::format("<td class=\"num\">{}</td>", c.total());
  for (Verdict v : kColumns) h += fmt::format("<td class=\"num\">{}</td>", c.of(v) ? std::to_string(c.of(v)) : "&#183;");
  h += "<td>" + share_bar(c) + "</td></tr>";
}

void counts_head(std::string& h, const char* first) {
  h += fmt::format("<table class=\"data\"><tr><th>{}</th><th class=\"num\">tests</th>", first);
  for (Verdict v : kColumns) h += fmt::format("<th class=\"num\">{}</th>", verdict_name(v));
  h += "<th style=\"width:28%\">share</th></tr>";
}

void summary_tables(std::string& h, const Summary& s) {
  h += "<section class=\"card\"><h2>Summary by area</h2>";
  counts_head(h, "area");
  for (std::size_t a = 0; a < s.by_area.size(); ++a)
    counts_row(h, fmt::format("<a href=\"#area-{}\">{}</a>", a, esc(s.by_area[a].first.empty() ? "(no area)" : s.by_area[a].first)),
               s.by_area[a].second);
  counts_row(h, "<b>all</b>", s.all);
  h += "</table><h2 style=\"margin-top:18px\">Summary by level</h2>";
  counts_head(h, "level");
  for (const auto& [level, counts] : s.by_level) counts_row(h, level_name(level), counts);
  h += "</table></section>";
}

void charts(std::string& h, const Report& r) {
  h += "<section class=\"card\"><h2>Verdict matrix by area</h2><div class=\"desc\">One square per test; follow a "
       "square to its result.</div><div class=\"chart\">" +
       verdict_matrix_svg(r) + "</div></section>";
  h += "<section class=\"card\"><h2>Round-trip times</h2><div class=\"chart\">" + rtt_histogram_svg(r.rtt_samples_us) +
       "</div></section>";
  h += "<section class=\"card\"><h2>Test durations</h2><div class=\"chart\">" + duration_chart_svg(r.results) +
       "</div></section>";
}

void evidence(std::string& h, const TestResult& t) {
  if (t.evidence.empty()) return;
  h += is_failing(t.verdict) ? "<details open=\"open\">" : "<details>";
  h += fmt::format("<summary>evidence: {} frame{}</summary>", t.evidence.size(), t.evidence.size() == 1 ? "" : "s");
  for (const EvidenceFrame& e : t.evidence) {
    h += e.sent ? "<div class=\"frame\">" : "<div class=\"frame recv\">";
    std::string head = e.sent ? "&#8594; sent" : "&#8592; received";
    if (!e.port.empty()) head += " on <span class=\"mono\">" + esc(e.port) + "</span>";
    head += fmt::format(" at t={:.6f} ms", static_cast<double>(e.time_ns) / 1e6);
    if (const long n = hex_byte_count(e.hex); n >= 0) head += fmt::format(", {} bytes", n);
    head += e.capture_index ? fmt::format(", capture.pcap #{} (Wireshark frame {})", *e.capture_index, *e.capture_index + 1)
                            : ", not in capture";
    h += "<div class=\"head\">" + head + "</div>";
    if (!e.note.empty()) h += "<div class=\"note\">" + esc(e.note) + "</div>";
    if (!e.hex.empty()) h += "<pre>" + esc(hex_dump(e.hex)) + "</pre>";
    h += "</div>";
  }
  h += "</details>";
}

void results(std::string& h, const Report& r, const Summary& s) {
  h += "<section><h2>Results</h2>";
  for (std::size_t a = 0; a < s.by_area.size(); ++a) {
    const auto& [area, counts] = s.by_area[a];
    h += fmt::format("<div class=\"card\" style=\"margin-top:14px\" id=\"area-{}\"><h3>{} <span class=\"desc\">{} of {} "
                     "passed</span></h3>",
                     a, esc(area.empty() ? "(no area)" : area), counts.pass, counts.total());
    // Fixed column widths so every area's table lines up with the others.
    h += "<table class=\"data results\"><colgroup><col style=\"width:86px\"/><col style=\"width:33%\"/>"
         "<col style=\"width:84px\"/><col style=\"width:112px\"/><col style=\"width:92px\"/><col/></colgroup>"
         "<tr><th>verdict</th><th>test</th><th>level</th><th>clause</th><th class=\"num\">time</th><th>result</th></tr>";
    for (std::size_t i = 0; i < r.results.size(); ++i) {
      const TestResult& t = r.results[i];
      if (t.area != area) continue;
      const bool has_evidence = !t.evidence.empty();
      h += fmt::format("<tr id=\"test-{}\" class=\"t-{}{}\"><td>{}</td><td><div class=\"name\">{}{}</div>", i,
                       css(t.verdict), has_evidence ? " has-ev" : "", badge(t.verdict), esc(t.name),
                       r.baseline ? delta_badge(t) : "");
      if (!t.description.empty()) h += "<div class=\"desc\">" + esc(t.description) + "</div>";
      if (t.writes) h += "<span class=\"tag\">writes</span>";
      for (const auto& n : t.needs) h += "<span class=\"tag\">needs " + esc(n) + "</span>";
      h += "</td>";
      const char* level_css = t.level == Level::Must ? "must" : t.level == Level::Should ? "should" : "";
      h += fmt::format("<td><span class=\"tag {}\">{}</span></td>", level_css, level_name(t.level));
      h += "<td class=\"mono\">" + or_dash(t.clause) + "</td>";
      h += "<td class=\"num\">" + esc(format_duration(t.duration_ns)) + "</td><td>";
      if (!t.message.empty()) h += "<div class=\"msg\">" + esc(t.message) + "</div>";
      if (r.baseline && t.baseline_verdict && *t.baseline_verdict != t.verdict)
        h += fmt::format("<div class=\"desc\">baseline: {}</div>", verdict_name(*t.baseline_verdict));
      h += "</td></tr>";
      // Evidence gets a full-width row of its own: hex dumps need the room.
      if (has_evidence) {
        h += fmt::format("<tr class=\"t-{} ev\"><td></td><td colspan=\"5\">", css(t.verdict));
        evidence(h, t);
        h += "</td></tr>";
      }
    }
    h += "</table></div>";
  }
  if (s.by_area.empty()) h += "<div class=\"card desc\">No tests ran.</div>";
  h += "</section>";
}
}  // namespace

std::string to_report_html(const Report& report) {
  const Summary s = summarize(report);
  std::string h;
  h.reserve(64 * 1024);
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>";
  h += "<title>AoE conformance report" + (report.device.address.empty() ? "" : ": " + esc(report.device.address)) +
       "</title><style>";
  h += kReportCss;
  h += "</style></head><body>";
  header(h, report, s);
  h += "<main class=\"wrap\">";
  tiles(h, s);
  if (report.baseline) baseline_section(h, report, s);
  identity_and_safety(h, report);
  summary_tables(h, s);
  charts(h, report);
  results(h, report, s);
  h += "</main><footer class=\"wrap\">Generated by aoeh " + or_dash(report.tool_version) +
       ". This run's files: <a href=\"results.json\">results.json</a> &#183; <a href=\"junit.xml\">junit.xml</a> &#183; "
       "<a href=\"capture.pcap\">capture.pcap</a> (frame numbers above refer to it).</footer>";
  h += "</body></html>\n";
  return h;
}

bool write_report_html(const Report& report, const std::filesystem::path& path, std::string* error) {
  return write_text_file(path, to_report_html(report), error);
}

}  // namespace aoeh::reports
