#pragma once
// `aoeh certify --baseline OLD/results.json`: compare this run with an earlier one.
#include <string>

#include "reports/model.hpp"

namespace aoeh::reports {

// Sets every test's baseline_verdict from the same-named test in `old` (nullopt when `old` lacks it)
// and fills report.baseline (old run id, start time, `old_path`, and the tests `old` had that this run
// did not). Newly failing / newly passing are then derived by baseline_change() in summary.hpp.
void apply_baseline(Report& report, const Report& old, const std::string& old_path = {});

}  // namespace aoeh::reports
