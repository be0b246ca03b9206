#pragma once
// results.json: the machine-readable record of a run (schema in reports/README.md) and its reader,
// which `aoeh certify --baseline` uses to load an earlier run.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "reports/model.hpp"

namespace aoeh::reports {

inline constexpr const char* kResultsSchema = "aoeh-results";
inline constexpr int kResultsSchemaVersion = 1;

std::string to_results_json(const Report& report);
bool write_results_json(const Report& report, const std::filesystem::path& path, std::string* error = nullptr);

// Parses results.json text. Nullopt + an error naming the offending field ("tests[3].verdict: ...")
// when the text is not JSON, not an aoeh results file, or has a field of the wrong type.
std::optional<Report> parse_results_json(std::string_view text, std::string* error = nullptr);
std::optional<Report> load_results(const std::filesystem::path& path, std::string* error = nullptr);

}  // namespace aoeh::reports
