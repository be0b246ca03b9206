// The plan runner: the hosts, fault installation, the run itself and the verdict, on a network
// backend (faults/plan_backend.hpp: the in-process simulator or ns-3).
#include "faults/scenario.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>

#include "faults/expectations.hpp"
#include "faults/fault_text.hpp"
#include "faults/fault_install.hpp"
#include "faults/host_metrics.hpp"
#include "faults/faulty_target.hpp"
#include "faults/plan_backend.hpp"
#include "sim/engine_host.hpp"
#include "sim/hash.hpp"
#include "sim/topology.hpp"

namespace aoeh::faults {
namespace {

using initiator::EventKind;

struct FaultRuntime {
  int target_fault = -1;
  FaultStats extra;
};

class Runner final : public FaultWorld {
 public:
  Runner(const Plan& plan, const RunOptions& options, const BackendFactory& make_backend)
      : plan_(plan),
        options_(options),
        seed_(options.seed.value_or(plan.seed)),
        net_(make_backend(seed_)) {}
  ~Runner() {
    // Drop the network (and the hosts in it) first: the engine's handler points into this runner.
    if (initiator_) initiator_->set_event_handler({});
    net_.reset();
  }

  ScenarioResult run();

 private:
  void build();
  void install(std::size_t index);
  void schedule_actions();
  void schedule_samples();
  void start_workload();
  void on_engine_event(const initiator::Event& e);
  void note(Nanos t, std::string text);
  void note_now(std::string text) { note(net_->now(), std::move(text)); }
  std::vector<CableDir> site_dirs(const FaultSite& site) const;
  std::vector<std::uint32_t> site_ports(const FaultSite& site) const;
  std::uint32_t target_port_ref(std::size_t fault, std::uint32_t port) const;

  // FaultWorld: what faults/fault_install.cpp needs, for plan fault `fault`.
  Nanos now() const override { return net_->now(); }
  void at(Nanos time, std::function<void()> action) override { net_->at(time, std::move(action)); }
  void note_edge(std::size_t fault, bool start) override;
  void count(std::size_t fault, const std::string& counter) override { ++faults_[fault].extra[counter]; }
  FaultyTargetHost& target(std::size_t fault) override { return *targets_[plan_.faults[fault].site.index]; }
  void target_crashed(std::size_t fault) override;
  void add_frame_fault(std::size_t fault, const FaultPlan& f, Window w) override;
  PlanBackend::FaultHooks add_link_fault(std::size_t fault, const FaultPlan& f) override {
    return net_->add_link_fault(fault, f, site_dirs(f.site));
  }
  void hold_cables_down(std::size_t fault, bool down) override;
  std::uint32_t switch_port_mtu(std::size_t fault) const override {
    return plan_.port_ref(plan_.faults[fault].site.index).switch_mtu;
  }
  void set_switch_port_mtu(std::size_t fault, bool toward_host, std::uint32_t mtu) override {
    net_->set_switch_port_mtu(CableDir{plan_.faults[fault].site.index, toward_host}, mtu);
  }
  void set_port_up(std::size_t fault, bool up) override { net_->set_nic_up(plan_.faults[fault].site.index, up); }
  std::uint32_t port_mtu(std::size_t fault) const override {
    return plan_.initiator_ports[plan_.faults[fault].site.index].mtu;
  }
  void set_port_mtu(std::size_t fault, std::uint32_t mtu) override { net_->set_nic_mtu(plan_.faults[fault].site.index, mtu); }
  void set_target_nic_mac(std::size_t fault, std::uint32_t port, const proto::MacAddress& mac) override {
    net_->set_nic_mac(target_port_ref(fault, port), mac);
  }
  std::string path_label(const proto::MacAddress& mac) const;
  std::optional<std::uint32_t> workload_device(std::uint32_t target_index) const;
  void collect_metrics();
  std::uint64_t engine_event_hash() const;

  const Plan& plan_;
  RunOptions options_;
  std::uint64_t seed_;
  std::unique_ptr<PlanBackend> net_;
  sim::EngineHost* initiator_ = nullptr;
  std::vector<FaultyTargetHost*> targets_;
  CableHolds cable_holds_;  // by port: overlapping down faults and flaps
  std::vector<FaultRuntime> faults_;
  std::unique_ptr<DurabilityChecker> checker_;
  std::unique_ptr<PlanWorkload> workload_;
  std::vector<std::uint32_t> io_errors_noted_;
  Observations obs_;
  enum class Lifecycle : std::uint8_t { Unknown, Up, Failed, Down };
  std::vector<Lifecycle> lifecycle_;  // per plan target, from engine events
  std::vector<std::pair<std::uint64_t, std::uint32_t>> mac_ports_;  // MAC -> plan port index
  ScenarioResult result_;
};

// ------------------------------------------------------------------ world

void Runner::build() {
  // The initiator.
  initiator::EngineConfig ec;
  ec.dead_after = plan_.engine.dead_after;
  ec.discover_interval = plan_.engine.discover_interval;
  ec.rto_initial = plan_.engine.rto_initial;
  ec.rto_min = plan_.engine.rto_min;
  ec.rto_max = plan_.engine.rto_max;
  ec.path_unhealthy_after = plan_.engine.path_unhealthy_after;
  ec.probe_interval = plan_.engine.probe_interval;
  ec.max_outstanding_per_path = plan_.engine.max_outstanding;
  ec.payload_fallback = plan_.engine.payload_fallback;
  ec.fallback_after_timeouts = plan_.engine.fallback_after_timeouts;
  std::vector<proto::MacAddress> imacs;
  for (std::uint32_t k = 0; k < plan_.initiator_ports.size(); ++k) {
    const PortPlan& p = plan_.initiator_ports[k];
    imacs.push_back(p.mac.value_or(sim::initiator_mac(0, k)));
    ec.ports.push_back(initiator::PortConfig{p.name, imacs.back(), p.mtu, true});
  }
  auto engine = std::make_unique<sim::EngineHost>(ec);
  initiator_ = engine.get();
  initiator_->set_keep_log(false);
  net_->add_host(std::move(engine), plan_.initiator_ports, imacs);

  // The targets.
  auto port_ref = static_cast<std::uint32_t>(plan_.initiator_ports.size());
  for (std::uint32_t t = 0; t < plan_.targets.size(); ++t) {
    const TargetPlan& tp = plan_.targets[t];
    target::TargetConfig tc;
    tc.shelf = tp.address.shelf;
    tc.slot = tp.address.slot;
    tc.capacity_sectors = tp.capacity_sectors;
    tc.bufcnt = tp.bufcnt;
    tc.firmware_version = tp.firmware;
    tc.sector_count = tp.sector_count;
    tc.config_string = tp.config_string;
    tc.write_cache = tp.write_cache;
    tc.service = target::ServiceTime{tp.service_fixed, tp.service_per_sector};
    tc.model = tp.model;
    tc.defects = tp.defects;
    std::vector<proto::MacAddress> macs;
    for (std::uint32_t k = 0; k < tp.ports.size(); ++k) {
      macs.push_back(tp.ports[k].mac.value_or(sim::target_mac(t, k)));
      tc.ports.push_back(target::TargetPort{macs.back(), tp.ports[k].mtu});
      mac_ports_.emplace_back(macs.back().to_u64(), port_ref++);
    }
    auto host = std::make_unique<FaultyTargetHost>(tc);
    targets_.push_back(host.get());
    net_->add_host(std::move(host), tp.ports, macs);
  }
  lifecycle_.assign(plan_.targets.size(), Lifecycle::Unknown);

  if (!options_.pcap_path.empty() && plan_.capture != "none") {
    std::string error;
    const std::size_t tapped = plan_.capture == "all" ? plan_.port_count() : plan_.initiator_ports.size();
    if (!net_->capture(options_.pcap_path, tapped, &error))
      throw std::runtime_error("cannot write " + options_.pcap_path + ": " + error);
    result_.pcap_path = options_.pcap_path;
  }

  if (plan_.workload.enabled) {
    std::vector<proto::DeviceAddress> addresses;
    std::vector<DurabilityChecker::Device> devices;
    for (std::uint32_t t : plan_.workload.devices) {
      addresses.push_back(plan_.targets[t].address);
      devices.push_back({plan_.targets[t].address, plan_.targets[t].write_cache});
    }
    if (plan_.workload.verify) checker_ = std::make_unique<DurabilityChecker>(seed_, devices);
    workload_ = std::make_unique<PlanWorkload>(plan_.workload, *initiator_, addresses, checker_.get(),
                                               sim::Rng::stream(seed_, "workload"));
    workload_->record_successes(std::any_of(plan_.expectations.begin(), plan_.expectations.end(), [](const auto& e) {
      return e.kind == ExpectationPlan::Kind::IoCompleted;
    }));
    io_errors_noted_.assign(addresses.size(), 0);
  }
  initiator_->set_event_handler([this](const initiator::Event& e) {
    on_engine_event(e);
    net_->poll();  // the workload may be done, or its devices settled
  });
}

std::optional<std::uint32_t> Runner::workload_device(std::uint32_t target_index) const {
  if (!workload_) return std::nullopt;
  for (std::uint32_t i = 0; i < workload_->device_count(); ++i)
    if (workload_->plan_index(i) == target_index) return i;
  return std::nullopt;
}

// ------------------------------------------------------------------ events and the timeline

void Runner::note(Nanos t, std::string text) {
  if (options_.timeline) result_.timeline.push_back(TimelineEntry{t, std::move(text)});
}

std::string Runner::path_label(const proto::MacAddress& mac) const {
  const std::uint64_t key = mac.to_u64();
  for (auto it = mac_ports_.rbegin(); it != mac_ports_.rend(); ++it)
    if (it->first == key) {
      const PortPlan& p = plan_.port_ref(it->second);
      return mac.to_string() + " (" + p.name + ", path " + plan_.paths[p.path].name + ")";
    }
  return mac.to_string();
}

void Runner::on_engine_event(const initiator::Event& e) {
  if (e.kind == EventKind::IoCompleted) {
    if (workload_) {
      workload_->on_event(e);
      // The first few failures per device go on the timeline; results.json has them all counted.
      const auto& f = workload_->failures();
      if (options_.timeline && !f.empty() && f.back().time == e.time && e.status != initiator::IoStatus::Ok) {
        const IoRecord& r = f.back();
        if (r.device < io_errors_noted_.size() && io_errors_noted_[r.device]++ < 5) {
          std::string what = std::string(r.kind == initiator::IoKind::Read    ? "read"
                                         : r.kind == initiator::IoKind::Write ? "write"
                                                                              : "flush");
          if (r.kind != initiator::IoKind::Flush) what += " LBA " + std::to_string(r.lba) + "+" + std::to_string(r.sectors);
          std::string why = initiator::io_status_name(r.status);
          if (r.status == initiator::IoStatus::AtaError) {
            char b[48];
            std::snprintf(b, sizeof b, " (status 0x%02x, error 0x%02x)", r.ata_status, r.ata_error);
            why += b;
          } else if (r.aoe_error != 0) {
            why += " (AoE error " + std::to_string(r.aoe_error) + ")";
          }
          note(e.time, "I/O error on " + plan_.targets[workload_->plan_index(r.device)].address.to_string() + ": " + what +
                           ": " + why);
        }
      }
    }
    return;
  }
  obs_.events.push_back(ObservedEvent{e.time, e.kind, e.device, e.state, e.path});
  if (auto t = plan_.find_target(e.device)) {
    if (e.kind == EventKind::DeviceUp) lifecycle_[*t] = Lifecycle::Up;
    if (e.kind == EventKind::DeviceFailed) lifecycle_[*t] = Lifecycle::Failed;
    if (e.kind == EventKind::DeviceDown) lifecycle_[*t] = Lifecycle::Down;
  }
  if (workload_) workload_->on_event(e);
  if (!options_.timeline) return;
  const std::string dev = e.device.to_string();
  std::string text;
  switch (e.kind) {
    case EventKind::DeviceUp:
      text = "device " + dev + " up (" + std::to_string(e.new_sectors) + " sectors)";
      break;
    case EventKind::DeviceDown: text = "device " + dev + " " + initiator::device_state_name(e.state); break;
    case EventKind::DeviceFailed:
      text = "device " + dev + " failed (" + initiator::io_status_name(e.status) + ")";
      break;
    case EventKind::DeviceResized:
      text = "device " + dev + " resized " + std::to_string(e.old_sectors) + " -> " + std::to_string(e.new_sectors) + " sectors";
      break;
    case EventKind::PathAdded:
      text = "device " + dev + " path " + path_label(e.path) + " added on " + plan_.initiator_ports.at(e.port).name;
      break;
    case EventKind::PathUnhealthy: text = "device " + dev + " path " + path_label(e.path) + " unhealthy"; break;
    case EventKind::PathHealthy: text = "device " + dev + " path " + path_label(e.path) + " healthy again"; break;
    case EventKind::PayloadFallback:
      text = "device " + dev + " path " + path_label(e.path) + ": payload fallback to 2-sector frames";
      break;
    case EventKind::ShelfUnset: text = "a target answered with shelf 0x0FFF from " + e.path.to_string(); break;
    case EventKind::ConfigChanged: text = "device " + dev + " path " + path_label(e.path) + ": Query Config changed"; break;
    default: text = initiator::event_kind_name(e.kind); break;
  }
  note(e.time, std::move(text));
}

// ------------------------------------------------------------------ faults

std::vector<CableDir> Runner::site_dirs(const FaultSite& site) const {
  std::vector<CableDir> out;
  auto add = [&](std::uint32_t port, bool toward, bool from) {
    if (from) out.push_back(CableDir{port, false});
    if (toward) out.push_back(CableDir{port, true});
  };
  if (site.kind == FaultSite::Kind::Path) {
    for (std::uint32_t i = 0; i < plan_.port_count(); ++i)
      if (plan_.port_ref(i).path == site.index) add(i, true, true);
  } else {
    add(site.index, site.toward_host, site.from_host);
  }
  return out;
}

std::vector<std::uint32_t> Runner::site_ports(const FaultSite& site) const {
  std::vector<std::uint32_t> out;
  for (const CableDir& d : site_dirs(site))
    if (std::find(out.begin(), out.end(), d.port) == out.end()) out.push_back(d.port);
  return out;
}

void Runner::hold_cables_down(std::size_t fault, bool down) {
  for (std::uint32_t p : site_ports(plan_.faults[fault].site)) {
    if (down ? cable_holds_.hold(p) : cable_holds_.release(p)) net_->set_cable_up(p, !down);
  }
}

void Runner::note_edge(std::size_t fault, bool start) {
  note_now("fault[" + std::to_string(fault) + "] " + describe_fault(plan_.faults[fault]) + (start ? " starts" : " ends"));
}

void Runner::target_crashed(std::size_t fault) {
  if (checker_)
    if (auto wd = workload_device(plan_.faults[fault].site.index)) checker_->crash(*wd);
}

void Runner::add_frame_fault(std::size_t fault, const FaultPlan& f, Window w) {
  faults_[fault].target_fault =
      static_cast<int>(target(fault).add_fault(f, w, sim::Rng::stream(seed_, "fault" + std::to_string(fault))));
}

std::uint32_t Runner::target_port_ref(std::size_t fault, std::uint32_t port) const {
  const std::uint32_t ti = plan_.faults[fault].site.index;
  auto ref = static_cast<std::uint32_t>(plan_.initiator_ports.size());
  for (std::uint32_t t = 0; t < ti; ++t) ref += static_cast<std::uint32_t>(plan_.targets[t].ports.size());
  return ref + port;
}

void Runner::install(std::size_t index) {
  const FaultPlan& f = plan_.faults[index];
  // Path names for events about the new MAC.
  if (f.type == FaultType::MacChange) mac_ports_.emplace_back(f.mac.to_u64(), target_port_ref(index, f.port));
  install_fault(*this, index, f);
}

// ------------------------------------------------------------------ actions and samples

void Runner::schedule_actions() {
  for (const auto& a : plan_.actions) {
    net_->at(a.at, [this, a] {
      if (a.kind == ActionPlan::Kind::Discover) {
        note_now("action: discover");
        initiator_->discover();
        return;
      }
      for (std::uint32_t t : a.devices) {
        const proto::DeviceAddress addr = plan_.targets[t].address;
        note_now(std::string("action: ") + action_name(a.kind) + " " + addr.to_string());
        switch (a.kind) {
          case ActionPlan::Kind::Revalidate: initiator_->revalidate(addr); break;
          case ActionPlan::Kind::Open: initiator_->open(addr); break;
          case ActionPlan::Kind::Close: initiator_->close(addr); break;
          case ActionPlan::Kind::Flush:
            if (auto wd = workload_device(t)) {
              workload_->flush(*wd);
            } else {
              initiator::IoRequest r;
              r.kind = initiator::IoKind::Flush;
              r.user_data = ~std::uint64_t{0};
              initiator_->submit(addr, r);
            }
            break;
          default: break;
        }
      }
    });
  }
}

void Runner::schedule_samples() {
  obs_.samples.resize(plan_.expectations.size());
  for (std::size_t i = 0; i < plan_.expectations.size(); ++i) {
    const auto& e = plan_.expectations[i];
    if (!e.at || !e.device) continue;
    net_->at(*e.at, [this, i, addr = plan_.targets[*e.device].address] {
      obs_.samples[i].taken = true;
      obs_.samples[i].info = initiator_->engine().device(addr);
    });
  }
}

void Runner::start_workload() {
  if (!workload_ || workload_->started()) return;
  note_now("workload starts");
  workload_->start();
}

// ------------------------------------------------------------------ metrics

void Runner::collect_metrics() {
  auto& m = result_.metrics;
  add_host_metrics(m, initiator_->engine().counters(), workload_.get(), checker_.get());
  for (std::uint32_t i = 0; i < plan_.port_count(); ++i) {
    const PortPlan& p = plan_.port_ref(i);
    net_->add_cable_metrics(m, i, p.name, plan_.paths[p.path].name);
    add_nic_metrics(m, p.name, net_->nic_counters(i));
  }
  for (std::uint32_t t = 0; t < targets_.size(); ++t)
    add_target_metrics(m, plan_.targets[t].address.to_string(), targets_[t]->target());
  add_fault_metrics(m, result_.faults);
  m["sim.events"] = double(net_->events());
  m["sim.time_s"] = double(net_->now()) / 1e9;
}

// A backend without an event log (ns-3): the engine's events (kind, time, device) folded instead.
std::uint64_t Runner::engine_event_hash() const {
  std::uint64_t h = 0;
  for (const auto& e : obs_.events)
    h = sim::fold(sim::fold(sim::fold(h, static_cast<std::uint64_t>(e.kind)), static_cast<std::uint64_t>(e.time)),
                  e.device.key());
  return h;
}

// ------------------------------------------------------------------ the run

ScenarioResult Runner::run() {
  const auto wall0 = std::chrono::steady_clock::now();  // reported only; never feeds the simulation
  result_.plan_name = plan_.name;
  result_.seed = seed_;
  build();
  faults_.resize(plan_.faults.size());
  for (std::size_t i = 0; i < plan_.faults.size(); ++i) install(i);
  schedule_actions();
  schedule_samples();

  // Everything scripted must have happened before the run may end.
  Nanos horizon = 0;
  for (const auto& f : plan_.faults) horizon = std::max({horizon, f.at, f.duration == sim::kNever ? 0 : f.at + f.duration});
  for (const auto& a : plan_.actions) horizon = std::max(horizon, a.at);
  for (const auto& e : plan_.expectations) {
    horizon = std::max(horizon, e.after);
    if (e.by != sim::kNever) horizon = std::max(horizon, e.by);
    if (e.at) horizon = std::max(horizon, *e.at);
  }
  const Nanos limit = plan_.duration.value_or(plan_.max_duration);
  horizon = std::min(horizon, limit);
  net_->at(horizon, [] {});  // an event at the horizon even in an otherwise idle world

  net_->start();
  if (workload_) {
    if (plan_.workload.start) {
      net_->at(*plan_.workload.start, [this] { start_workload(); });
    } else {
      // Default start: every workload device up or failed (or 30 s, whichever is first).
      auto settled = [this] {
        for (std::uint32_t t : plan_.workload.devices)
          if (lifecycle_[t] != Lifecycle::Up && lifecycle_[t] != Lifecycle::Failed) return false;
        return true;
      };
      net_->run_until(settled, std::min<Nanos>(30 * sim::kSecond, limit));
      start_workload();
    }
  }
  if (plan_.duration) {
    net_->run_until([] { return false; }, *plan_.duration);
  } else {
    net_->run_until([&] { return (!workload_ || workload_->done()) && net_->now() >= horizon; }, limit);
  }
  net_->finish();

  // Results.
  for (std::size_t i = 0; i < plan_.faults.size(); ++i) {
    const FaultPlan& f = plan_.faults[i];
    FaultSummary s;
    s.type = fault_type_name(f.type);
    s.site = site_name(f.site);
    s.at = f.at;
    s.duration = f.duration;
    net_->add_link_fault_stats(i, s.stats);
    if (faults_[i].target_fault >= 0)
      targets_[f.site.index]->add_stats(static_cast<std::size_t>(faults_[i].target_fault), s.stats);
    for (const auto& [k, v] : faults_[i].extra) s.stats[k] += v;
    result_.faults.push_back(std::move(s));
  }
  for (const auto& tp : plan_.targets) {
    DeviceSummary d;
    d.address = tp.address.to_string();
    d.state = "unknown";
    if (const auto info = initiator_->engine().device(tp.address)) {
      d.state = initiator::device_state_name(info->state);
      d.capacity_sectors = info->capacity_sectors;
      for (const auto& p : info->paths) d.payload_sectors.push_back(p.payload_sectors);
    }
    result_.devices.push_back(std::move(d));
  }
  // End-of-run samples for expectations without a time.
  for (std::size_t i = 0; i < plan_.expectations.size(); ++i) {
    const auto& e = plan_.expectations[i];
    if (e.at || !e.device) continue;
    obs_.samples[i].taken = true;
    obs_.samples[i].info = initiator_->engine().device(plan_.targets[*e.device].address);
  }
  if (workload_) {
    result_.workload_enabled = true;
    result_.workload = workload_->stats();
    result_.workload_complete = workload_->done();
    if (options_.timeline && workload_->done()) note(result_.workload.finished_at, "workload finished");
    for (std::uint32_t d = 0; d < io_errors_noted_.size(); ++d)
      if (io_errors_noted_[d] > 5)
        note(net_->now(), std::to_string(io_errors_noted_[d] - 5) + " more I/O errors on " +
                             plan_.targets[workload_->plan_index(d)].address.to_string() + " not listed");
  }
  if (checker_) {
    result_.durability = checker_->counters();
    result_.violations = checker_->violations();
  }
  result_.simulated = net_->now();
  result_.events = net_->events();
  result_.event_hash = net_->event_hash().value_or(engine_event_hash());
  collect_metrics();
  if (!result_.pcap_path.empty()) result_.frames_captured = net_->frames_captured();

  obs_.mac_ports = mac_ports_;
  obs_.workload = workload_.get();
  obs_.checker = checker_.get();
  result_.expectations = judge(plan_, obs_, result_);
  result_.passed = std::all_of(result_.expectations.begin(), result_.expectations.end(),
                               [](const ExpectationResult& r) { return r.passed; });
  std::stable_sort(result_.timeline.begin(), result_.timeline.end(),
                   [](const TimelineEntry& a, const TimelineEntry& b) { return a.time < b.time; });
  result_.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  return std::move(result_);
}

}  // namespace

ScenarioResult run_plan(const Plan& plan, const RunOptions& options, const BackendFactory& make_backend) {
  Runner r(plan, options, make_backend);
  return r.run();
}

ScenarioResult run_plan(const Plan& plan, const RunOptions& options) {
  return run_plan(plan, options, [&plan](std::uint64_t seed) { return make_sim_backend(plan, seed); });
}

}  // namespace aoeh::faults
