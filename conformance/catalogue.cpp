#include "conformance/catalogue.hpp"

#include "conformance/context.hpp"

namespace aoeh::conformance {

std::string TestInfo::area() const {
  const auto first = name.find('.');
  const auto second = name.find('.', first + 1);
  if (first == std::string::npos || second == std::string::npos) return {};
  return name.substr(first + 1, second - first - 1);
}

const std::vector<std::string>& known_needs() {
  static const std::vector<std::string> needs = {kNeedTwoPorts, kNeedLba48,    kNeedIdentify,
                                                 kNeedLargeDisk, kNeedReadOnly, kNeedWritable};
  return needs;
}

void Catalogue::add(TestInfo info, std::function<void(TestContext&)> body) {
  tests_.push_back({std::move(info), std::move(body)});
}

const TestCase* Catalogue::find(const std::string& name) const {
  for (const auto& t : tests_)
    if (t.info.name == name) return &t;
  return nullptr;
}

const Catalogue& catalogue() {
  static const Catalogue all = [] {
    Catalogue c;
    add_header_tests(c);
    add_discovery_tests(c);
    add_query_config_tests(c);
    add_identify_tests(c);
    add_read_write_tests(c);
    add_cache_power_tests(c);
    add_flow_control_tests(c);
    add_mtu_tests(c);
    add_reserve_tests(c);
    add_multiport_tests(c);
    add_robustness_tests(c);
    // Last: a target that mishandles mask edits can lock the probe out or die (vblade 25 aborts on
    // a delete), and everything after would then fail for that one reason.
    add_mac_mask_tests(c);
    return c;
  }();
  return all;
}

}  // namespace aoeh::conformance
