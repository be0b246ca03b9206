#pragma once
// Inline SVG charts for report.html: static markup only (no script), so the page stays one
// self-contained file that renders the same in a browser, a mail client or a PDF printer.
#include <cstddef>
#include <string>
#include <vector>

#include "reports/model.hpp"

namespace aoeh::reports {

struct HistogramBin {
  double lo = 0, hi = 0;  // [lo, hi); the overflow bin holds everything >= lo
  std::size_t count = 0;
  bool overflow = false;
};

// Bins of a "nice" width (1, 2 or 5 x 10^k) covering the samples. When a slow tail would squash the
// body (samples beyond Tukey's far-out fence, Q3 + 3 IQR), the bins stop at the fence and one overflow
// bin collects the tail. Non-finite samples are ignored. Counts always sum to the number of finite
// samples.
std::vector<HistogramBin> make_histogram(const std::vector<double>& samples, std::size_t max_bins = 30);

// Linear-interpolated quantile (q in [0,1]) of already sorted values; 0 when empty.
double sorted_quantile(const std::vector<double>& sorted, double q);

// RTT histogram in microseconds, with n/min/median/p95/p99/max beside it.
std::string rtt_histogram_svg(const std::vector<double>& samples_us);
// The slowest `max_bars` tests as horizontal bars on a log time axis, coloured by verdict.
std::string duration_chart_svg(const std::vector<TestResult>& results, std::size_t max_bars = 30);
// One row per area, one square per test coloured by verdict and linked to the test's row
// (#test-<index>); tests that changed against a baseline are outlined.
std::string verdict_matrix_svg(const Report& report);

// CSS colour of a verdict, shared by the charts and the page's badges.
const char* verdict_colour(Verdict v);

}  // namespace aoeh::reports
