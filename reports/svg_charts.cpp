#include "reports/svg_charts.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <numeric>

#include "reports/evidence_text.hpp"
#include "reports/summary.hpp"
#include "reports/text_escape.hpp"

namespace aoeh::reports {
namespace {
constexpr Verdict kVerdicts[] = {Verdict::Pass, Verdict::Fail, Verdict::Error, Verdict::Skip, Verdict::NotApplicable};
constexpr const char* kFont = "font-family=\"-apple-system,Segoe UI,Helvetica,Arial,sans-serif\"";

double nice_step(double range, std::size_t max_bins) {
  const double raw = range / static_cast<double>(std::max<std::size_t>(max_bins, 1));
  if (!(raw > 0)) return 1;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw) return m * mag;
  return 10 * mag;
}

// Short axis label: "1.5", "250", "12k".
std::string axis_number(double v) {
  if (std::fabs(v) >= 10'000) return fmt::format("{:g}k", v / 1000);
  return fmt::format("{:g}", std::round(v * 1000) / 1000);
}

std::string svg_open(int width, int height, const std::string& label) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {1}\" width=\"100%\" "
      "style=\"max-width:{0}px\" role=\"img\" aria-label=\"{2}\" {3} font-size=\"12\">"
      "<title>{2}</title>",
      width, height, html_escape(label), kFont);
}

void legend(std::string& svg, int x, int y) {
  for (Verdict v : kVerdicts) {
    svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" rx=\"2\" fill=\"{}\"/>", x, y - 10,
                       verdict_colour(v));
    svg += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#3c4043\">{}</text>", x + 17, y, verdict_name(v));
    x += 30 + 8 * static_cast<int>(std::string_view(verdict_name(v)).size()) + 14;
  }
}

// Axis label for 10^exp nanoseconds: "100 ns", "10 us", "1 ms", "1 s".
std::string decade_label(int exp) {
  static constexpr const char* kUnits[] = {"ns", "us", "ms", "s"};
  if (exp < 0) return "0";
  const int unit = std::min(exp / 3, 3);
  return fmt::format("{:g} {}", std::pow(10.0, exp - 3 * unit), kUnits[unit]);
}

std::string truncate(const std::string& s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t cut = max - 1;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 sequence
  return s.substr(0, cut) + "\xE2\x80\xA6";                                       // ellipsis
}
}  // namespace

const char* verdict_colour(Verdict v) {
  switch (v) {
    case Verdict::Pass: return "#1e8e3e";
    case Verdict::Fail: return "#d93025";
    case Verdict::Error: return "#e37400";
    case Verdict::Skip: return "#9aa0a6";
    case Verdict::NotApplicable: return "#d2d6db";
  }
  return "#000";
}

double sorted_quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const double pos = std::clamp(q, 0.0, 1.0) * static_cast<double>(sorted.size() - 1);
  const auto i = static_cast<std::size_t>(std::floor(pos));
  if (i + 1 >= sorted.size()) return sorted.back();
  return sorted[i] + (sorted[i + 1] - sorted[i]) * (pos - static_cast<double>(i));
}

std::vector<HistogramBin> make_histogram(const std::vector<double>& samples, std::size_t max_bins) {
  std::vector<double> v;
  for (double s : samples)
    if (std::isfinite(s)) v.push_back(s);
  if (v.empty()) return {};
  std::sort(v.begin(), v.end());
  max_bins = std::max<std::size_t>(max_bins, 2);
  const double min = v.front(), max = v.back();
  // Tukey's far-out fence: beyond Q3 + 3 IQR is a tail (timeouts, retransmits) that would squash the body.
  const double q3 = sorted_quantile(v, 0.75);
  const double fence = q3 + 3 * (q3 - sorted_quantile(v, 0.25));
  const bool tail = max > fence && fence > min;
  const double top = tail ? fence : max;
  const std::size_t body_bins = tail ? max_bins - 1 : max_bins;
  double step = nice_step(top - min, body_bins);
  if (top == min) step = nice_step(std::max(std::fabs(min), 1.0), 10);
  const double lo = std::floor(min / step) * step;
  std::size_t n = static_cast<std::size_t>(std::floor((top - lo) / step)) + 1;  // top itself lands in the last bin
  // Rounding lo down can need one bin more than asked for; a coarser step fixes that.
  while (n > body_bins) {
    step = nice_step(step * static_cast<double>(body_bins) * 1.01, body_bins);
    n = static_cast<std::size_t>(std::floor((top - std::floor(min / step) * step) / step)) + 1;
  }
  const double start = std::floor(min / step) * step;
  std::vector<HistogramBin> bins(n);
  for (std::size_t i = 0; i < n; ++i) {
    bins[i].lo = start + step * static_cast<double>(i);
    bins[i].hi = bins[i].lo + step;
  }
  const double body_end = bins.back().hi;
  bool any_overflow = false;
  for (double s : v) any_overflow |= s >= body_end;
  if (any_overflow) bins.push_back({body_end, max, 0, true});
  for (double s : v) {
    if (s >= body_end) {
      ++bins.back().count;
    } else {
      const auto i = static_cast<std::size_t>(std::floor((s - start) / step));
      ++bins[std::min(i, n - 1)].count;
    }
  }
  return bins;
}

std::string rtt_histogram_svg(const std::vector<double>& samples_us) {
  constexpr int W = 1100, H = 300, L = 60, R = 300, T = 20, B = 50;
  std::string svg = svg_open(W, H, "Round-trip time histogram");
  const auto bins = make_histogram(samples_us);
  if (bins.empty()) {
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#5f6368\">No round-trip samples were "
                       "recorded in this run.</text></svg>",
                       W / 2, H / 2);
    return svg;
  }
  std::size_t peak = 0;
  for (const auto& b : bins) peak = std::max(peak, b.count);
  const double ystep = nice_step(static_cast<double>(peak), 5);
  const double ymax = std::ceil(static_cast<double>(peak) / ystep) * ystep;
  const int pw = W - L - R, ph = H - T - B;
  // Grid and y axis.
  for (double y = 0; y <= ymax + 1e-9; y += ystep) {
    const double py = T + ph - y / ymax * ph;
    svg += fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#e8eaed\"/>", L, L + pw, py, py);
    svg += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\" fill=\"#5f6368\">{}</text>", L - 6, py + 4,
                       axis_number(y));
  }
  const double bw = static_cast<double>(pw) / static_cast<double>(bins.size());
  const std::size_t label_every = std::max<std::size_t>(1, (bins.size() + 7) / 8);
  for (std::size_t i = 0; i < bins.size(); ++i) {
    const auto& b = bins[i];
    const double h = static_cast<double>(b.count) / ymax * ph;
    const double x = L + bw * static_cast<double>(i);
    const std::string range = b.overflow ? fmt::format(">= {:g} us", b.lo) : fmt::format("{:g}-{:g} us", b.lo, b.hi);
    svg += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"><title>{}: {} samples</title></rect>",
        x + 1, T + ph - h, std::max(bw - 2, 1.0), h, b.overflow ? "#b06000" : "#4a6fa5", range, b.count);
    if (b.overflow) {
      svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\" fill=\"#b06000\">&gt;{}</text>", x + bw / 2,
                         T + ph + 16, axis_number(b.lo));
    } else if (i % label_every == 0) {
      svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\" fill=\"#5f6368\">{}</text>", x, T + ph + 16,
                         axis_number(b.lo));
    }
  }
  svg += fmt::format("<line x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" stroke=\"#5f6368\"/>", L, L + pw, T + ph);
  svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#3c4043\">round-trip time (us)</text>",
                     L + pw / 2, H - 10);
  svg += fmt::format("<text transform=\"translate(16 {}) rotate(-90)\" text-anchor=\"middle\" fill=\"#3c4043\">"
                     "samples</text>",
                     T + ph / 2);
  // Statistics beside the plot.
  std::vector<double> v;
  for (double s : samples_us)
    if (std::isfinite(s)) v.push_back(s);
  std::sort(v.begin(), v.end());
  const std::pair<const char*, std::string> stats[] = {
      {"samples", std::to_string(v.size())},
      {"min", fmt::format("{:.1f} us", v.front())},
      {"median", fmt::format("{:.1f} us", sorted_quantile(v, 0.5))},
      {"mean", fmt::format("{:.1f} us", std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size()))},
      {"p95", fmt::format("{:.1f} us", sorted_quantile(v, 0.95))},
      {"p99", fmt::format("{:.1f} us", sorted_quantile(v, 0.99))},
      {"max", fmt::format("{:.1f} us", v.back())},
  };
  int y = T + 20;
  for (const auto& [name, value] : stats) {
    svg += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#5f6368\">{}</text>", W - R + 40, y, name);
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#202124\" font-weight=\"600\">{}</text>",
                       W - 20, y, value);
    y += 26;
  }
  svg += "</svg>";
  return svg;
}

std::string duration_chart_svg(const std::vector<TestResult>& results, std::size_t max_bars) {
  std::vector<std::size_t> order(results.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return results[a].duration_ns > results[b].duration_ns; });
  if (order.size() > max_bars) order.resize(max_bars);
  constexpr int W = 1100, L = 330, R = 90, T = 34, row = 20;
  const int H = T + row * static_cast<int>(std::max<std::size_t>(order.size(), 1)) + 30;
  std::string svg = svg_open(W, H, "Test durations, slowest first");
  if (order.empty()) {
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#5f6368\">No tests ran.</text></svg>",
                       W / 2, T + 10);
    return svg;
  }
  // Log axis from the decade below the fastest shown test to the decade above the slowest: a 500 ms
  // timeout and a 100 us exchange both stay visible.
  std::int64_t fastest = 0, slowest = 1;
  for (std::size_t i : order)
    if (results[i].duration_ns > 0) {
      fastest = fastest == 0 ? results[i].duration_ns : std::min(fastest, results[i].duration_ns);
      slowest = std::max(slowest, results[i].duration_ns);
    }
  const double lo = std::floor(std::log10(static_cast<double>(std::max<std::int64_t>(fastest, 1))));
  const double hi = std::max(lo + 1, std::ceil(std::log10(static_cast<double>(slowest))));
  const int pw = W - L - R;
  auto xpos = [&](double ns) { return L + (std::log10(ns) - lo) / (hi - lo) * pw; };
  for (double d = lo; d <= hi + 1e-9; d += 1) {
    const double x = L + (d - lo) / (hi - lo) * pw;
    svg += fmt::format("<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#e8eaed\"/>", x, T - 4,
                       H - 26);
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\" fill=\"#5f6368\">{}</text>", x, T - 10,
                       decade_label(static_cast<int>(d)));
  }
  int y = T;
  for (std::size_t i : order) {
    const TestResult& t = results[i];
    const double w = t.duration_ns > 0 ? std::max(xpos(static_cast<double>(t.duration_ns)) - L, 1.0) : 0.0;
    svg += fmt::format("<a href=\"#test-{}\"><text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#202124\">{}"
                       "<title>{}</title></text></a>",
                       i, L - 8, y + 14, html_escape(truncate(t.name, 48)), html_escape(t.name));
    svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" rx=\"2\" fill=\"{}\"><title>{}: {} ({})"
                       "</title></rect>",
                       L, y + 3, w, row - 6, verdict_colour(t.verdict), html_escape(t.name),
                       format_duration(t.duration_ns), verdict_name(t.verdict));
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" fill=\"#3c4043\">{}</text>", L + w + 6, y + 14,
                       format_duration(t.duration_ns));
    y += row;
  }
  svg += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#5f6368\">log scale; {} of {} tests shown, slowest first</text>",
                     L, H - 8, order.size(), results.size());
  svg += "</svg>";
  return svg;
}

std::string verdict_matrix_svg(const Report& report) {
  const Summary summary = summarize(report);
  constexpr int W = 1100, label_w = 170, count_w = 90, cell = 18, gap = 4, T = 40, row_gap = 10;
  const int per_line = (W - label_w - count_w - 10) / (cell + gap);
  std::vector<std::vector<std::size_t>> rows;
  for (const auto& [area, counts] : summary.by_area) {
    std::vector<std::size_t> idx;
    for (std::size_t i = 0; i < report.results.size(); ++i)
      if (report.results[i].area == area) idx.push_back(i);
    rows.push_back(std::move(idx));
  }
  int height = T;
  for (const auto& r : rows) height += static_cast<int>((r.size() + per_line - 1) / per_line) * (cell + gap) + row_gap;
  height += 10;
  std::string svg = svg_open(W, std::max(height, T + 30), "Verdicts by area");
  legend(svg, 0, 16);
  if (report.baseline)
    svg += fmt::format("<rect x=\"{}\" y=\"6\" width=\"12\" height=\"12\" rx=\"2\" fill=\"#fff\" stroke=\"#202124\" "
                       "stroke-width=\"2\"/><text x=\"{}\" y=\"16\" fill=\"#3c4043\">changed since baseline</text>",
                       W - 190, W - 172);
  if (rows.empty())
    svg += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#5f6368\">No tests ran.</text>", 0, T + 14);
  int y = T;
  for (std::size_t a = 0; a < rows.size(); ++a) {
    const auto& [area, counts] = summary.by_area[a];
    svg += fmt::format("<a href=\"#area-{}\"><text x=\"0\" y=\"{}\" fill=\"#202124\" font-weight=\"600\">{}</text></a>", a,
                       y + 13, html_escape(truncate(area.empty() ? "(no area)" : area, 22)));
    svg += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#5f6368\">{}/{} pass</text>", label_w, y + 13, counts.pass,
                       counts.total());
    for (std::size_t k = 0; k < rows[a].size(); ++k) {
      const std::size_t i = rows[a][k];
      const TestResult& t = report.results[i];
      const int x = label_w + count_w + static_cast<int>(k % per_line) * (cell + gap);
      const int cy = y + static_cast<int>(k / per_line) * (cell + gap);
      const bool changed = report.baseline && baseline_change(t) != BaselineChange::Unchanged &&
                           baseline_change(t) != BaselineChange::New;
      std::string title = t.name + ": " + verdict_name(t.verdict);
      if (report.baseline) title += std::string(" (") + baseline_change_name(baseline_change(t)) + ")";
      svg += fmt::format(
          "<a href=\"#test-{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"{}\"{}>"
          "<title>{}</title></rect></a>",
          i, x, cy, cell, cell, verdict_colour(t.verdict),
          changed ? " stroke=\"#202124\" stroke-width=\"2.5\"" : "", html_escape(title));
    }
    y += static_cast<int>((rows[a].size() + per_line - 1) / per_line) * (cell + gap) + row_gap;
  }
  svg += "</svg>";
  return svg;
}

}  // namespace aoeh::reports
