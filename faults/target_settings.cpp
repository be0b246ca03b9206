#include "faults/target_settings.hpp"

#include <stdexcept>

namespace aoeh::faults {

TargetSettings settings_of(const target::TargetConfig& c) {
  return TargetSettings{c.capacity_sectors, c.bufcnt, c.firmware_version, c.config_string};
}

void change_target_setting(target::Target& t, const FaultPlan& f, const TargetSettings& original, bool back, Nanos now) {
  switch (f.type) {
    case FaultType::Resize: t.resize(back ? original.capacity_sectors : f.capacity_sectors); break;
    case FaultType::Bufcnt: t.set_bufcnt(back ? original.bufcnt : f.number); break;
    case FaultType::ConfigString: t.set_config_string(back ? original.config_string : f.text); break;
    case FaultType::Firmware: t.set_firmware_version(back ? original.firmware_version : f.number); break;
    default: throw std::logic_error(std::string("not a target setting fault: ") + fault_type_name(f.type));
  }
  if (f.announce) t.announce(now);
}

}  // namespace aoeh::faults
