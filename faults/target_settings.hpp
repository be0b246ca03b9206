#pragma once
// Resize, bufcnt, config_string and firmware faults change one setting of the target at their
// start and, with "for", set it back at their end. The plan runner, the Python bindings and
// `aoeh serve` schedule them their own way but change the target alike through this.
#include <cstdint>
#include <string>

#include "faults/plan.hpp"
#include "sim/target/target.hpp"

namespace aoeh::faults {

// The settings those faults change, as they were before (what `back` restores).
struct TargetSettings {
  std::uint64_t capacity_sectors = 0;
  std::uint16_t bufcnt = 0;
  std::uint16_t firmware_version = 0;
  std::string config_string;
};
TargetSettings settings_of(const target::TargetConfig& config);

// Sets `fault`'s value on `target` (with `back`: `original`'s), then announces it when the fault
// says so. The caller pumps the target's host afterwards.
void change_target_setting(target::Target& target, const FaultPlan& fault, const TargetSettings& original, bool back,
                           Nanos now);

}  // namespace aoeh::faults
