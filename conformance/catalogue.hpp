#pragma once
// The certification catalogue: every area file adds its tests here, in a fixed order.
#include <functional>
#include <string>
#include <vector>

#include "conformance/test_case.hpp"

namespace aoeh::conformance {

class Catalogue {
 public:
  void add(TestInfo info, std::function<void(TestContext&)> body);
  const std::vector<TestCase>& tests() const { return tests_; }
  const TestCase* find(const std::string& name) const;

 private:
  std::vector<TestCase> tests_;
};

// The full catalogue, built once.
const Catalogue& catalogue();

// One per area file (conformance/tests_<area>.cpp).
void add_header_tests(Catalogue& c);
void add_discovery_tests(Catalogue& c);
void add_query_config_tests(Catalogue& c);
void add_identify_tests(Catalogue& c);
void add_read_write_tests(Catalogue& c);
void add_cache_power_tests(Catalogue& c);
void add_flow_control_tests(Catalogue& c);
void add_mtu_tests(Catalogue& c);
void add_mac_mask_tests(Catalogue& c);
void add_reserve_tests(Catalogue& c);
void add_multiport_tests(Catalogue& c);
void add_robustness_tests(Catalogue& c);

}  // namespace aoeh::conformance
