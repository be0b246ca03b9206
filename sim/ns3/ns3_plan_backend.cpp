// A fault plan's network on ns-3 (faults::PlanBackend): the plan runner (faults/scenario.cpp) and
// its in-process hosts (EngineHost, FaultyTargetHost) run unchanged, the hosts inside ns-3
// applications (HostApp). Path p is a node with a learning BridgeNetDevice (the switch); every NIC
// is a SimpleNetDevice cabled to its own bridge port over a SimpleChannel (latency + half the
// forwarding delay, so a host-switch-host trip costs what it costs in-process); both ends have the
// path's DataRate and a drop-tail queue of the path's length. Each cable direction has one
// CableErrorModel at its receiving end: down state, switch port MTU, and the plan's link faults as
// ns-3 error models.
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
#include <memory>

#include "faults/plan_backend.hpp"
#include "sim/ns3/cable_error_model.hpp"
#include "sim/ns3/host_app.hpp"
#include "sim/ns3/ns3_plan.hpp"

namespace aoeh::ns3sim {

using faults::CableDir;
using faults::FaultPlan;
using faults::FaultSite;
using faults::FaultType;
using faults::Nanos;
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

class Ns3Backend : public faults::PlanBackend {
 public:
  Ns3Backend(const faults::Plan& plan, std::uint64_t seed);
  ~Ns3Backend() override;

  void add_host(std::unique_ptr<sim::Host> host, const std::vector<faults::PortPlan>& ports,
                const std::vector<proto::MacAddress>& macs) override;
  bool capture(const std::string& path, std::size_t ports, std::string* error) override;

  Nanos now() const override { return ns3::Simulator::Now().GetNanoSeconds(); }
  // Every action is followed by a check of run_until's done() (ns-3 has no after-each-event hook).
  void at(Nanos t, std::function<void()> action) override {
    ns3::Simulator::Schedule(ns3::NanoSeconds(std::max<Nanos>(0, t - now())), [this, a = std::move(action)] {
      a();
      poll();
    });
  }
  void start() override {}  // the apps start at 0 s
  void run_until(const std::function<bool()>& done, Nanos deadline) override;
  void poll() override {
    if (done_ && (*done_)()) ns3::Simulator::Stop();
  }
  void finish() override;

  void set_nic_up(std::uint32_t port, bool up) override { cables_[port].app->set_port_up(cables_[port].port, up); }
  void set_nic_mtu(std::uint32_t port, std::uint32_t mtu) override {
    cables_[port].app->set_port_mtu(cables_[port].port, mtu);
  }
  void set_nic_mac(std::uint32_t port, const proto::MacAddress& mac) override {
    cables_[port].app->set_port_mac(cables_[port].port, mac);
  }
  void set_cable_up(std::uint32_t port, bool up) override {
    cables_[port].toward_host->down = cables_[port].from_host->down = !up;
  }
  void set_switch_port_mtu(CableDir dir, std::uint32_t mtu) override { model(dir).port_mtu = mtu; }
  FaultHooks add_link_fault(std::size_t index, const FaultPlan& fault, const std::vector<CableDir>& dirs) override;

  void add_link_fault_stats(std::size_t index, faults::FaultStats& stats) const override;
  const sim::NicCounters& nic_counters(std::uint32_t port) const override {
    return cables_[port].app->counters(cables_[port].port);
  }
  void add_cable_metrics(std::map<std::string, double>& metrics, std::uint32_t port, const std::string& name,
                         const std::string& path) const override;
  std::uint64_t events() const override { return ns3::Simulator::GetEventCount(); }
  std::optional<std::uint64_t> event_hash() const override { return std::nullopt; }
  std::uint64_t frames_captured() const override { return capture_ ? capture_->frames_written() : 0; }

 private:
  CableErrorModel& model(CableDir d) const {
    return d.toward_host ? *cables_[d.port].toward_host : *cables_[d.port].from_host;
  }
  ns3::Ptr<ns3::UniformRandomVariable> stream(std::size_t fault, std::uint32_t cable, bool toward) const;

  const faults::Plan& plan_;
  std::vector<ns3::Ptr<ns3::Node>> nodes_;
  std::vector<ns3::Ptr<ns3::BridgeNetDevice>> bridges_;
  std::vector<Cable> cables_;  // by Plan::port_ref index
  std::optional<proto::PcapWriter> capture_;
  std::vector<faults::FaultStats> fault_stats_;  // by plan fault index (stages point into it)
  std::vector<std::function<void()>> finalizers_;  // counters of faults still active at the end
  const std::function<bool()>* done_ = nullptr;    // run_until's, while it runs
};

Ns3Backend::Ns3Backend(const faults::Plan& plan, std::uint64_t seed)
    : plan_(plan), fault_stats_(plan.faults.size()) {
  ns3::Simulator::Destroy();
  ns3::RngSeedManager::SetSeed(1);
  ns3::RngSeedManager::SetRun(seed);
  for (std::size_t p = 0; p < plan_.paths.size(); ++p) {
    auto node = ns3::CreateObject<ns3::Node>();
    auto bridge = ns3::CreateObject<ns3::BridgeNetDevice>();
    node->AddDevice(bridge);
    nodes_.push_back(node);
    bridges_.push_back(bridge);
  }
}

Ns3Backend::~Ns3Backend() {
  for (auto& n : nodes_) n->Dispose();
  cables_.clear();
  bridges_.clear();
  nodes_.clear();
  ns3::Simulator::Destroy();
}

// ------------------------------------------------------------------ world

ns3::Ptr<ns3::UniformRandomVariable> Ns3Backend::stream(std::size_t fault, std::uint32_t cable, bool toward) const {
  return sim::ns3app::fixed_stream(static_cast<std::int64_t>((fault * cables_.size() + cable) * 2 + (toward ? 1 : 0)));
}

void Ns3Backend::add_host(std::unique_ptr<sim::Host> host, const std::vector<faults::PortPlan>& ports,
                          const std::vector<proto::MacAddress>& macs) {
  auto app = sim::ns3app::add_host_node(nodes_, std::move(host));
  app->set_after_call([this] { poll(); });  // e.g. the workload's end of duration may finish the run
  const ns3::Ptr<ns3::Node> node = nodes_.back();
  // MTUs are the NICs' and the switch ports' (checked by HostApp and CableErrorModel).
  auto make_device = [](const faults::PathPlan& path) {
    return sim::ns3app::make_device(path.bits_per_second, path.queue, 65535);
  };
  // Each NIC: a cable from the app's port to a new port of its path's bridge.
  for (std::size_t k = 0; k < ports.size(); ++k) {
    const faults::PortPlan& port = ports[k];
    const faults::PathPlan& path = plan_.paths[port.path];
    Cable c;
    c.delay = path.latency + path.forwarding_delay / 2;
    c.channel = ns3::CreateObject<ns3::SimpleChannel>();
    c.channel->SetAttribute("Delay", ns3::TimeValue(ns3::NanoSeconds(c.delay)));
    c.host_dev = make_device(path);
    ns3::Mac48Address a;
    a.CopyFrom(macs[k].bytes.data());
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
    node->AddDevice(c.host_dev);
    nodes_[port.path]->AddDevice(c.switch_dev);
    bridges_[port.path]->AddBridgePort(c.switch_dev);
    c.app = app;
    c.port = app->port_count();
    app->add_port(c.host_dev, port.mtu);
    cables_.push_back(c);
  }
  app->SetStartTime(ns3::Seconds(0));
}

bool Ns3Backend::capture(const std::string& path, std::size_t ports, std::string* error) {
  capture_ = proto::PcapWriter::create(path, error);
  if (!capture_) return false;
  for (std::size_t i = 0; i < ports; ++i) cables_[i].app->tap(cables_[i].port, &*capture_);
  return true;
}

// ------------------------------------------------------------------ running

void Ns3Backend::run_until(const std::function<bool()>& done, Nanos deadline) {
  if (done()) return;
  done_ = &done;
  ns3::EventId stop;
  if (deadline != sim::kNever)
    stop = ns3::Simulator::Schedule(ns3::NanoSeconds(std::max<Nanos>(0, deadline - now())),
                                    [] { ns3::Simulator::Stop(); });
  ns3::Simulator::Run();
  ns3::Simulator::Cancel(stop);
  done_ = nullptr;
}

void Ns3Backend::finish() {
  if (capture_) capture_->flush();
  for (auto& f : finalizers_) f();
}

// ------------------------------------------------------------------ link faults

faults::PlanBackend::FaultHooks Ns3Backend::add_link_fault(std::size_t index, const FaultPlan& f,
                                                           const std::vector<CableDir>& dirs) {
  const faults::Window w = faults::fault_window(f);
  faults::FaultStats* st = &fault_stats_[index];
  // A drop stage on every cable direction of the site; `make` builds its ns-3 model.
  auto stages = [&](const char* what, auto make) {
    for (const CableDir& d : dirs) {
      CableErrorModel::Stage s;
      s.window = w;
      s.what = what;
      s.stats = st;
      make(s, stream(index, d.port, d.toward_host));
      model(d).add_stage(s);
    }
    return FaultHooks{};
  };
  // A fault that changes the cables while it lasts: what it did up to the end of the run counts.
  auto settle_at_end = [this, at0 = f.at, duration = f.duration](std::function<void()> finish) {
    if (duration == sim::kNever) finalizers_.push_back([this, finish, at0] {
      if (now() >= at0) finish();
    });
  };
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
      return stages(nullptr, [&](CableErrorModel::Stage& s, ns3::Ptr<ns3::UniformRandomVariable> rng) {
        auto m = ns3::CreateObject<GilbertElliottErrorModel>();
        m->configure(f.ge_p, f.ge_r, f.ge_loss_good, f.ge_loss_bad, rng, st);
        s.model = m;
      });
    case FaultType::BlackHole:
      return stages("dropped", [](CableErrorModel::Stage&, ns3::Ptr<ns3::UniformRandomVariable>) {});
    case FaultType::Mtu:
      return stages("mtu_drops", [&](CableErrorModel::Stage& s, ns3::Ptr<ns3::UniformRandomVariable>) { s.mtu = f.mtu; });
    case FaultType::Delay: {
      // A constant delay on every frame, both ways: the cable's channel delay grows (checked by
      // unsupported() before the run).
      std::vector<std::uint32_t> cables;
      for (const CableDir& d : dirs)
        if (std::find(cables.begin(), cables.end(), d.port) == cables.end()) cables.push_back(d.port);
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
      auto finish = [st, base, carried] {
        const std::uint64_t n = carried() - *base;
        (*st)["delayed"] += n;
        (*st)["frames_seen"] += n;
        *base = carried();
      };
      (*st)["delayed"] += 0;
      (*st)["frames_seen"] += 0;
      settle_at_end(finish);
      return FaultHooks{[shift, base, carried, d = f.delay] {
                          *base = carried();
                          shift(d);
                        },
                        [shift, finish, d = f.delay] {
                          finish();
                          shift(-d);
                        }};
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
      for (const CableDir& d : dirs) {
        const faults::PathPlan& path = plan_.paths[plan_.port_ref(d.port).path];
        devs.push_back(Dev{d.toward_host ? cables_[d.port].switch_dev : cables_[d.port].host_dev, path.bits_per_second,
                           path.queue});
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
      (*st)["queue_drops"] += 0;
      auto finish = [st, base, dropped] {
        (*st)["queue_drops"] += dropped() - *base;
        *base = dropped();
      };
      settle_at_end(finish);
      return FaultHooks{[set, base, dropped, rate = f.rate, queue = f.queue] {
                          *base = dropped();
                          set(true, rate, queue);
                        },
                        [set, finish] {
                          finish();
                          set(false, 0, 0);
                        }};
    }
    default: throw Unsupported("internal: unsupported fault reached add_link_fault");
  }
}

void Ns3Backend::add_link_fault_stats(std::size_t index, faults::FaultStats& s) const {
  for (const auto& [k, v] : fault_stats_[index]) s[k] += v;
}

void Ns3Backend::add_cable_metrics(std::map<std::string, double>& m, std::uint32_t port, const std::string& name,
                                   const std::string& path) const {
  const Cable& k = cables_[port];
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
  const std::string s = "switch." + path + "." + name + ".";
  m[s + "mtu_drops"] = double(k.toward_host->mtu_drops);
  m[s + "ingress_mtu_drops"] = double(k.from_host->mtu_drops);
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

namespace {
// A backend that holds ns-3 for its lifetime.
struct GuardedBackend : RunningGuard, Ns3Backend {
  GuardedBackend(const faults::Plan& plan, std::uint64_t seed) : Ns3Backend(plan, seed) {}
};
}  // namespace

std::unique_ptr<faults::PlanBackend> make_backend(const faults::Plan& plan, std::uint64_t seed) {
  return std::make_unique<GuardedBackend>(plan, seed);
}

faults::ScenarioResult run_plan(const faults::Plan& plan, const faults::RunOptions& options) {
  if (auto why = unsupported(plan)) throw Unsupported(*why);
  return faults::run_plan(plan, options, [&plan](std::uint64_t seed) { return make_backend(plan, seed); });
}

}  // namespace aoeh::ns3sim
