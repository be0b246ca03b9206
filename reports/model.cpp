#include "reports/model.hpp"

#include <array>
#include <utility>

namespace aoeh::reports {
namespace {
constexpr std::array<std::pair<Verdict, const char*>, 5> kVerdictNames{{
    {Verdict::Pass, "pass"},
    {Verdict::Fail, "fail"},
    {Verdict::Skip, "skip"},
    {Verdict::NotApplicable, "n/a"},
    {Verdict::Error, "error"},
}};
constexpr std::array<std::pair<Level, const char*>, 3> kLevelNames{{
    {Level::Must, "MUST"},
    {Level::Should, "SHOULD"},
    {Level::May, "MAY"},
}};
}  // namespace

const char* verdict_name(Verdict v) {
  for (const auto& [value, name] : kVerdictNames)
    if (value == v) return name;
  return "unknown";
}

std::optional<Verdict> verdict_from_name(std::string_view name) {
  for (const auto& [value, text] : kVerdictNames)
    if (name == text) return value;
  return std::nullopt;
}

const char* level_name(Level l) {
  for (const auto& [value, name] : kLevelNames)
    if (value == l) return name;
  return "unknown";
}

std::optional<Level> level_from_name(std::string_view name) {
  for (const auto& [value, text] : kLevelNames)
    if (name == text) return value;
  return std::nullopt;
}

}  // namespace aoeh::reports
