#pragma once
// Test selection by glob list ("AOE.Header.*,AOE.Identify.*"): '*' any run, '?' one character.
#include <string>
#include <string_view>
#include <vector>

#include "conformance/catalogue.hpp"

namespace aoeh::conformance {

bool glob_match(std::string_view pattern, std::string_view name);
// Splits on commas, trims spaces, drops empty items.
std::vector<std::string> split_patterns(std::string_view list);
// Tests matching any pattern (all when `patterns` is empty), in catalogue order. Patterns that match
// nothing are returned in `unmatched` (the command line treats them as a usage error).
std::vector<const TestCase*> select_tests(const Catalogue& c, const std::vector<std::string>& patterns,
                                          std::vector<std::string>* unmatched = nullptr);

}  // namespace aoeh::conformance
