#include "conformance/selection.hpp"

namespace aoeh::conformance {

bool glob_match(std::string_view pattern, std::string_view name) {
  // Iterative matcher with single-star backtracking: linear in practice, no recursion.
  std::size_t p = 0, n = 0, star = std::string_view::npos, mark = 0;
  while (n < name.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
      ++p;
      ++n;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::vector<std::string> split_patterns(std::string_view list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    auto end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    auto item = list.substr(start, end - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    start = end + 1;
  }
  return out;
}

std::vector<const TestCase*> select_tests(const Catalogue& c, const std::vector<std::string>& patterns,
                                          std::vector<std::string>* unmatched) {
  std::vector<const TestCase*> out;
  std::vector<bool> used(patterns.size(), false);
  for (const auto& t : c.tests()) {
    bool take = patterns.empty();
    for (std::size_t i = 0; i < patterns.size(); ++i) {
      if (glob_match(patterns[i], t.info.name)) {
        take = true;
        used[i] = true;
      }
    }
    if (take) out.push_back(&t);
  }
  if (unmatched != nullptr)
    for (std::size_t i = 0; i < patterns.size(); ++i)
      if (!used[i]) unmatched->push_back(patterns[i]);
  return out;
}

}  // namespace aoeh::conformance
