#pragma once
// Settings and outcomes shared by the live loops (PortDriver and its subclasses: LiveDriver for
// the initiator engine, TargetDriver for the reference target, HostDriver, RelayDriver).
#include <cstddef>

#include "live/clock.hpp"

namespace aoeh::live {

struct LiveDriverOptions {
  bool handle_signals = true;                  // SIGINT/SIGTERM interrupt run_until
  Nanos link_check_interval = 1'000'000'000;   // re-read MTU / up / carrier of every port
  std::size_t max_batches_per_wakeup = 16;     // bounds one port's turn so timers are not starved
};

enum class RunOutcome { Done, Deadline, Interrupted };

}  // namespace aoeh::live
