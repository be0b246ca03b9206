// A fault plan on ns-3: the in-process hosts (EngineHost, FaultyTargetHost, PlanWorkload,
// DurabilityChecker, the expectations judge) inside ns-3 applications, over an ns-3 network.
// Path p is a node with a learning BridgeNetDevice (the switch); every NIC is a SimpleNetDevice
// cabled to its own bridge port over a SimpleChannel (latency + half the forwarding delay, so a
// host-switch-host trip costs what it costs in-process); both ends have the path's DataRate and a
// drop-tail queue of the path's length. Each cable direction has one CableErrorModel at its
// receiving end: down state, switch port MTU, and the plan's link faults as ns-3 error models.
#include <ns3/bridge-net-device.h>
#include <ns3/data-rate.h>
#include <ns3/drop-tail-queue.h>
#include <ns3/error-model.h>
#include <ns3/mac48-address.h>
#include <ns3/node.h>
#include <ns3/nstime.h>
#include <ns3/pointer.h>
#include <ns3/queue-size.h>
#include <ns3/random-variable-stream.h>
#include <ns3/rng-seed-manager.h>
#include <ns3/simple-channel.h>
#include <ns3/simple-net-device.h>
#include <ns3/simulator.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>

#include "faults/expectations.hpp"
#include "faults/fault_text.hpp"
#include "faults/foreign_command.hpp"
#include "faults/host_metrics.hpp"
#include "faults/faulty_target.hpp"
#include "faults/plan_workload.hpp"
#include "protocol/mac_mask_list.hpp"
#include "protocol/reserve_release.hpp"
#include "sim/engine_host.hpp"
#include "sim/hash.hpp"
#include "sim/ns3/cable_error_model.hpp"
#include "sim/ns3/host_app.hpp"
#include "sim/ns3/ns3_plan.hpp"
#include "sim/topology.hpp"

namespace aoeh::ns3sim {

using faults::FaultPlan;
using faults::FaultSite;
using faults::FaultType;
using faults::Nanos;
using initiator::EventKind;
using sim::ns3app::CableErrorModel;
using sim::ns3app::GilbertElliottErrorModel;
using sim::ns3app::HostApp;

std::string unavailable_reason() { return {}; }

namespace {

// Why ns-3 cannot express a fault here, or "" when it can.
std::string inexpressible(const FaultPlan& f) {
  switch (f.type) {
    case FaultType::Duplicate: return "ns-3 error models drop frames, they never copy them";
    case FaultType::Reorder: return "ns-3 channels deliver in order; holding one frame back needs a custom channel";
    case FaultType::CorruptUndetected:
      return "ns-3 error models drop corrupted frames; changing sector bytes and delivering them is not a model";
    case FaultType::Delay:
      if (f.jitter != 0) return "only a constant delay maps to the channel delay (this one has jitter)";
      if (f.probability < 1.0) return "only a delay on every frame maps to the channel delay (probability < 1)";
      if (f.site.kind != FaultSite::Kind::Path && !(f.site.toward_host && f.site.from_host))
        return "a channel's delay is the same both ways (this delay is for one direction)";
      return {};
    default: return {};
  }
}

// ns-3's simulator is process-global; callers may be on several threads (Python releases the GIL).
struct RunningGuard {
  RunningGuard() {
    if (!sim::ns3app::claim_ns3())
      throw std::logic_error("ns-3 backend: one ns-3 run at a time per process (ns-3 is global)");
  }
  ~RunningGuard() { sim::ns3app::release_ns3(); }
};

// One cabled NIC: its host's app and port, and the two ends of its cable.
struct Cable {
  ns3::Ptr<ns3::SimpleChannel> channel;
  ns3::Ptr<ns3::SimpleNetDevice> host_dev, switch_dev;
  ns3::Ptr<CableErrorModel> toward_host, from_host;  // rx models of host_dev and switch_dev
  ns3::Ptr<HostApp> app;
  std::uint32_t port = 0;
  Nanos delay = 0;
};

class Runner {
 public:
  Runner(const faults::Plan& plan, const faults::RunOptions& options)
      : plan_(plan), options_(options), seed_(options.seed.value_or(plan.seed)) {}
  ~Runner();
  faults::ScenarioResult run();

 private:
  void build();
  void install_fault(std::size_t index);
  void schedule_actions();
  void schedule_samples();
  void start_workload();
  void on_engine_event(const initiator::Event& e);
  void check_done();
  void note(Nanos t, std::string text) {
    if (options_.timeline) result_.timeline.push_back(faults::TimelineEntry{t, std::move(text)});
  }
  void note_now(std::string text) { note(now(), std::move(text)); }
  static Nanos now() { return ns3::Simulator::Now().GetNanoSeconds(); }
  void at(Nanos t, std::function<void()> f) {
    ns3::Simulator::Schedule(ns3::NanoSeconds(std::max<Nanos>(0, t - now())), std::move(f));
  }
  void at_start_end(std::size_t index, std::function<void()> begin, std::function<void()> end);
  // Cable directions a link/switch-port/path site covers: (cable, toward host?).
  std::vector<std::pair<std::uint32_t, bool>> site_dirs(const FaultSite& site) const;
  std::vector<std::uint32_t> site_cables(const FaultSite& site) const;
  void set_down(const std::vector<std::uint32_t>& cables, bool down);
  ns3::Ptr<ns3::UniformRandomVariable> stream(std::size_t fault, std::uint32_t cable, bool toward);
  faults::FaultyTargetHost& target(std::uint32_t i) { return *targets_[i]; }
  std::optional<std::uint32_t> workload_device(std::uint32_t target_index) const;
  std::string path_label(const proto::MacAddress& mac) const;
  void collect_metrics();

  const faults::Plan& plan_;
  faults::RunOptions options_;
  std::uint64_t seed_;
  std::vector<ns3::Ptr<ns3::Node>> nodes_;
  std::vector<ns3::Ptr<ns3::BridgeNetDevice>> bridges_;
  ns3::Ptr<HostApp> initiator_app_;
  sim::EngineHost* initiator_ = nullptr;
  std::vector<ns3::Ptr<HostApp>> target_apps_;
  std::vector<faults::FaultyTargetHost*> targets_;
  std::vector<Cable> cables_;  // by Plan::port_ref index
  std::optional<proto::PcapWriter> capture_;
  std::vector<faults::FaultStats> fault_stats_;
  std::vector<std::vector<ns3::Ptr<GilbertElliottErrorModel>>> burst_models_;
  std::vector<int> target_fault_;
  std::vector<std::function<void()>> finalizers_;  // counters of faults still active at the end
  std::unique_ptr<faults::DurabilityChecker> checker_;
  std::unique_ptr<faults::PlanWorkload> workload_;
  std::vector<std::uint32_t> io_errors_noted_;
  faults::Observations obs_;
  enum class Lifecycle : std::uint8_t { Unknown, Up, Failed, Down };
  std::vector<Lifecycle> lifecycle_;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> mac_ports_;
  bool waiting_start_ = false;
  Nanos horizon_ = 0;
  bool run_to_duration_ = false;
  faults::ScenarioResult result_;
};

Runner::~Runner() {
  // Hosts hold pointers into the workload and checker: drop the ns-3 world first.
  if (initiator_) initiator_->set_event_handler({});
  for (auto& n : nodes_) n->Dispose();
  cables_.clear();
  bridges_.clear();
  target_apps_.clear();
  initiator_app_ = nullptr;
  nodes_.clear();
  ns3::Simulator::Destroy();
}

// ------------------------------------------------------------------ world

ns3::Ptr<ns3::UniformRandomVariable> Runner::stream(std::size_t fault, std::uint32_t cable, bool toward) {
  // ns-3 numbers automatic streams from a process-wide counter; fixed numbers keep a seed's run
  // the same however many runs came before it in this process.
  auto v = ns3::CreateObject<ns3::UniformRandomVariable>();
  v->SetStream(static_cast<std::int64_t>((fault * cables_.size() + cable) * 2 + (toward ? 1 : 0)));
  return v;
}

void Runner::build() {
  ns3::Simulator::Destroy();
  ns3::RngSeedManager::SetSeed(1);
  ns3::RngSeedManager::SetRun(seed_);

  for (std::size_t p = 0; p < plan_.paths.size(); ++p) {
    auto node = ns3::CreateObject<ns3::Node>();
    auto bridge = ns3::CreateObject<ns3::BridgeNetDevice>();
    node->AddDevice(bridge);
    nodes_.push_back(node);
    bridges_.push_back(bridge);
  }
  auto make_device = [](const faults::PathPlan& path) {
    auto d = ns3::CreateObject<ns3::SimpleNetDevice>();
    d->SetMtu(65535);  // MTUs are the NICs' and the switch ports' (checked by HostApp and CableErrorModel)
    if (path.bits_per_second > 0)
      d->SetAttribute("DataRate", ns3::DataRateValue(ns3::DataRate(path.bits_per_second)));
    auto q = ns3::CreateObject<ns3::DropTailQueue<ns3::Packet>>();
    q->SetMaxSize(ns3::QueueSize(ns3::QueueSizeUnit::PACKETS, std::max<std::uint32_t>(1, path.queue)));
    d->SetQueue(q);
    return d;
  };
  // One NIC: a cable from `app`'s port to a new port of its path's bridge.
  auto cable = [&](const ns3::Ptr<HostApp>& app, const faults::PortPlan& port, proto::MacAddress mac) {
    const faults::PathPlan& path = plan_.paths[port.path];
    Cable c;
    c.delay = path.latency + path.forwarding_delay / 2;
    c.channel = ns3::CreateObject<ns3::SimpleChannel>();
    c.channel->SetAttribute("Delay", ns3::TimeValue(ns3::NanoSeconds(c.delay)));
    c.host_dev = make_device(path);
    ns3::Mac48Address a;
    a.CopyFrom(mac.bytes.data());
    c.host_dev->SetAddress(a);
    c.switch_dev = make_device(path);
    c.switch_dev->SetAddress(ns3::Mac48Address::Allocate());
    c.toward_host = ns3::CreateObject<CableErrorModel>();
    c.toward_host->port_mtu = port.switch_mtu;  // the switch port's egress
    c.from_host = ns3::CreateObject<CableErrorModel>();
    c.from_host->port_mtu = port.switch_mtu;    // and its ingress (real switches drop giants both ways)
    c.host_dev->SetReceiveErrorModel(c.toward_host);
    c.switch_dev->SetReceiveErrorModel(c.from_host);
    c.host_dev->SetChannel(c.channel);
    c.switch_dev->SetChannel(c.channel);
    app->GetNode()->AddDevice(c.host_dev);
    nodes_[port.path]->AddDevice(c.switch_dev);
    bridges_[port.path]->AddBridgePort(c.switch_dev);
    c.app = app;
    c.port = app->port_count();
    app->add_port(c.host_dev, port.mtu);
    cables_.push_back(c);
  };

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
    const faults::PortPlan& p = plan_.initiator_ports[k];
    imacs.push_back(p.mac.value_or(sim::initiator_mac(0, k)));
    ec.ports.push_back(initiator::PortConfig{p.name, imacs.back(), p.mtu, true});
  }
  {
    auto node = ns3::CreateObject<ns3::Node>();
    nodes_.push_back(node);
    auto engine = std::make_unique<sim::EngineHost>(ec);
    initiator_ = engine.get();
    initiator_->set_keep_log(false);
    initiator_app_ = ns3::CreateObject<HostApp>();
    initiator_app_->set_host(std::move(engine));
    node->AddApplication(initiator_app_);
    for (std::uint32_t k = 0; k < imacs.size(); ++k) cable(initiator_app_, plan_.initiator_ports[k], imacs[k]);
    initiator_app_->SetStartTime(ns3::Seconds(0));
  }

  // The targets.
  for (std::uint32_t t = 0; t < plan_.targets.size(); ++t) {
    const faults::TargetPlan& tp = plan_.targets[t];
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
    }
    auto node = ns3::CreateObject<ns3::Node>();
    nodes_.push_back(node);
    auto host = std::make_unique<faults::FaultyTargetHost>(tc);
    targets_.push_back(host.get());
    auto app = ns3::CreateObject<HostApp>();
    app->set_host(std::move(host));
    node->AddApplication(app);
    for (std::uint32_t k = 0; k < macs.size(); ++k) {
      mac_ports_.emplace_back(macs[k].to_u64(), static_cast<std::uint32_t>(cables_.size()));
      cable(app, tp.ports[k], macs[k]);
    }
    app->SetStartTime(ns3::Seconds(0));
    target_apps_.push_back(app);
  }
  lifecycle_.assign(plan_.targets.size(), Lifecycle::Unknown);

  if (!options_.pcap_path.empty() && plan_.capture != "none") {
    std::string error;
    capture_ = proto::PcapWriter::create(options_.pcap_path, &error);
    if (!capture_) throw std::runtime_error("cannot write " + options_.pcap_path + ": " + error);
    const std::size_t tapped = plan_.capture == "all" ? cables_.size() : plan_.initiator_ports.size();
    for (std::size_t i = 0; i < tapped; ++i) cables_[i].app->tap(cables_[i].port, &*capture_);
    result_.pcap_path = options_.pcap_path;
  }

  if (plan_.workload.enabled) {
    std::vector<proto::DeviceAddress> addresses;
    std::vector<faults::DurabilityChecker::Device> devices;
    for (std::uint32_t t : plan_.workload.devices) {
      addresses.push_back(plan_.targets[t].address);
      devices.push_back({plan_.targets[t].address, plan_.targets[t].write_cache});
    }
    if (plan_.workload.verify) checker_ = std::make_unique<faults::DurabilityChecker>(seed_, devices);
    // The same named stream as in-process: the same requests in the same order.
    workload_ = std::make_unique<faults::PlanWorkload>(plan_.workload, *initiator_, addresses, checker_.get(),
                                                       sim::Rng::stream(seed_, "workload"));
    io_errors_noted_.assign(addresses.size(), 0);
  }
  initiator_->set_event_handler([this](const initiator::Event& e) { on_engine_event(e); });
}

std::optional<std::uint32_t> Runner::workload_device(std::uint32_t target_index) const {
  if (!workload_) return std::nullopt;
  for (std::uint32_t i = 0; i < workload_->device_count(); ++i)
    if (workload_->plan_index(i) == target_index) return i;
  return std::nullopt;
}

// ------------------------------------------------------------------ events and the timeline

std::string Runner::path_label(const proto::MacAddress& mac) const {
  const std::uint64_t key = mac.to_u64();
  for (auto it = mac_ports_.rbegin(); it != mac_ports_.rend(); ++it)
    if (it->first == key) {
      const faults::PortPlan& p = plan_.port_ref(it->second);
      return mac.to_string() + " (" + p.name + ", path " + plan_.paths[p.path].name + ")";
    }
  return mac.to_string();
}

void Runner::on_engine_event(const initiator::Event& e) {
  if (e.kind == EventKind::IoCompleted) {
    if (!workload_) return;
    workload_->on_event(e);
    const auto& f = workload_->failures();
    if (options_.timeline && !f.empty() && f.back().time == e.time && e.status != initiator::IoStatus::Ok) {
      const faults::IoRecord& r = f.back();
      if (r.device < io_errors_noted_.size() && io_errors_noted_[r.device]++ < 5) {
        std::string what = r.kind == initiator::IoKind::Read ? "read" : r.kind == initiator::IoKind::Write ? "write" : "flush";
        if (r.kind != initiator::IoKind::Flush) what += " LBA " + std::to_string(r.lba) + "+" + std::to_string(r.sectors);
        note(e.time, "I/O error on " + plan_.targets[workload_->plan_index(r.device)].address.to_string() + ": " + what +
                         ": " + initiator::io_status_name(r.status));
      }
    }
    check_done();
    return;
  }
  obs_.events.push_back(faults::ObservedEvent{e.time, e.kind, e.device, e.state, e.path});
  if (auto t = plan_.find_target(e.device)) {
    if (e.kind == EventKind::DeviceUp) lifecycle_[*t] = Lifecycle::Up;
    if (e.kind == EventKind::DeviceFailed) lifecycle_[*t] = Lifecycle::Failed;
    if (e.kind == EventKind::DeviceDown) lifecycle_[*t] = Lifecycle::Down;
  }
  if (workload_) workload_->on_event(e);
  if (options_.timeline) {
    const std::string dev = e.device.to_string();
    std::string text = std::string(initiator::event_kind_name(e.kind)) + " " + dev;
    switch (e.kind) {
      case EventKind::DeviceUp: text = "device " + dev + " up (" + std::to_string(e.new_sectors) + " sectors)"; break;
      case EventKind::DeviceDown: text = "device " + dev + " " + initiator::device_state_name(e.state); break;
      case EventKind::DeviceFailed: text = "device " + dev + " failed (" + initiator::io_status_name(e.status) + ")"; break;
      case EventKind::DeviceResized:
        text = "device " + dev + " resized " + std::to_string(e.old_sectors) + " -> " + std::to_string(e.new_sectors) +
               " sectors";
        break;
      case EventKind::PathAdded: text = "device " + dev + " path " + path_label(e.path) + " added"; break;
      case EventKind::PathUnhealthy: text = "device " + dev + " path " + path_label(e.path) + " unhealthy"; break;
      case EventKind::PathHealthy: text = "device " + dev + " path " + path_label(e.path) + " healthy again"; break;
      case EventKind::PayloadFallback:
        text = "device " + dev + " path " + path_label(e.path) + ": payload fallback to 2-sector frames";
        break;
      default: break;
    }
    note(e.time, std::move(text));
  }
  if (waiting_start_) {
    bool settled = true;
    for (std::uint32_t t : plan_.workload.devices)
      if (lifecycle_[t] != Lifecycle::Up && lifecycle_[t] != Lifecycle::Failed) settled = false;
    if (settled) start_workload();
  }
  check_done();
}

void Runner::check_done() {
  if (run_to_duration_ || waiting_start_) return;
  if ((!workload_ || workload_->done()) && now() >= horizon_) ns3::Simulator::Stop();
}

// ------------------------------------------------------------------ faults

void Runner::at_start_end(std::size_t index, std::function<void()> begin, std::function<void()> end) {
  const FaultPlan& f = plan_.faults[index];
  const std::string what = "fault[" + std::to_string(index) + "] " + faults::describe_fault(f);
  at(f.at, [this, what, begin = std::move(begin)] {
    note_now(what + " starts");
    if (begin) begin();
  });
  if (f.duration != sim::kNever) {
    at(f.at + f.duration, [this, what, end = std::move(end)] {
      note_now(what + " ends");
      if (end) end();
    });
  }
}

std::vector<std::pair<std::uint32_t, bool>> Runner::site_dirs(const FaultSite& site) const {
  std::vector<std::pair<std::uint32_t, bool>> out;
  auto add = [&](std::uint32_t cable, bool toward, bool from) {
    if (from) out.emplace_back(cable, false);
    if (toward) out.emplace_back(cable, true);
  };
  if (site.kind == FaultSite::Kind::Path) {
    for (std::uint32_t i = 0; i < plan_.port_count(); ++i)
      if (plan_.port_ref(i).path == site.index) add(i, true, true);
  } else {
    add(site.index, site.toward_host, site.from_host);
  }
  return out;
}

std::vector<std::uint32_t> Runner::site_cables(const FaultSite& site) const {
  std::vector<std::uint32_t> out;
  for (const auto& [c, toward] : site_dirs(site))
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  return out;
}

void Runner::set_down(const std::vector<std::uint32_t>& cables, bool down) {
  for (std::uint32_t c : cables)
    for (CableErrorModel* m : {&*cables_[c].toward_host, &*cables_[c].from_host}) {
      if (down) ++m->down;
      else if (m->down > 0) --m->down;
    }
}

void Runner::install_fault(std::size_t index) {
  const FaultPlan& f = plan_.faults[index];
  const faults::Window w{f.at, f.duration == sim::kNever ? sim::kNever : f.at + f.duration};
  faults::FaultStats* stats = &fault_stats_[index];
  // A drop stage on every cable direction of the site; `make` builds its ns-3 model.
  auto stages = [&](const char* what, auto make) {
    for (const auto& [c, toward] : site_dirs(f.site)) {
      CableErrorModel::Stage s;
      s.window = w;
      s.what = what;
      s.stats = stats;
      make(s, stream(index, c, toward));
      (toward ? cables_[c].toward_host : cables_[c].from_host)->add_stage(s);
    }
    at_start_end(index, {}, {});
  };
  const std::uint32_t ti = f.site.index;
  switch (f.type) {
    case FaultType::Loss:
    case FaultType::CorruptDetected:  // an FCS error is a drop at the receiver
      return stages(f.type == FaultType::Loss ? "dropped" : "fcs_errors",
                    [&](CableErrorModel::Stage& s, ns3::Ptr<ns3::UniformRandomVariable> rng) {
                      auto m = ns3::CreateObject<ns3::RateErrorModel>();
                      m->SetUnit(ns3::RateErrorModel::ERROR_UNIT_PACKET);
                      m->SetRate(f.probability);
                      m->SetRandomVariable(rng);
                      s.model = m;
                    });
    case FaultType::BurstLoss:
      for (const char* k : {"bursts", "dropped_in_burst"}) (*stats)[k] += 0;
      return stages("dropped", [&](CableErrorModel::Stage& s, ns3::Ptr<ns3::UniformRandomVariable> rng) {
        auto m = ns3::CreateObject<GilbertElliottErrorModel>();
        m->configure(f.ge_p, f.ge_r, f.ge_loss_good, f.ge_loss_bad, rng);
        burst_models_[index].push_back(m);
        s.model = m;
      });
    case FaultType::BlackHole:
      return stages("dropped", [](CableErrorModel::Stage&, ns3::Ptr<ns3::UniformRandomVariable>) {});
    case FaultType::Mtu: {
      if (f.site.kind == FaultSite::Kind::SwitchPort) {
        // The switch port's own MTU: egress (towards the host) and/or ingress.
        Cable& c = cables_[f.site.index];
        const std::uint32_t old_mtu = plan_.port_ref(f.site.index).switch_mtu;
        const bool egress = f.site.toward_host, ingress = f.site.from_host;
        auto set = [&c, egress, ingress](std::uint32_t mtu) {
          if (egress) c.toward_host->port_mtu = mtu;
          if (ingress) c.from_host->port_mtu = mtu;
        };
        at_start_end(index, [set, mtu = f.mtu] { set(mtu); }, [set, old_mtu] { set(old_mtu); });
        return;
      }
      return stages("mtu_drops", [&](CableErrorModel::Stage& s, ns3::Ptr<ns3::UniformRandomVariable>) { s.mtu = f.mtu; });
    }
    case FaultType::Down:
    case FaultType::Partition: {
      const auto cables = site_cables(f.site);
      at_start_end(index, [this, cables] { set_down(cables, true); }, [this, cables] { set_down(cables, false); });
      return;
    }
    case FaultType::Flap: {
      const auto cables = site_cables(f.site);
      at_start_end(index, {}, {});
      struct Cycle {
        static void run(Runner* r, std::vector<std::uint32_t> cables, Nanos t, faults::Window w, Nanos period, Nanos down,
                        std::size_t i) {
          if (!w.contains(t)) return;
          r->at(t, [=] {
            r->set_down(cables, true);
            ++r->fault_stats_[i]["flaps"];
            r->at(std::min(t + down, w.end), [=] { r->set_down(cables, false); });
            run(r, cables, t + period, w, period, down, i);
          });
        }
      };
      Cycle::run(this, cables, w.start, w, f.period, f.down_time, index);
      return;
    }
    case FaultType::Delay: {
      // A constant delay on every frame, both ways: the cable's channel delay grows (checked by
      // unsupported() before the run).
      const auto cables = site_cables(f.site);
      auto shift = [this, cables](Nanos d) {
        for (std::uint32_t c : cables) {
          cables_[c].delay += d;
          cables_[c].channel->SetAttribute("Delay", ns3::TimeValue(ns3::NanoSeconds(cables_[c].delay)));
        }
      };
      // Every frame the cables carry while it lasts is delayed (counted as in-process).
      auto carried = [this, cables] {
        std::uint64_t n = 0;
        for (std::uint32_t c : cables) n += cables_[c].toward_host->frames + cables_[c].from_host->frames;
        return n;
      };
      auto base = std::make_shared<std::uint64_t>(0);
      auto finish = [stats, base, carried] {
        const std::uint64_t n = carried() - *base;
        (*stats)["delayed"] += n;
        (*stats)["frames_seen"] += n;
        *base = carried();
      };
      (*stats)["delayed"] += 0;
      (*stats)["frames_seen"] += 0;
      at_start_end(
          index,
          [shift, base, carried, d = f.delay] {
            *base = carried();
            shift(d);
          },
          [shift, finish, d = f.delay] {
            finish();
            shift(-d);
          });
      if (f.duration == sim::kNever) finalizers_.push_back([this, finish, at0 = f.at] {
        if (now() >= at0) finish();
      });
      return;
    }
    case FaultType::RateLimit:
    case FaultType::QueueOverflow: {
      // The bottleneck is the sending device's own rate and queue (ns-3's DataRate and DropTailQueue).
      struct Dev {
        ns3::Ptr<ns3::SimpleNetDevice> dev;
        std::uint64_t rate;
        std::uint32_t queue;
      };
      std::vector<Dev> devs;
      for (const auto& [c, toward] : site_dirs(f.site)) {
        const faults::PathPlan& path = plan_.paths[plan_.port_ref(c).path];
        devs.push_back(Dev{toward ? cables_[c].switch_dev : cables_[c].host_dev, path.bits_per_second, path.queue});
      }
      // Queue drops while the fault is active count as its own.
      auto base = std::make_shared<std::uint64_t>(0);
      auto dropped = [devs] {
        std::uint64_t n = 0;
        for (const Dev& d : devs) n += d.dev->GetQueue()->GetTotalDroppedPackets();
        return n;
      };
      auto set = [devs](bool on, std::uint64_t rate, std::uint32_t queue) {
        for (const Dev& d : devs) {
          const std::uint64_t r = on ? rate : d.rate;
          if (r > 0) d.dev->SetAttribute("DataRate", ns3::DataRateValue(ns3::DataRate(r)));
          auto q = d.dev->GetQueue();
          // ns-3 will not shrink a queue below what it holds: the limit applies as it drains.
          const std::uint32_t limit = std::max<std::uint32_t>(1, on ? queue : d.queue);
          q->SetMaxSize(ns3::QueueSize(ns3::QueueSizeUnit::PACKETS,
                                       std::max<std::uint32_t>(limit, q->GetCurrentSize().GetValue())));
        }
      };
      (*stats)["queue_drops"] += 0;
      auto finish = [stats, base, dropped] {
        (*stats)["queue_drops"] += dropped() - *base;
        *base = dropped();
      };
      at_start_end(
          index,
          [set, base, dropped, rate = f.rate, queue = f.queue] {
            *base = dropped();
            set(true, rate, queue);
          },
          [set, finish] {
            finish();
            set(false, 0, 0);
          });
      if (f.duration == sim::kNever) finalizers_.push_back([this, finish, at0 = f.at] {
        if (now() >= at0) finish();
      });
      return;
    }
    case FaultType::Duplicate:
    case FaultType::Reorder:
    case FaultType::CorruptUndetected:
      throw Unsupported("internal: unsupported fault reached install_fault");
    case FaultType::Hang:
    case FaultType::AoeError:
    case FaultType::AtaError:
    case FaultType::Runt:
    case FaultType::WrongTag:
    case FaultType::WrongShelf:
    case FaultType::WrongSlot:
    case FaultType::DuplicateReply:
    case FaultType::StaleReplay:
      target_fault_[index] =
          static_cast<int>(target(ti).add_fault(f, w, sim::Rng::stream(seed_, "fault" + std::to_string(index))));
      at_start_end(index, {}, {});
      return;
    case FaultType::Crash:
      at_start_end(
          index,
          [this, ti, index] {
            target(ti).crash(now());
            ++fault_stats_[index]["crashes"];
            if (checker_)
              if (auto wd = workload_device(ti)) checker_->crash(*wd);
          },
          [this, ti] {
            target(ti).target().restart(now());
            target(ti).pump();
          });
      return;
    case FaultType::Slow: {
      const target::ServiceTime old{plan_.targets[ti].service_fixed, plan_.targets[ti].service_per_sector};
      at_start_end(
          index, [this, ti, s = target::ServiceTime{f.delay, f.jitter}] { target(ti).target().set_service_time(s); },
          [this, ti, old] { target(ti).target().set_service_time(old); });
      return;
    }
    case FaultType::Resize:
    case FaultType::Bufcnt:
    case FaultType::ConfigString:
    case FaultType::Firmware: {
      auto apply = [this, ti, f](bool back) {
        target::Target& t = target(ti).target();
        const faults::TargetPlan& tp = plan_.targets[ti];
        switch (f.type) {
          case FaultType::Resize: t.resize(back ? tp.capacity_sectors : f.capacity_sectors); break;
          case FaultType::Bufcnt: t.set_bufcnt(back ? tp.bufcnt : f.number); break;
          case FaultType::ConfigString: t.set_config_string(back ? tp.config_string : f.text); break;
          default: t.set_firmware_version(back ? tp.firmware : f.number); break;
        }
        if (f.announce) t.announce(now());
        target(ti).pump();
      };
      at_start_end(index, [apply] { apply(false); }, [apply] { apply(true); });
      return;
    }
    case FaultType::MacChange: {
      std::uint32_t port_ref = static_cast<std::uint32_t>(plan_.initiator_ports.size());
      for (std::uint32_t t = 0; t < ti; ++t) port_ref += static_cast<std::uint32_t>(plan_.targets[t].ports.size());
      port_ref += f.port;
      const proto::MacAddress old = plan_.targets[ti].ports[f.port].mac.value_or(sim::target_mac(ti, f.port));
      mac_ports_.emplace_back(f.mac.to_u64(), port_ref);
      auto set = [this, ti, port_ref, port = f.port, announce = f.announce](proto::MacAddress mac) {
        cables_[port_ref].app->set_port_mac(cables_[port_ref].port, mac);
        target(ti).target().set_mac(port, mac);
        if (announce) target(ti).target().announce(now());
        target(ti).pump();
      };
      at_start_end(index, [set, mac = f.mac] { set(mac); }, [set, old] { set(old); });
      return;
    }
    case FaultType::Reserve:
    case FaultType::MaskList: {
      at_start_end(
          index,
          [this, ti, f] { faults::send_foreign_command(target(ti), f); },
          [this, ti, type = f.type] { faults::undo_foreign_command(target(ti).target(), type); });
      return;
    }
    case FaultType::ClaimAddress: {
      const proto::DeviceAddress own = plan_.targets[ti].address;
      auto set = [this, ti, announce = f.announce](proto::DeviceAddress a) {
        target(ti).target().set_address(a.shelf, a.slot);
        if (announce) target(ti).target().announce(now());
        target(ti).pump();
      };
      at_start_end(index, [set, a = f.address] { set(a); }, [set, own] { set(own); });
      return;
    }
    case FaultType::PortDown: {
      const std::uint32_t port = f.site.index;
      at_start_end(index, [this, port] { initiator_app_->set_port_up(port, false); },
                   [this, port] { initiator_app_->set_port_up(port, true); });
      return;
    }
    case FaultType::PortMtu: {
      const std::uint32_t port = f.site.index;
      const std::uint32_t old = plan_.initiator_ports[port].mtu;
      at_start_end(index, [this, port, mtu = f.mtu] { initiator_app_->set_port_mtu(port, mtu); },
                   [this, port, old] { initiator_app_->set_port_mtu(port, old); });
      return;
    }
  }
}

// ------------------------------------------------------------------ actions and samples

void Runner::schedule_actions() {
  for (const auto& a : plan_.actions) {
    at(a.at, [this, a] {
      if (a.kind == faults::ActionPlan::Kind::Discover) {
        note_now("action: discover");
        initiator_->discover();
        return;
      }
      for (std::uint32_t t : a.devices) {
        const proto::DeviceAddress addr = plan_.targets[t].address;
        note_now(std::string("action: ") + faults::action_name(a.kind) + " " + addr.to_string());
        switch (a.kind) {
          case faults::ActionPlan::Kind::Revalidate: initiator_->revalidate(addr); break;
          case faults::ActionPlan::Kind::Open: initiator_->open(addr); break;
          case faults::ActionPlan::Kind::Close: initiator_->close(addr); break;
          case faults::ActionPlan::Kind::Flush:
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
    at(*e.at, [this, i, addr = plan_.targets[*e.device].address] {
      obs_.samples[i].taken = true;
      obs_.samples[i].info = initiator_->engine().device(addr);
    });
  }
}

void Runner::start_workload() {
  waiting_start_ = false;
  if (!workload_ || workload_->started()) return;
  note_now("workload starts");
  workload_->start();
}

// ------------------------------------------------------------------ metrics

void Runner::collect_metrics() {
  auto& m = result_.metrics;
  faults::add_host_metrics(m, initiator_->engine().counters(), workload_.get(), checker_.get());
  for (std::uint32_t i = 0; i < cables_.size(); ++i) {
    const Cable& k = cables_[i];
    const std::string name = plan_.port_ref(i).name;
    // out: host -> switch (judged at the switch end), in: switch -> host.
    for (bool toward : {false, true}) {
      const CableErrorModel& em = toward ? *k.toward_host : *k.from_host;
      const auto& sender = toward ? k.switch_dev : k.host_dev;
      const std::string p = "link." + name + (toward ? ".in." : ".out.");
      m[p + "frames"] = double(em.frames);
      m[p + "delivered"] = double(em.delivered);
      m[p + "queue_drops"] = double(sender->GetQueue()->GetTotalDroppedPackets());
      m[p + "impairment_drops"] = double(em.impairment_drops);
      m[p + "down_drops"] = double(em.down_drops);
    }
    const std::string s = "switch." + plan_.paths[plan_.port_ref(i).path].name + "." + name + ".";
    m[s + "mtu_drops"] = double(k.toward_host->mtu_drops);
    m[s + "ingress_mtu_drops"] = double(k.from_host->mtu_drops);
    faults::add_nic_metrics(m, name, k.app->counters(k.port));
  }
  for (std::uint32_t t = 0; t < targets_.size(); ++t)
    faults::add_target_metrics(m, plan_.targets[t].address.to_string(), targets_[t]->target());
  faults::add_fault_metrics(m, result_.faults);
  m["sim.events"] = double(ns3::Simulator::GetEventCount());
  m["sim.time_s"] = double(now()) / 1e9;
}

// ------------------------------------------------------------------ the run

faults::ScenarioResult Runner::run() {
  const auto wall0 = std::chrono::steady_clock::now();  // reported only; never feeds the simulation
  result_.plan_name = plan_.name;
  result_.seed = seed_;
  build();
  fault_stats_.resize(plan_.faults.size());
  burst_models_.resize(plan_.faults.size());
  target_fault_.assign(plan_.faults.size(), -1);
  for (std::size_t i = 0; i < plan_.faults.size(); ++i) install_fault(i);
  schedule_actions();
  schedule_samples();

  for (const auto& f : plan_.faults)
    horizon_ = std::max({horizon_, f.at, f.duration == sim::kNever ? 0 : f.at + f.duration});
  for (const auto& a : plan_.actions) horizon_ = std::max(horizon_, a.at);
  for (const auto& e : plan_.expectations) {
    horizon_ = std::max(horizon_, e.after);
    if (e.by != sim::kNever) horizon_ = std::max(horizon_, e.by);
    if (e.at) horizon_ = std::max(horizon_, *e.at);
  }
  const Nanos limit = plan_.duration.value_or(plan_.max_duration);
  horizon_ = std::min(horizon_, limit);
  run_to_duration_ = plan_.duration.has_value();
  at(horizon_, [this] { check_done(); });
  ns3::Simulator::Schedule(ns3::NanoSeconds(limit), [] { ns3::Simulator::Stop(); });
  if (workload_) {
    if (plan_.workload.start) {
      at(*plan_.workload.start, [this] { start_workload(); });
    } else {
      // Default start: every workload device up or failed (checked at each engine event), or 30 s.
      waiting_start_ = true;
      at(std::min<Nanos>(30 * sim::kSecond, limit), [this] {
        if (waiting_start_) start_workload();
        check_done();
      });
    }
  }
  ns3::Simulator::Run();
  if (capture_) capture_->flush();
  for (auto& f : finalizers_) f();

  for (std::size_t i = 0; i < plan_.faults.size(); ++i) {
    const FaultPlan& f = plan_.faults[i];
    faults::FaultSummary s;
    s.type = faults::fault_type_name(f.type);
    s.site = faults::site_name(f.site);
    s.at = f.at;
    s.duration = f.duration;
    s.stats = fault_stats_[i];
    for (const auto& m : burst_models_[i]) {
      s.stats["bursts"] += m->bursts;
      s.stats["dropped"] += m->dropped;
      s.stats["dropped_in_burst"] += m->dropped_in_burst;
    }
    if (target_fault_[i] >= 0) target(f.site.index).add_stats(static_cast<std::size_t>(target_fault_[i]), s.stats);
    result_.faults.push_back(std::move(s));
  }
  for (const auto& tp : plan_.targets) {
    faults::DeviceSummary d;
    d.address = tp.address.to_string();
    d.state = "unknown";
    if (const auto info = initiator_->engine().device(tp.address)) {
      d.state = initiator::device_state_name(info->state);
      d.capacity_sectors = info->capacity_sectors;
      for (const auto& p : info->paths) d.payload_sectors.push_back(p.payload_sectors);
    }
    result_.devices.push_back(std::move(d));
  }
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
  }
  if (checker_) {
    result_.durability = checker_->counters();
    result_.violations = checker_->violations();
  }
  result_.simulated = now();
  result_.events = ns3::Simulator::GetEventCount();
  // ns-3 has no event-log hash: fold the engine's events (kind, time, device) instead.
  std::uint64_t h = 0;
  for (const auto& e : obs_.events)
    h = sim::fold(sim::fold(sim::fold(h, static_cast<std::uint64_t>(e.kind)), static_cast<std::uint64_t>(e.time)),
                  e.device.key());
  result_.event_hash = h;
  collect_metrics();
  if (capture_) result_.frames_captured = capture_->frames_written();

  obs_.mac_ports = mac_ports_;
  obs_.workload = workload_.get();
  obs_.checker = checker_.get();
  result_.expectations = faults::judge(plan_, obs_, result_);
  result_.passed = std::all_of(result_.expectations.begin(), result_.expectations.end(),
                               [](const faults::ExpectationResult& r) { return r.passed; });
  std::stable_sort(result_.timeline.begin(), result_.timeline.end(),
                   [](const faults::TimelineEntry& a, const faults::TimelineEntry& b) { return a.time < b.time; });
  result_.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  return std::move(result_);
}

}  // namespace

std::optional<std::string> unsupported(const faults::Plan& plan) {
  for (std::size_t i = 0; i < plan.faults.size(); ++i) {
    const std::string why = inexpressible(plan.faults[i]);
    if (!why.empty())
      return "fault '" + std::string(faults::fault_type_name(plan.faults[i].type)) + "' at faults[" + std::to_string(i) +
             "] is not supported by the ns3 backend: " + why + " (run it with --backend sim)";
  }
  return std::nullopt;
}

faults::ScenarioResult run_plan(const faults::Plan& plan, const faults::RunOptions& options) {
  if (auto why = unsupported(plan)) throw Unsupported(*why);
  RunningGuard guard;
  Runner r(plan, options);
  return r.run();
}

}  // namespace aoeh::ns3sim
