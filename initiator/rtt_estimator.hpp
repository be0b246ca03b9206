#pragma once
// Per-path round-trip estimate and retransmission timeout.
//
// Gains are Jacobson's (1/8 mean, 1/4 deviation) rather than Linux aoe's 1/256 mean: a slow mean
// takes hundreds of replies to follow a path whose latency changed (a congested switch, a failover
// to a slower port), and every one of them risks a spurious retransmission meanwhile.
// RTO = srtt + max(4 * rttvar, srtt): the deviation term is TCP's; the srtt floor keeps at least
// 2 x RTT (Linux's 2*avg, Plan 9's 2x) when the deviation collapses on a very steady link, where a
// bare srtt + 4*rttvar would retransmit at the first hiccup.
#include <algorithm>
#include <cstdint>

#include "initiator/types.hpp"

namespace aoeh::initiator {

class RttEstimator {
 public:
  void sample(Nanos rtt) {
    if (rtt < 0) rtt = 0;
    if (!has_sample_) {
      srtt_ = rtt;
      rttvar_ = rtt / 2;
      has_sample_ = true;
      return;
    }
    const Nanos err = rtt - srtt_;
    rttvar_ += ((err < 0 ? -err : err) - rttvar_) / 4;
    srtt_ += err / 8;
  }

  bool has_sample() const { return has_sample_; }
  Nanos srtt() const { return srtt_; }
  Nanos rttvar() const { return rttvar_; }

  Nanos rto(Nanos initial, Nanos lo, Nanos hi) const {
    const Nanos raw = has_sample_ ? srtt_ + std::max(4 * rttvar_, srtt_) : initial;
    return std::clamp(raw, lo, std::max(lo, hi));
  }

  // The timeout for the attempt after `backoff` consecutive timeouts of one frame: doubled each
  // time (Linux has no backoff and hammers a struggling target at a fixed rate), capped at hi.
  static Nanos backed_off(Nanos rto, unsigned backoff, Nanos hi) {
    for (unsigned i = 0; i < backoff && rto < hi; ++i) rto *= 2;
    return std::min(rto, std::max(hi, Nanos{1}));
  }

 private:
  Nanos srtt_ = 0;
  Nanos rttvar_ = 0;
  bool has_sample_ = false;
};

}  // namespace aoeh::initiator
