#include "reports/summary.hpp"

#include <algorithm>

namespace aoeh::reports {

void VerdictCounts::add(Verdict v) {
  switch (v) {
    case Verdict::Pass: ++pass; break;
    case Verdict::Fail: ++fail; break;
    case Verdict::Skip: ++skip; break;
    case Verdict::NotApplicable: ++not_applicable; break;
    case Verdict::Error: ++error; break;
  }
}

std::size_t VerdictCounts::of(Verdict v) const {
  switch (v) {
    case Verdict::Pass: return pass;
    case Verdict::Fail: return fail;
    case Verdict::Skip: return skip;
    case Verdict::NotApplicable: return not_applicable;
    case Verdict::Error: return error;
  }
  return 0;
}

BaselineChange baseline_change(const TestResult& t) {
  if (!t.baseline_verdict) return BaselineChange::New;
  const Verdict before = *t.baseline_verdict;
  if (before == t.verdict) return BaselineChange::Unchanged;
  if (is_failing(t.verdict) && !is_failing(before)) return BaselineChange::NewlyFailing;
  if (t.verdict == Verdict::Pass && is_failing(before)) return BaselineChange::NewlyPassing;
  return BaselineChange::Changed;
}

const char* baseline_change_name(BaselineChange c) {
  switch (c) {
    case BaselineChange::Unchanged: return "unchanged";
    case BaselineChange::NewlyFailing: return "newly failing";
    case BaselineChange::NewlyPassing: return "newly passing";
    case BaselineChange::Changed: return "changed";
    case BaselineChange::New: return "new";
  }
  return "unknown";
}

Summary summarize(const Report& report) {
  Summary s;
  s.by_level = {{Level::Must, {}}, {Level::Should, {}}, {Level::May, {}}};
  for (const TestResult& t : report.results) {
    s.all.add(t.verdict);
    auto area = std::find_if(s.by_area.begin(), s.by_area.end(), [&](const auto& a) { return a.first == t.area; });
    if (area == s.by_area.end()) area = s.by_area.insert(s.by_area.end(), {t.area, {}});
    area->second.add(t.verdict);
    for (auto& [level, counts] : s.by_level)
      if (level == t.level) counts.add(t.verdict);
    if (t.level == Level::Must && t.verdict == Verdict::Fail) ++s.must_failed;
    if (t.level == Level::Must && t.verdict == Verdict::Error) ++s.must_errors;
    s.total_duration_ns += t.duration_ns;
    if (!report.baseline) continue;
    switch (baseline_change(t)) {
      case BaselineChange::NewlyFailing: s.newly_failing.push_back(t.name); break;
      case BaselineChange::NewlyPassing: s.newly_passing.push_back(t.name); break;
      case BaselineChange::Changed: s.changed.push_back(t.name); break;
      case BaselineChange::New: s.added.push_back(t.name); break;
      case BaselineChange::Unchanged: break;
    }
  }
  return s;
}

}  // namespace aoeh::reports
