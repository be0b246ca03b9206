#include "sim/raw_host.hpp"

namespace aoeh::sim {

void RawHost::receive(std::uint32_t port, std::span<const std::uint8_t> frame, Nanos now) {
  ++count_;
  if (handler_) return handler_(port, frame, now);
  inbox_.push_back(RawFrame{port, now, {frame.begin(), frame.end()}});
}

}  // namespace aoeh::sim
