#pragma once
// Fault plans in words, for timelines and messages ("loss 5% on path a").
#include <string>

#include "faults/plan.hpp"

namespace aoeh::faults {

// "link eth0 (in)", "switch port of e1.0:0 (egress)", "path a", "target e1.0", ...
std::string site_name(const FaultSite& site);
// The fault, its parameters and its site: "loss 5% on path a".
std::string describe_fault(const FaultPlan& fault);

}  // namespace aoeh::faults
