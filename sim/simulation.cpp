#include "sim/simulation.hpp"

#include <chrono>

namespace aoeh::sim {

TopologySpec SimulationConfig::default_topology() {
  TopologySpec t;
  t.initiators = 1;
  t.initiator_ports = 2;
  t.paths = {PathSpec{}, PathSpec{}};
  t.targets = 4;
  t.target_ports = 2;
  return t;
}

target::TargetConfig SimulationConfig::default_target() {
  target::TargetConfig t;
  t.capacity_sectors = 1u << 21;  // 1 GiB, sparse
  return t;
}

Simulation::Simulation(SimulationConfig config) : config_(std::move(config)), sim_(config_.seed) {
  topology_ = build_topology(sim_, config_.topology, EngineHost::factory(config_.engine),
                             TargetHost::factory(config_.topology, config_.target));
  if (config_.loss > 0) {
    for (LinkId l = 0; l < sim_.link_count(); ++l)
      for (Direction d : {Direction::AtoB, Direction::BtoA})
        sim_.add_impairment(l, d,
                            std::make_unique<RandomLoss>(
                                sim_.rng("loss:" + std::to_string(l) + (d == Direction::AtoB ? ":ab" : ":ba")),
                                config_.loss));
  }
  if (!config_.pcap_path.empty()) {
    std::string error;
    auto cap = sim_.open_capture(config_.pcap_path, &error);
    if (!cap) throw std::runtime_error(error);
    for (NicId n : topology_.initiators.at(0).nics) sim_.tap_nic(n, *cap);
  }
  initiator(0).set_event_handler([this](const initiator::Event& e) {
    if (workload_) workload_->on_event(e);
  });
}

Simulation::~Simulation() = default;

EngineHost& Simulation::initiator(std::size_t index) const {
  return static_cast<EngineHost&>(sim_.host(topology_.initiators.at(index).host));
}

TargetHost& Simulation::target(std::size_t index) const {
  return static_cast<TargetHost&>(sim_.host(topology_.targets.at(index).host));
}

std::vector<proto::DeviceAddress> Simulation::target_addresses() const {
  std::vector<proto::DeviceAddress> out;
  for (std::uint32_t t = 0; t < config_.topology.targets; ++t) out.push_back(target_address(config_.topology, t));
  return out;
}

std::uint32_t Simulation::devices_up() const {
  std::uint32_t up = 0;
  for (const auto& d : initiator(0).engine().devices())
    if (d.state == initiator::DeviceState::Up) ++up;
  return up;
}

bool Simulation::discover() {
  // Count DeviceUp events rather than polling the (allocating) device list after every event.
  auto& host = initiator(0);
  std::uint32_t up = devices_up();
  const std::uint32_t want = config_.topology.targets;
  host.set_event_handler([this, &up](const initiator::Event& e) {
    if (e.kind == initiator::EventKind::DeviceUp) ++up;
    if (workload_) workload_->on_event(e);
  });
  const bool ok = sim_.run_until([&] { return up >= want; }, sim_.now() + config_.discovery_deadline);
  host.set_event_handler([this](const initiator::Event& e) {
    if (workload_) workload_->on_event(e);
  });
  last_.discovery_complete = ok && devices_up() >= want;
  last_.discovery_time = sim_.now();
  return last_.discovery_complete;
}

WorkloadResult Simulation::run_workload(bool* complete) {
  std::vector<proto::DeviceAddress> up;
  for (const auto& d : initiator(0).engine().devices())
    if (d.state == initiator::DeviceState::Up) up.push_back(d.address);
  workload_ = std::make_unique<Workload>(initiator(0), up, config_.workload);
  workload_->start();
  const bool ok = sim_.run_until([&] { return workload_->done(); }, sim_.now() + config_.workload_deadline);
  if (complete) *complete = ok;
  last_.io_complete = ok;
  last_.io = workload_->result();
  return last_.io;
}

SimulationSummary Simulation::run() {
  const auto t0 = std::chrono::steady_clock::now();  // reported only; never feeds the simulation
  discover();
  run_workload();
  last_.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  sim_.flush_captures();
  return summary();
}

SimulationSummary Simulation::summary() const {
  SimulationSummary s = last_;
  s.targets = config_.topology.targets;
  const auto devices = initiator(0).engine().devices();
  s.devices_found = static_cast<std::uint32_t>(devices.size());
  s.devices_up = 0;
  for (const auto& d : devices)
    if (d.state == initiator::DeviceState::Up) ++s.devices_up;
  const auto& c = initiator(0).engine().counters();
  s.retransmits = c.retransmits;
  s.timeouts = c.timeouts;
  s.frames_sent = c.frames_sent;
  s.frames_received = c.frames_received;
  for (LinkId l = 0; l < sim_.link_count(); ++l)
    for (Direction d : {Direction::AtoB, Direction::BtoA}) {
      const auto& k = sim_.link_counters(l, d);
      s.frames_dropped += k.queue_drops + k.impairment_drops + k.down_drops;
    }
  for (SwitchId w = 0; w < sim_.switch_count(); ++w)
    for (const auto& p : sim_.switch_at(w).ports) s.frames_dropped += p.counters.mtu_drops;
  s.events = sim_.events_processed();
  s.event_hash = sim_.event_hash();
  s.simulated_time = sim_.now();
  return s;
}

}  // namespace aoeh::sim
