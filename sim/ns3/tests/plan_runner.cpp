#include "sim/ns3/tests/plan_runner.hpp"

#include <cstring>
#include <memory>

#include "sim/hash.hpp"
#include "sim/impairment.hpp"
#include "sim/ns3/ns3_simulation.hpp"

namespace aoeh::sim::testing {

SimulationConfig plan_config(const Plan& plan) {
  SimulationConfig c;
  c.seed = 7 + plan.seed_salt;
  c.topology.targets = 3;
  c.topology.initiator_mtu = plan.initiator_mtu;
  c.topology.target_mtu = plan.target_mtu;
  c.workload.regions_per_device = 64;
  c.workload.sectors = 16;
  c.workload.queue_depth = 4;
  c.workload_deadline = 600 * kSecond;
  return c;
}

namespace {

template <typename ReadSectors>
std::vector<std::uint64_t> disk_hashes(const SimulationConfig& c, ReadSectors&& read) {
  std::vector<std::uint64_t> out;
  std::vector<std::uint8_t> buf(std::size_t{c.workload.sectors} * 512);
  for (std::uint32_t t = 0; t < c.topology.targets; ++t) {
    std::uint64_t h = 0;
    for (std::uint32_t r = 0; r < c.workload.regions_per_device; ++r) {
      read(t, c.workload.first_lba + std::uint64_t{r} * c.workload.sectors, buf);
      for (std::size_t i = 0; i < buf.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, buf.data() + i, 8);
        h = fold(h, w);
      }
    }
    out.push_back(h);
  }
  return out;
}

}  // namespace

Outcome run_in_process(const Plan& plan) {
  Simulation s(plan_config(plan));
  Simulator& sim = s.simulator();
  const auto links_of_path = [&](int path) {
    std::vector<LinkId> links;
    for (const auto* group : {&s.topology().initiators, &s.topology().targets})
      for (const auto& h : *group)
        for (std::size_t k = 0; k < h.links.size(); ++k)
          if (static_cast<int>(h.paths[k]) == path) links.push_back(h.links[k]);
    return links;
  };
  s.discover();
  if (plan.loss_path >= 0)
    for (LinkId l : links_of_path(plan.loss_path))
      for (Direction d : {Direction::AtoB, Direction::BtoA})
        sim.add_impairment(l, d, std::make_unique<RandomLoss>(sim.rng("plan-loss:" + std::to_string(plan.seed_salt) + ":" + std::to_string(l) +
                                                                       (d == Direction::AtoB ? "ab" : "ba")),
                                                              plan.loss));
  const Nanos at = sim.now() + plan.fault_after;
  if (plan.down_path >= 0)
    sim.at(at, [&, links = links_of_path(plan.down_path)] {
      for (LinkId l : links) sim.set_link_up(l, false);
    });
  if (plan.hang_target >= 0)
    sim.at(at, [&s, &sim, t = plan.hang_target] {
      s.target(t).target().crash(sim.now());
      s.target(t).pump();
    });
  s.run_workload();
  Outcome o;
  o.summary = s.summary();
  o.events = s.initiator(0).log();
  o.disks = disk_hashes(s.config(), [&](std::uint32_t t, std::uint64_t lba, std::span<std::uint8_t> out) {
    s.target(t).target().read_sectors(lba, out);
  });
  return o;
}

Outcome run_ns3(const Plan& plan) {
  Ns3Simulation s(plan_config(plan));
  s.discover();
  if (plan.loss_path >= 0) s.set_path_loss(static_cast<std::uint32_t>(plan.loss_path), plan.loss);
  const Nanos at = s.now() + plan.fault_after;
  if (plan.down_path >= 0) s.at(at, [&s, p = plan.down_path] { s.set_path_up(static_cast<std::uint32_t>(p), false); });
  if (plan.hang_target >= 0) s.at(at, [&s, t = plan.hang_target] { s.target(t).crash(s.now()); });
  s.run_workload();
  Outcome o;
  o.summary = s.summary();
  o.events = s.events();
  o.disks = disk_hashes(s.config(), [&](std::uint32_t t, std::uint64_t lba, std::span<std::uint8_t> out) {
    s.target(t).read_sectors(lba, out);
  });
  return o;
}

std::vector<std::pair<initiator::EventKind, std::uint32_t>> device_events(const std::vector<initiator::Event>& events) {
  std::vector<std::pair<initiator::EventKind, std::uint32_t>> out;
  for (const auto& e : events)
    switch (e.kind) {
      case initiator::EventKind::DeviceUp:
      case initiator::EventKind::DeviceDown:
      case initiator::EventKind::DeviceFailed:
      case initiator::EventKind::DeviceResized:
        out.emplace_back(e.kind, e.device.key());
        break;
      default:
        break;
    }
  return out;
}

}  // namespace aoeh::sim::testing
