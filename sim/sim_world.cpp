#include "sim/sim_world.hpp"

#include <memory>
#include <stdexcept>

namespace aoeh::sim {

SimWorld::SimWorld(Simulator& sim) : sim_(sim) {
  auto host = std::make_unique<RawHost>();
  host_ = host.get();
  host_id_ = sim_.add_host(std::move(host));
}

NicId SimWorld::add_probe(const std::string& name, SwitchId sw, proto::MacAddress mac, std::uint32_t mtu,
                          LinkConfig link, bool promiscuous) {
  for (const auto& n : names_)
    if (n == name) throw std::invalid_argument("probe port '" + name + "' already exists");
  NicConfig nic;
  nic.name = name;
  nic.mac = mac;
  nic.mtu = mtu;
  nic.promiscuous = promiscuous;
  const NicId id = sim_.add_nic(host_id_, nic);
  sim_.connect(id, sw, mtu, link);
  names_.push_back(name);
  return id;
}

std::uint32_t SimWorld::index_of(const std::string& port) const {
  for (std::uint32_t i = 0; i < names_.size(); ++i)
    if (names_[i] == port) return i;
  throw std::out_of_range("no probe port named '" + port + "'");
}

NicId SimWorld::probe_nic(const std::string& port) const { return host_->nics()[index_of(port)]; }

std::vector<std::string> SimWorld::probe_ports() const { return names_; }

proto::MacAddress SimWorld::port_mac(const std::string& port) const {
  return sim_.nic_config(probe_nic(port)).mac;
}

std::uint32_t SimWorld::port_mtu(const std::string& port) const { return sim_.nic_config(probe_nic(port)).mtu; }

void SimWorld::send(const std::string& port, std::span<const std::uint8_t> frame) {
  host_->send(index_of(port), frame);
}

bool SimWorld::run_until(const std::function<bool()>& done, Nanos deadline) {
  return sim_.run_until(done, deadline);
}

std::vector<ReceivedFrame> SimWorld::take_received() {
  std::vector<ReceivedFrame> out;
  for (auto& f : host_->take()) out.push_back(ReceivedFrame{names_[f.port], f.time, std::move(f.bytes)});
  return out;
}

}  // namespace aoeh::sim
