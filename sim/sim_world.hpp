#pragma once
// The World contract over the in-process simulator: named probe ports are NICs of one raw host,
// cabled to switches of an existing Simulator. Conformance tests send raw frames from them and
// read what comes back, in simulated time.
#include <string>
#include <vector>

#include "sim/link.hpp"
#include "sim/raw_host.hpp"
#include "sim/simulator.hpp"
#include "sim/world.hpp"

namespace aoeh::sim {

class SimWorld final : public World {
 public:
  explicit SimWorld(Simulator& sim);

  // A probe port `name` (unique) with its own MAC, cabled to a new port of MTU `mtu` on `sw`.
  // The probe NIC is promiscuous only when asked (a tap on the switch then sees floods only).
  NicId add_probe(const std::string& name, SwitchId sw, proto::MacAddress mac, std::uint32_t mtu = 1500,
                  LinkConfig link = {}, bool promiscuous = false);
  NicId probe_nic(const std::string& port) const;
  Simulator& simulator() const { return sim_; }

  // ---- World ----
  std::vector<std::string> probe_ports() const override;
  proto::MacAddress port_mac(const std::string& port) const override;
  std::uint32_t port_mtu(const std::string& port) const override;
  void send(const std::string& port, std::span<const std::uint8_t> frame) override;
  bool run_until(const std::function<bool()>& done, Nanos deadline) override;
  std::vector<ReceivedFrame> take_received() override;
  Nanos now() const override { return sim_.now(); }

 private:
  std::uint32_t index_of(const std::string& port) const;
  Simulator& sim_;
  RawHost* host_ = nullptr;
  HostId host_id_ = 0;
  std::vector<std::string> names_;  // by the raw host's port index
};

}  // namespace aoeh::sim
