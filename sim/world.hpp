#pragma once
// The world contract: what conformance tests and scenarios see, whether frames travel through the
// in-process simulator, ns-3 or a real wire. A world has named probe ports from which raw frames are
// sent and on which frames addressed to them (or broadcast) are received, and a clock it advances.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "protocol/mac_address.hpp"

namespace aoeh::sim {

using Nanos = std::int64_t;

struct ReceivedFrame {
  std::string port;               // probe port that received it
  Nanos time = 0;                 // world time of arrival
  std::vector<std::uint8_t> bytes;
};

class World {
 public:
  virtual ~World() = default;

  virtual std::vector<std::string> probe_ports() const = 0;
  virtual proto::MacAddress port_mac(const std::string& port) const = 0;
  virtual std::uint32_t port_mtu(const std::string& port) const = 0;

  // Queues a raw frame for transmission from `port` at the current world time.
  virtual void send(const std::string& port, std::span<const std::uint8_t> frame) = 0;

  // Advances the world until `done()` holds or `deadline` (absolute world time) passes.
  // Returns whether `done()` held. `done` is evaluated after every delivered event.
  virtual bool run_until(const std::function<bool()>& done, Nanos deadline) = 0;

  // Frames received on probe ports since the last take, in arrival order.
  virtual std::vector<ReceivedFrame> take_received() = 0;

  virtual Nanos now() const = 0;
};

}  // namespace aoeh::sim
