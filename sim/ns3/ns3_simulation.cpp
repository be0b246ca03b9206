#include "sim/ns3/ns3_simulation.hpp"

#include <ns3/data-rate.h>
#include <ns3/double.h>
#include <ns3/error-model.h>
#include <ns3/mac48-address.h>
#include <ns3/node.h>
#include <ns3/nstime.h>
#include <ns3/random-variable-stream.h>
#include <ns3/rng-seed-manager.h>
#include <ns3/simple-channel.h>
#include <ns3/simple-net-device.h>
#include <ns3/simulator.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <optional>
#include <stdexcept>

#include "sim/hash.hpp"
#include "sim/engine_host.hpp"
#include "sim/ns3/host_app.hpp"
#include "sim/target_host.hpp"
#include "sim/topology.hpp"

namespace aoeh::sim {

namespace {

using ns3app::HostApp;

Nanos ns3_now() { return ns3::Simulator::Now().GetNanoSeconds(); }

// One per receiving device: the cable into it and the path's switch port, as ns-3 error models.
// ns-3 takes one receive error model per device, so this chains the ones a cable can carry.
class PathErrorModel final : public ns3::ErrorModel {
 public:
  static ns3::TypeId GetTypeId() {
    static ns3::TypeId tid = ns3::TypeId("aoeh::PathErrorModel").SetParent<ns3::ErrorModel>().SetGroupName("aoeh");
    return tid;
  }
  std::uint32_t max_payload = 1500;  // min(path MTU, receiving NIC MTU): CSMA/Simple never enforce it
  bool down = false;
  ns3::Ptr<ns3::RateErrorModel> loss;
  ns3::Ptr<ns3::BurstErrorModel> burst;
  std::uint64_t drops = 0;

 private:
  bool DoCorrupt(ns3::Ptr<ns3::Packet> p) override {
    const bool drop = down || p->GetSize() > max_payload || (loss && loss->IsCorrupt(p)) ||
                      (burst && burst->IsCorrupt(p));
    if (drop) ++drops;
    return drop;
  }
  void DoReset() override {}
};

struct Port {
  ns3::Ptr<ns3::SimpleNetDevice> device;
  ns3::Ptr<PathErrorModel> model;
  std::uint32_t path = 0;
  std::uint32_t nic_mtu = 0;
};


// Fixed stream numbers per (port, use): the same seed gives the same run every time.
ns3::Ptr<ns3::UniformRandomVariable> stream(std::size_t port, int use) {
  return ns3app::fixed_stream(static_cast<std::int64_t>(port) * 4 + use);
}

// The in-process simulator drops on both cables of a host-switch-host trip; ns-3 judges once at
// the receiver, so the per-cable probability is applied twice.
double two_cable_loss(double p) { return 1.0 - (1.0 - p) * (1.0 - p); }

}  // namespace

struct Ns3Simulation::Impl {
  SimulationConfig config;
  std::vector<ns3::Ptr<ns3::SimpleChannel>> channels;
  std::vector<std::uint32_t> path_mtu;
  std::vector<ns3::Ptr<ns3::Node>> nodes;
  std::vector<ns3::Ptr<HostApp>> initiator_apps, target_apps;
  std::vector<EngineHost*> initiators;
  std::vector<TargetHost*> targets;
  std::vector<Port> ports;
  std::optional<proto::PcapWriter> capture;
  std::unique_ptr<Workload> workload;
  std::function<bool()> done;
  SimulationSummary last;
  std::uint32_t up_count = 0;

  Port& add_port(const ns3::Ptr<ns3::Node>& node, proto::MacAddress mac, std::uint32_t path, std::uint32_t nic_mtu) {
    const PathSpec& ps = config.topology.paths[path];
    Port port;
    port.path = path;
    port.nic_mtu = nic_mtu;
    port.device = ns3app::make_device(ps.link.bits_per_second, ps.link.queue_limit,
                                      static_cast<std::uint16_t>(std::min<std::uint32_t>(nic_mtu, 65535)));
    ns3::Mac48Address addr;
    addr.CopyFrom(mac.bytes.data());
    port.device->SetAddress(addr);
    port.model = ns3::CreateObject<PathErrorModel>();
    port.model->max_payload = std::min(path_mtu[path], nic_mtu);
    port.device->SetReceiveErrorModel(port.model);
    port.device->SetChannel(channels[path]);
    node->AddDevice(port.device);
    ports.push_back(port);
    return ports.back();
  }

  std::uint32_t path_of(std::uint32_t port) const {
    return port % static_cast<std::uint32_t>(config.topology.paths.size());
  }

  // Each port's NIC MTU: `fixed`, or (0) the MTU of the port's path.
  std::vector<std::uint32_t> port_mtus(std::uint32_t ports, std::uint32_t fixed) const {
    std::vector<std::uint32_t> mtus;
    for (std::uint32_t p = 0; p < ports; ++p) mtus.push_back(fixed ? fixed : config.topology.paths[path_of(p)].mtu);
    return mtus;
  }

  // A node running `host`, port p with `macs[p]` on path path_of(p), started at time 0.
  ns3::Ptr<HostApp> add_host(std::unique_ptr<Host> host, const std::vector<proto::MacAddress>& macs,
                             const std::vector<std::uint32_t>& mtus) {
    auto app = ns3app::add_host_node(nodes, std::move(host));
    for (std::uint32_t p = 0; p < macs.size(); ++p)
      app->add_port(add_port(nodes.back(), macs[p], path_of(p), mtus[p]).device, mtus[p]);
    app->SetStartTime(ns3::Seconds(0));
    return app;
  }

  // Calls f(port, index) for every port on `path` (index: its place in `ports`, which numbers its streams).
  template <class F>
  void for_ports_on(std::uint32_t path, F f) {
    for (std::size_t i = 0; i < ports.size(); ++i)
      if (ports[i].path == path) f(ports[i], i);
  }

  // Runs until done() or `deadline`; true when done() held.
  bool run_until(std::function<bool()> predicate, Nanos deadline) {
    if (predicate()) return true;
    done = std::move(predicate);
    const Nanos now = ns3_now();
    auto stop = ns3::Simulator::Schedule(ns3::NanoSeconds(std::max<Nanos>(0, deadline - now)),
                                         [] { ns3::Simulator::Stop(); });
    ns3::Simulator::Run();
    ns3::Simulator::Cancel(stop);
    const bool ok = done();
    done = nullptr;
    return ok;
  }

  void check_done() {
    if (done && done()) ns3::Simulator::Stop();
  }
};

Ns3Simulation::Ns3Simulation(SimulationConfig config) : impl_(std::make_unique<Impl>()) {
  Impl& s = *impl_;
  s.config = std::move(config);
  const TopologySpec& spec = s.config.topology;
  if (spec.paths.empty()) throw std::invalid_argument("topology: at least one path is needed");
  if (spec.initiators == 0 || spec.initiator_ports == 0 || spec.target_ports == 0)
    throw std::invalid_argument("topology: initiators and targets need at least one port");
  if (spec.slots_per_shelf == 0 || spec.slots_per_shelf > 255)
    throw std::invalid_argument("topology: slots_per_shelf must be 1..255");
  if (!ns3app::claim_ns3()) throw std::logic_error("ns-3 backend: one ns-3 run at a time per process (ns-3 is global)");
  try {
    build();
  } catch (...) {
    impl_->nodes.clear();
    ns3::Simulator::Destroy();
    ns3app::release_ns3();
    throw;
  }
}

void Ns3Simulation::build() {
  Impl& s = *impl_;
  const TopologySpec& spec = s.config.topology;
  ns3::Simulator::Destroy();  // a clean clock and event list
  ns3::RngSeedManager::SetSeed(1);
  ns3::RngSeedManager::SetRun(s.config.seed);

  for (const PathSpec& p : spec.paths) {
    auto ch = ns3::CreateObject<ns3::SimpleChannel>();
    // host -> switch -> host: two cables' propagation plus the switch's forwarding delay.
    ch->SetAttribute("Delay", ns3::TimeValue(ns3::NanoSeconds(2 * p.link.propagation + p.forwarding_delay)));
    s.channels.push_back(ch);
    s.path_mtu.push_back(p.mtu);
  }

  if (!s.config.pcap_path.empty()) {
    std::string error;
    s.capture = proto::PcapWriter::create(s.config.pcap_path, &error);
    if (!s.capture) throw std::runtime_error(error);
  }

  for (std::uint32_t i = 0; i < spec.initiators; ++i) {
    const auto mtus = s.port_mtus(spec.initiator_ports, spec.initiator_mtu);
    initiator::EngineConfig ec = s.config.engine;
    ec.ports.clear();
    std::vector<proto::MacAddress> macs;
    for (std::uint32_t p = 0; p < spec.initiator_ports; ++p) {
      macs.push_back(initiator_mac(i, p));
      ec.ports.push_back(
          initiator::PortConfig{"i" + std::to_string(i) + "p" + std::to_string(p), macs[p], mtus[p], true});
    }
    auto host = std::make_unique<EngineHost>(std::move(ec));
    s.initiators.push_back(host.get());
    auto app = s.add_host(std::move(host), macs, mtus);
    if (i == 0 && s.capture)
      for (std::uint32_t p = 0; p < spec.initiator_ports; ++p) app->tap(p, &*s.capture);
    s.initiator_apps.push_back(app);
  }
  for (std::uint32_t t = 0; t < spec.targets; ++t) {
    const auto mtus = s.port_mtus(spec.target_ports, spec.target_mtu);
    target::TargetConfig tc = s.config.target;
    tc.ports.clear();
    std::vector<proto::MacAddress> macs;
    for (std::uint32_t p = 0; p < spec.target_ports; ++p) {
      macs.push_back(target_mac(t, p));
      tc.ports.push_back(target::TargetPort{macs[p], mtus[p]});
    }
    const auto addr = target_address(spec, t);
    tc.shelf = addr.shelf;
    tc.slot = addr.slot;
    tc.store = nullptr;  // never share one store between targets
    auto host = std::make_unique<TargetHost>(std::move(tc));
    s.targets.push_back(host.get());
    s.target_apps.push_back(s.add_host(std::move(host), macs, mtus));
  }
  if (s.config.loss > 0)
    for (std::uint32_t p = 0; p < spec.paths.size(); ++p) set_path_loss(p, s.config.loss);

  // The stop conditions (devices up, workload done) only change at engine events: check there.
  s.initiators.at(0)->set_event_handler([this](const initiator::Event& e) {
    if (e.kind == initiator::EventKind::DeviceUp) ++impl_->up_count;
    if (impl_->workload) impl_->workload->on_event(e);
    impl_->check_done();
  });
}

Ns3Simulation::~Ns3Simulation() {
  impl_->workload.reset();
  for (auto& n : impl_->nodes) n->Dispose();
  impl_->initiator_apps.clear();
  impl_->target_apps.clear();
  impl_->initiators.clear();
  impl_->targets.clear();
  impl_->ports.clear();
  impl_->nodes.clear();
  impl_->channels.clear();
  ns3::Simulator::Destroy();
  ns3app::release_ns3();
}

const SimulationConfig& Ns3Simulation::config() const { return impl_->config; }
Nanos Ns3Simulation::now() const { return ns3_now(); }
initiator::Engine& Ns3Simulation::engine(std::size_t i) { return impl_->initiators.at(i)->engine(); }
target::Target& Ns3Simulation::target(std::size_t i) { return impl_->targets.at(i)->target(); }
const std::vector<initiator::Event>& Ns3Simulation::events() const { return impl_->initiators.at(0)->log(); }
std::uint32_t Ns3Simulation::initiator_port_count() const { return impl_->config.topology.initiator_ports; }

std::uint32_t Ns3Simulation::devices_up() const {
  std::uint32_t up = 0;
  for (const auto& d : impl_->initiators.at(0)->engine().devices())
    if (d.state == initiator::DeviceState::Up) ++up;
  return up;
}

bool Ns3Simulation::discover() {
  Impl& s = *impl_;
  const std::uint32_t want = s.config.topology.targets;
  const bool ok = s.run_until([&s, want] { return s.up_count >= want; }, ns3_now() + s.config.discovery_deadline);
  s.last.discovery_complete = ok && devices_up() >= want;
  s.last.discovery_time = ns3_now();
  return s.last.discovery_complete;
}

WorkloadResult Ns3Simulation::run_workload(bool* complete) {
  Impl& s = *impl_;
  auto& app = *s.initiators.at(0);
  std::vector<proto::DeviceAddress> up;
  for (const auto& d : app.engine().devices())
    if (d.state == initiator::DeviceState::Up) up.push_back(d.address);
  s.workload = std::make_unique<Workload>(app, up, s.config.workload);
  // Submitting outside an ns-3 event is fine: frames are queued as events at the current time.
  s.workload->start();
  const bool ok = s.run_until([&s] { return s.workload->done(); }, ns3_now() + s.config.workload_deadline);
  if (complete) *complete = ok;
  s.last.io_complete = ok;
  s.last.io = s.workload->result();
  return s.last.io;
}

SimulationSummary Ns3Simulation::run() {
  const auto t0 = std::chrono::steady_clock::now();  // reported only; never feeds the simulation
  discover();
  run_workload();
  impl_->last.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (impl_->capture) impl_->capture->flush();
  return summary();
}

SimulationSummary Ns3Simulation::summary() const {
  const Impl& s = *impl_;
  SimulationSummary out = s.last;
  out.targets = s.config.topology.targets;
  const auto& engine = s.initiators.at(0)->engine();
  const auto devices = engine.devices();
  out.devices_found = static_cast<std::uint32_t>(devices.size());
  out.devices_up = 0;
  for (const auto& d : devices)
    if (d.state == initiator::DeviceState::Up) ++out.devices_up;
  const auto& c = engine.counters();
  out.retransmits = c.retransmits;
  out.timeouts = c.timeouts;
  out.frames_sent = c.frames_sent;
  out.frames_received = c.frames_received;
  out.frames_dropped = 0;
  for (const auto& p : s.ports) out.frames_dropped += p.model->drops;
  out.events = ns3::Simulator::GetEventCount();
  // ns-3 has no event-log hash; fold initiator 0's engine events (kind, time, device) instead.
  std::uint64_t h = 0;
  for (const auto& e : s.initiators.at(0)->log())
    h = fold(fold(fold(h, static_cast<std::uint64_t>(e.kind)), static_cast<std::uint64_t>(e.time)), e.device.key());
  out.event_hash = h;
  out.simulated_time = ns3_now();
  return out;
}

void Ns3Simulation::at(Nanos time, std::function<void()> action) {
  ns3::Simulator::Schedule(ns3::NanoSeconds(std::max<Nanos>(0, time - ns3_now())), std::move(action));
}

void Ns3Simulation::set_path_loss(std::uint32_t path, double probability) {
  impl_->for_ports_on(path, [&](Port& p, std::size_t i) {
    if (probability <= 0) {
      p.model->loss = nullptr;
      return;
    }
    auto m = ns3::CreateObject<ns3::RateErrorModel>();
    m->SetUnit(ns3::RateErrorModel::ERROR_UNIT_PACKET);
    m->SetRate(two_cable_loss(probability));
    m->SetRandomVariable(stream(i, 0));
    p.model->loss = m;
  });
}

void Ns3Simulation::set_path_burst_loss(std::uint32_t path, double burst_rate, std::uint32_t min_burst,
                                        std::uint32_t max_burst) {
  impl_->for_ports_on(path, [&](Port& p, std::size_t i) {
    if (burst_rate <= 0) {
      p.model->burst = nullptr;
      return;
    }
    auto m = ns3::CreateObject<ns3::BurstErrorModel>();
    m->SetBurstRate(burst_rate);
    m->SetRandomVariable(stream(i, 1));
    auto size = stream(i, 2);
    size->SetAttribute("Min", ns3::DoubleValue(std::max<std::uint32_t>(1, min_burst)));
    size->SetAttribute("Max", ns3::DoubleValue(std::max(min_burst, max_burst) + 1));
    m->SetRandomBurstSize(size);
    p.model->burst = m;
  });
}

void Ns3Simulation::set_path_rate(std::uint32_t path, std::uint64_t bits_per_second) {
  for (auto& p : impl_->ports)
    if (p.path == path) p.device->SetAttribute("DataRate", ns3::DataRateValue(ns3::DataRate(bits_per_second)));
}

void Ns3Simulation::set_path_mtu(std::uint32_t path, std::uint32_t mtu) {
  impl_->path_mtu.at(path) = mtu;
  for (auto& p : impl_->ports)
    if (p.path == path) p.model->max_payload = std::min(mtu, p.nic_mtu);
}

void Ns3Simulation::set_path_up(std::uint32_t path, bool up) {
  for (auto& p : impl_->ports)
    if (p.path == path) p.model->down = !up;
}

namespace {
// Fault kinds (fault-plan names) and whether this backend maps them onto ns-3 models.
constexpr std::array<std::string_view, 6> kSupported = {"loss", "burst_loss", "rate", "mtu", "link_down", "link_up"};
}  // namespace

bool Ns3Simulation::supports_fault(std::string_view kind) {
  return std::find(kSupported.begin(), kSupported.end(), kind) != kSupported.end();
}

std::string Ns3Simulation::unsupported_fault_message(std::string_view kind) {
  std::string m = "ns-3 backend: fault '" + std::string(kind) +
                  "' has no ns-3 model here (supported link faults:";
  for (auto k : kSupported) m += " " + std::string(k);
  return m + "); run it with --backend sim";
}

}  // namespace aoeh::sim
