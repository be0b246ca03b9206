#pragma once
// The world contract (sim/world.hpp) on real interfaces: probe ports are RawPorts, world time is
// the monotonic clock counted from the world's creation. Conformance tests run unchanged on it.
#include <boost/asio/io_context.hpp>

#include <deque>
#include <string>
#include <vector>

#include "live/clock.hpp"
#include "live/raw_port.hpp"
#include "sim/world.hpp"

namespace aoeh::live {

class LiveWorld : public sim::World {
 public:
  // Opens one RawPort per interface; throws LiveError like RawPort::open.
  explicit LiveWorld(const std::vector<std::string>& interfaces, const RawPortOptions& options = {});
  ~LiveWorld() override;

  std::vector<std::string> probe_ports() const override;
  proto::MacAddress port_mac(const std::string& port) const override;
  std::uint32_t port_mtu(const std::string& port) const override;
  void send(const std::string& port, std::span<const std::uint8_t> frame) override;
  bool run_until(const std::function<bool()>& done, sim::Nanos deadline) override;
  std::vector<sim::ReceivedFrame> take_received() override;
  sim::Nanos now() const override { return monotonic_now() - epoch_; }

  RawPort& port(const std::string& name);

 private:
  std::size_t index_of(const std::string& port) const;  // throws std::out_of_range
  void arm(std::size_t index);

  boost::asio::io_context io_;
  std::vector<RawPort> ports_;
  std::vector<bool> armed_;
  std::deque<sim::ReceivedFrame> arrived_;   // taken from the kernel, not yet delivered
  std::deque<sim::ReceivedFrame> received_;  // delivered, waiting for take_received
  Nanos epoch_ = 0;
};

}  // namespace aoeh::live
