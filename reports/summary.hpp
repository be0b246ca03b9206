#pragma once
// Counts derived from a Report: shared by the HTML summary, junit.xml totals and `aoeh certify`'s
// closing lines, so every output agrees on the numbers.
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "reports/model.hpp"

namespace aoeh::reports {

struct VerdictCounts {
  std::size_t pass = 0, fail = 0, skip = 0, not_applicable = 0, error = 0;

  void add(Verdict v);
  std::size_t of(Verdict v) const;
  std::size_t total() const { return pass + fail + skip + not_applicable + error; }
  bool operator==(const VerdictCounts&) const = default;
};

// A verdict that counts against the target (or the run): fail or error.
inline bool is_failing(Verdict v) { return v == Verdict::Fail || v == Verdict::Error; }

// How a test moved against the baseline. Meaningful only when Report::baseline is set.
enum class BaselineChange : std::uint8_t {
  Unchanged,
  NewlyFailing,  // fail/error now, anything else before
  NewlyPassing,  // pass now, fail/error before
  Changed,       // any other verdict change (e.g. pass -> skip)
  New,           // not in the baseline
};
BaselineChange baseline_change(const TestResult& t);
const char* baseline_change_name(BaselineChange c);  // "unchanged", "newly failing", ...

struct Summary {
  VerdictCounts all;
  std::vector<std::pair<std::string, VerdictCounts>> by_area;  // areas in first-seen (catalogue) order
  std::vector<std::pair<Level, VerdictCounts>> by_level;       // MUST, SHOULD, MAY (all three)
  std::size_t must_failed = 0;   // MUST tests with verdict fail
  std::size_t must_errors = 0;   // MUST tests with verdict error
  std::int64_t total_duration_ns = 0;
  // Filled only when the report was compared with a baseline.
  std::vector<std::string> newly_failing, newly_passing, changed, added;
};

Summary summarize(const Report& report);

}  // namespace aoeh::reports
