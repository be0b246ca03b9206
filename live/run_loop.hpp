#pragma once
// The wait loop every live driver runs: the io_context turns one handler at a time until a stop
// signal arrived, `done` holds or the deadline (monotonic clock) passes, checked in that order.
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <limits>

#include "live/clock.hpp"
#include "live/loop_options.hpp"
#include "live/stop_signals.hpp"

namespace aoeh::live {

// `signals` may be null (the caller handles signals itself); a deadline of the maximum Nanos never passes.
inline RunOutcome run_io_until(boost::asio::io_context& io, const StopSignals* signals,
                               const std::function<bool()>& done, Nanos deadline) {
  io.restart();
  for (;;) {
    if (signals && signals->received() != 0) return RunOutcome::Interrupted;
    if (done()) return RunOutcome::Done;
    const Nanos t = monotonic_now();
    if (t >= deadline) return RunOutcome::Deadline;
    if (deadline == std::numeric_limits<Nanos>::max()) {
      io.run_one();
    } else {
      io.run_one_for(std::chrono::nanoseconds(deadline - t));
    }
  }
}

}  // namespace aoeh::live
