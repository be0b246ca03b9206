#include "live/stop_signals.hpp"

#include <csignal>
#include <cstdlib>

namespace aoeh::live {

StopSignals::StopSignals(boost::asio::io_context& io) : set_(io, SIGINT, SIGTERM) { arm(); }

StopSignals::~StopSignals() {
  boost::system::error_code ec;
  set_.cancel(ec);
}

void StopSignals::arm() {
  set_.async_wait([this, weak = std::weak_ptr<int>(signal_)](const boost::system::error_code& ec, int signo) {
    const auto signal = weak.lock();
    if (ec || !signal) return;
    // A second signal while we are stopping means "now": the user has waited long enough.
    if (*signal != 0) std::_Exit(128 + signo);
    *signal = signo;
    arm();
  });
}

}  // namespace aoeh::live
