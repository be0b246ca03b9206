#pragma once
// Who is the device under test: Query Config through every probe port (which ports reach it, its MAC
// there, bufcnt, firmware, sector count, config string), then IDENTIFY through the first of them.
#include <string>

#include "conformance/probe.hpp"
#include "conformance/target_facts.hpp"
#include "conformance/target_ops.hpp"
#include "reports/model.hpp"

namespace aoeh::conformance {

// False (and why) when the target answered on no port: nothing can be tested.
bool collect_identity(Probe& probe, TargetOps& ops, TargetFacts& facts, std::string* why);

reports::DeviceIdentity device_identity(const TargetFacts& facts);

}  // namespace aoeh::conformance
