#pragma once
// Reserve and MaskList faults stand for another initiator (the fault's `mac`): at the fault's start it
// takes the target's reservation (Reserve/Release Set naming itself) or adds itself to the Mac Mask
// List, through the target's first port; at its end the target forgets it again.
#include "faults/faulty_target.hpp"
#include "faults/plan.hpp"

namespace aoeh::faults {

void send_foreign_command(FaultyTargetHost& host, const FaultPlan& fault);
void undo_foreign_command(target::Target& target, FaultType type);

}  // namespace aoeh::faults
