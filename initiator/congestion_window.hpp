#pragma once
// Per-path congestion window: how many frames may be outstanding on a path.
//
// Slow start (+1 per reply) up to ssthresh, then +1 per full window of replies. A timeout halves
// the window (ssthresh = window / 2, window = ssthresh) once per window of loss: frames sent before
// the last decrease do not decrease it again, so one burst of losses is one reaction. Linux drops
// to a window of 1 on every timeout; halving keeps a lossy but working path busy.
// The window never exceeds the cap = min(target bufcnt, configured maximum): frames beyond the
// target's buffer count are dropped by the target.
#include <algorithm>
#include <cstdint>

#include "initiator/types.hpp"

namespace aoeh::initiator {

class CongestionWindow {
 public:
  void set_cap(std::uint32_t cap) {
    cap_ = std::max<std::uint32_t>(cap, 1);
    cwnd_ = std::min(cwnd_, cap_);
    if (ssthresh_ == 0 || ssthresh_ > cap_) ssthresh_ = cap_;
  }

  void on_reply() {
    if (cwnd_ < ssthresh_) {
      ++cwnd_;
    } else if (++acked_ >= cwnd_) {
      acked_ = 0;
      ++cwnd_;
    }
    cwnd_ = std::min(cwnd_, cap_);
  }

  // A frame sent at `sent_at` timed out at `now`.
  void on_timeout(Nanos sent_at, Nanos now) {
    if (sent_at < last_decrease_) return;
    ssthresh_ = std::max<std::uint32_t>(cwnd_ / 2, 1);
    cwnd_ = ssthresh_;
    acked_ = 0;
    last_decrease_ = now;
  }

  // Back to slow start (a path that was unhealthy answers again).
  void restart() {
    cwnd_ = 1;
    acked_ = 0;
    ssthresh_ = cap_;
  }

  std::uint32_t window() const { return std::min(cwnd_, cap_); }
  std::uint32_t cwnd() const { return cwnd_; }
  std::uint32_t ssthresh() const { return ssthresh_; }
  std::uint32_t cap() const { return cap_; }

 private:
  std::uint32_t cwnd_ = 1;
  std::uint32_t ssthresh_ = 0;
  std::uint32_t cap_ = 1;
  std::uint32_t acked_ = 0;
  Nanos last_decrease_ = std::numeric_limits<Nanos>::min();
};

}  // namespace aoeh::initiator
