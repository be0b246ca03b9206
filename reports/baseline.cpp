#include "reports/baseline.hpp"

#include <map>
#include <set>

namespace aoeh::reports {

void apply_baseline(Report& report, const Report& old, const std::string& old_path) {
  std::map<std::string, Verdict> before;  // first occurrence wins if a name repeats
  for (const TestResult& t : old.results) before.emplace(t.name, t.verdict);

  std::set<std::string> current;
  for (TestResult& t : report.results) {
    current.insert(t.name);
    const auto it = before.find(t.name);
    t.baseline_verdict = it == before.end() ? std::nullopt : std::optional<Verdict>(it->second);
  }

  BaselineInfo info;
  info.path = old_path;
  info.run_id = old.run_id;
  info.started_at = old.started_at;
  std::set<std::string> listed;
  for (const TestResult& t : old.results)
    if (!current.count(t.name) && listed.insert(t.name).second) info.removed.push_back(t.name);
  report.baseline = std::move(info);
}

}  // namespace aoeh::reports
