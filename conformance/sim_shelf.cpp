#include "conformance/sim_shelf.hpp"

#include "sim/impairment.hpp"
#include "sim/target_host.hpp"
#include "sim/topology.hpp"

namespace aoeh::conformance {

SimShelf::SimShelf(const SimShelfOptions& o) : sim_(std::make_unique<sim::Simulator>(o.seed)) {
  constexpr std::uint32_t kPathMtu[2] = {1500, 9000};
  sim::LinkConfig cable;
  cable.bits_per_second = 10'000'000'000;
  cable.propagation = 2 * sim::kMicrosecond;
  sim::SwitchId paths[2];
  for (int p = 0; p < 2; ++p) paths[p] = sim_->add_switch({p == 0 ? "path0" : "path1", 1 * sim::kMicrosecond});

  world_ = std::make_unique<sim::SimWorld>(*sim_);
  std::vector<sim::LinkId> links;
  for (std::uint32_t p = 0; p < 2; ++p) {
    const auto nic = world_->add_probe(p == 0 ? "path0" : "path1", paths[p], sim::probe_mac(p), kPathMtu[p], cable);
    links.push_back(sim_->nic_link(nic)->first);
  }

  for (std::uint32_t t = 0; t < 3; ++t) {
    target::TargetConfig c;
    std::vector<sim::NicConfig> nics;
    for (std::uint32_t p = 0; p < 2; ++p) {
      const auto mac = sim::target_mac(t, p);
      c.ports.push_back({mac, kPathMtu[p]});
      nics.push_back({"e1." + std::to_string(t) + "-" + std::to_string(p), mac, kPathMtu[p]});
    }
    c.shelf = 1;
    c.slot = static_cast<std::uint8_t>(t);
    c.service = {20 * sim::kMicrosecond, 1 * sim::kMicrosecond};
    if (t == 1) {
      c.capacity_sectors = kDeviceSectors;
      c.write_cache = true;
      c.config_string = "aoeh reference shelf e1.1";
      c.read_only = o.read_only;
      c.defects = o.defects;
    }
    auto host = std::make_unique<sim::TargetHost>(std::move(c));
    auto* raw = host.get();
    if (t == 1) dut_ = &raw->target();
    sim_->add_host(std::move(host), nics);
    for (std::uint32_t p = 0; p < 2; ++p) links.push_back(sim_->connect(raw->nics()[p], paths[p], kPathMtu[p], cable));
  }

  if (o.loss > 0) {
    for (auto link : links)
      for (auto dir : {sim::Direction::AtoB, sim::Direction::BtoA})
        sim_->add_impairment(link, dir,
                             std::make_unique<sim::RandomLoss>(
                                 sim_->rng("loss:link" + std::to_string(link) + (dir == sim::Direction::AtoB ? ":ab" : ":ba")),
                                 o.loss));
  }
}

SimShelf::~SimShelf() = default;

}  // namespace aoeh::conformance
