// A plan's network on the in-process simulator: one sim::Switch per path, every NIC cabled to it
// (the port's MTU for frames from the NIC is a SwitchIngressMtu impairment, since sim::Switch
// checks it only on egress), link faults as faults/link_faults.hpp impairments.
#include <optional>
#include <stdexcept>

#include "faults/plan_backend.hpp"
#include "sim/simulator.hpp"

namespace aoeh::faults {
namespace {

using sim::Direction;

class SimBackend final : public PlanBackend {
 public:
  SimBackend(const Plan& plan, std::uint64_t seed) : plan_(plan), sim_(seed) {
    for (const auto& p : plan.paths) {
      sim::SwitchConfig sc;
      sc.name = p.name;
      sc.forwarding_delay = p.forwarding_delay;
      switches_.push_back(sim_.add_switch(sc));
    }
    switch_ports_.assign(plan.paths.size(), 0);
  }

  void add_host(std::unique_ptr<sim::Host> host, const std::vector<PortPlan>& ports,
                const std::vector<proto::MacAddress>& macs) override {
    std::vector<sim::NicConfig> nics;
    for (std::size_t k = 0; k < ports.size(); ++k) {
      sim::NicConfig n;
      n.name = ports[k].name;
      n.mac = macs[k];
      n.mtu = ports[k].mtu;
      nics.push_back(n);
    }
    const sim::HostId h = sim_.add_host(std::move(host), nics);
    for (std::size_t k = 0; k < ports.size(); ++k) cable(sim_.host(h).nics()[k], ports[k]);
  }

  bool capture(const std::string& path, std::size_t ports, std::string* error) override {
    const auto cap = sim_.open_capture(path, error);
    if (!cap) return false;
    for (std::size_t i = 0; i < ports; ++i) sim_.tap_nic(ports_[i].nic, *cap);
    return true;
  }

  Nanos now() const override { return sim_.now(); }
  void at(Nanos time, std::function<void()> action) override { sim_.at(time, std::move(action)); }
  void start() override { sim_.start(); }
  void run_until(const std::function<bool()>& done, Nanos deadline) override { sim_.run_until(done, deadline); }
  void finish() override { sim_.flush_captures(); }

  void set_nic_up(std::uint32_t port, bool up) override { sim_.set_nic_up(ports_[port].nic, up); }
  void set_nic_mtu(std::uint32_t port, std::uint32_t mtu) override { sim_.set_nic_mtu(ports_[port].nic, mtu); }
  void set_nic_mac(std::uint32_t port, const proto::MacAddress& mac) override {
    sim_.set_nic_mac(ports_[port].nic, mac);
  }
  void set_cable_up(std::uint32_t port, bool up) override { sim_.set_link_up(ports_[port].link, up); }
  // Egress is the switch's own (it counts the drops), ingress the port's SwitchIngressMtu.
  void set_switch_port_mtu(CableDir dir, std::uint32_t mtu) override {
    const Port& p = ports_[dir.port];
    if (dir.toward_host) sim_.set_switch_port_mtu(p.sw, p.switch_port, mtu);
    else p.ingress->set_mtu(mtu);
  }

  FaultHooks add_link_fault(std::size_t index, const FaultPlan& f, const std::vector<CableDir>& dirs) override {
    const Window w = fault_window(f);
    for (const CableDir& d : dirs) {
      const sim::LinkId l = ports_[d.port].link;
      const Direction dir = d.toward_host ? Direction::BtoA : Direction::AtoB;
      auto imp = make_link_fault(f, w, sim_.rng("fault" + std::to_string(index) + ":" + std::to_string(l) +
                                                (dir == Direction::AtoB ? ":ab" : ":ba")));
      if (!imp) throw std::logic_error("not a link fault: " + std::string(fault_type_name(f.type)));
      if (impairments_.size() <= index) impairments_.resize(index + 1);
      impairments_[index].push_back(imp.get());
      sim_.add_impairment(l, dir, std::move(imp));
    }
    return {};
  }

  void add_link_fault_stats(std::size_t index, FaultStats& stats) const override {
    if (index < impairments_.size())
      for (const LinkFault* imp : impairments_[index]) imp->add_stats(stats);
  }
  const sim::NicCounters& nic_counters(std::uint32_t port) const override { return sim_.nic_counters(ports_[port].nic); }
  void add_cable_metrics(std::map<std::string, double>& m, std::uint32_t port, const std::string& name,
                         const std::string& path) const override {
    const Port& pw = ports_[port];
    for (Direction d : {Direction::AtoB, Direction::BtoA}) {
      const auto& k = sim_.link_counters(pw.link, d);
      const std::string p = "link." + name + (d == Direction::AtoB ? ".out." : ".in.");
      m[p + "frames"] = double(k.frames);
      m[p + "bytes"] = double(k.bytes);
      m[p + "delivered"] = double(k.delivered);
      m[p + "queue_drops"] = double(k.queue_drops);
      // Ingress MTU drops are the switch port's, not a fault's.
      m[p + "impairment_drops"] = double(k.impairment_drops - (d == Direction::AtoB ? pw.ingress->drops() : 0));
      m[p + "down_drops"] = double(k.down_drops);
      m[p + "duplicates"] = double(k.duplicates);
      m[p + "edited"] = double(k.edited);
      m[p + "max_queue"] = double(k.max_queue);
    }
    const auto& sp = sim_.switch_at(pw.sw).ports[pw.switch_port].counters;
    const std::string s = "switch." + path + "." + name + ".";
    m[s + "rx_frames"] = double(sp.rx_frames);
    m[s + "tx_frames"] = double(sp.tx_frames);
    m[s + "mtu_drops"] = double(sp.mtu_drops);
    m[s + "ingress_mtu_drops"] = double(pw.ingress->drops());
    m[s + "flooded"] = double(sp.flooded);
  }
  std::uint64_t events() const override { return sim_.events_processed(); }
  std::optional<std::uint64_t> event_hash() const override { return sim_.event_hash(); }
  std::uint64_t frames_captured() const override { return sim_.frames_captured(0); }

 private:
  struct Port {
    sim::NicId nic = 0;
    sim::LinkId link = 0;
    sim::SwitchId sw = 0;
    std::uint32_t switch_port = 0;
    SwitchIngressMtu* ingress = nullptr;  // the switch port's MTU for frames from the NIC
  };

  void cable(sim::NicId nic, const PortPlan& port) {
    const PathPlan& path = plan_.paths[port.path];
    sim::LinkConfig lc;
    lc.bits_per_second = path.bits_per_second;
    lc.propagation = path.latency;
    lc.queue_limit = path.queue;
    Port w;
    w.nic = nic;
    w.sw = switches_[port.path];
    w.switch_port = switch_ports_[port.path]++;
    w.link = sim_.connect(nic, w.sw, port.switch_mtu, lc);
    auto ingress = std::make_unique<SwitchIngressMtu>(port.switch_mtu);
    w.ingress = ingress.get();
    sim_.add_impairment(w.link, Direction::AtoB, std::move(ingress));
    ports_.push_back(w);
  }

  const Plan& plan_;
  sim::Simulator sim_;
  std::vector<sim::SwitchId> switches_;
  std::vector<std::uint32_t> switch_ports_;  // ports used so far, per switch
  std::vector<Port> ports_;                  // by Plan::port_ref index
  std::vector<std::vector<const LinkFault*>> impairments_;  // by plan fault index
};

}  // namespace

std::unique_ptr<PlanBackend> make_sim_backend(const Plan& plan, std::uint64_t seed) {
  return std::make_unique<SimBackend>(plan, seed);
}

}  // namespace aoeh::faults
