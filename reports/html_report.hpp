#pragma once
// report.html: one self-contained page (inline CSS and SVG, no script, no external assets) for the
// people who read a certification: identity, safety record, summary, charts, every verdict with its
// evidence, and baseline markers.
#include <filesystem>
#include <string>

#include "reports/model.hpp"

namespace aoeh::reports {

std::string to_report_html(const Report& report);
bool write_report_html(const Report& report, const std::filesystem::path& path, std::string* error = nullptr);

}  // namespace aoeh::reports
