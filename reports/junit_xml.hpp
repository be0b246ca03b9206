#pragma once
// junit.xml for CI dashboards (GitLab, Jenkins): one testsuite per run, one testcase per test
// (classname = area), device identity as testsuite properties.
#include <filesystem>
#include <string>

#include "reports/model.hpp"

namespace aoeh::reports {

std::string to_junit_xml(const Report& report);
bool write_junit_xml(const Report& report, const std::filesystem::path& path, std::string* error = nullptr);

}  // namespace aoeh::reports
