#pragma once
// A report exercising every verdict, level, evidence form, baseline change and hostile string the
// writers must survive. Shared by the writer tests and the browser screenshot test.
#include "reports/model.hpp"

namespace aoeh::reports::testing {

// The earlier run the sample is compared with.
Report sample_baseline();
// The sample run, with apply_baseline(sample_baseline()) already applied.
Report sample_report();

// Strings that break naive writers: markup, entities, quotes, tab/newline, a C0 control, non-ASCII.
inline constexpr const char* kEvilName = "AOE.Robustness.Evil<script>alert(\"x\")</script>&'q'";
inline constexpr const char* kEvilMessage =
    "reply had <script>alert(1)</script> & \"quotes\" 'single'\ttab\nline2 \x01 ctrl, 12 \xC2\xB5s \xE2\x9C\x93";

}  // namespace aoeh::reports::testing
