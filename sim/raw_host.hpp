#pragma once
// A host with no protocol logic: it sends whatever bytes it is given and keeps every frame it
// receives. Conformance probes, tests and benchmarks use it as a raw endpoint.
#include <cstdint>
#include <functional>
#include <span>
#include <utility>
#include <vector>

#include "sim/host.hpp"

namespace aoeh::sim {

struct RawFrame {
  std::uint32_t port = 0;  // the host's NIC index
  Nanos time = 0;
  std::vector<std::uint8_t> bytes;
};

class RawHost : public Host {
 public:
  // Called for every received frame instead of storing it, when set (no copy is made).
  using Handler = std::function<void(std::uint32_t port, std::span<const std::uint8_t>, Nanos)>;
  void set_handler(Handler handler) { handler_ = std::move(handler); }

  void receive(std::uint32_t port, std::span<const std::uint8_t> frame, Nanos now) override;
  bool send(std::uint32_t port, std::span<const std::uint8_t> frame) { return transmit(port, frame); }

  const std::vector<RawFrame>& received() const { return inbox_; }
  std::vector<RawFrame> take() { return std::exchange(inbox_, {}); }
  std::uint64_t received_count() const { return count_; }

 private:
  Handler handler_;
  std::vector<RawFrame> inbox_;
  std::uint64_t count_ = 0;
};

}  // namespace aoeh::sim
