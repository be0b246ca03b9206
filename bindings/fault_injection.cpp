// Every fault type of faults/ on a Python-built world: World.inject(type, site, ...) (and the
// Target/Link/Port/Switch.inject shorthands). The fault's parameters are judged by the plan
// parser itself (faults::parse_fault_object, same names and units as a plan file's faults[]), and
// it is installed by the plan runner's own faults::install_fault (faults/fault_install.hpp) on
// this world (InjectedFaults below).
#include <pybind11/stl.h>

#include <algorithm>
#include <stdexcept>

#include "bindings/errors.hpp"
#include "bindings/handles.hpp"
#include "faults/fault_install.hpp"
#include "faults/link_faults.hpp"
#include "faults/plan_parser.hpp"

namespace aoeh::bindings {
namespace {

using faults::FaultPlan;
using faults::FaultSite;
using faults::FaultType;

// What an injected fault left behind to report on: its impairments, its target hook, extras.
struct InjectedFault {
  FaultPlan plan;
  std::string description;
  std::vector<faults::LinkFault*> impairments;  // owned by the simulator (alive with the world)
  faults::FaultyTargetHost* host = nullptr;
  std::optional<std::size_t> target_fault;
  faults::FaultStats extra;
  bool started = false, ended = false;
};

struct FaultHandle {
  WorldPtr world;
  std::shared_ptr<InjectedFault> fault;
};

// Where the fault acts, resolved to the world's records.
struct Site {
  FaultSite::Kind kind = FaultSite::Kind::Link;
  std::vector<std::pair<sim::LinkId, sim::Direction>> dirs;  // link family
  std::vector<sim::LinkId> links;
  std::optional<std::uint32_t> target;     // index into world->targets
  std::optional<PortRecord> port;          // initiator port / the port of a Port site
  std::string name;
};

faults::FaultStats stats_of(const InjectedFault& f) {
  faults::FaultStats s = f.extra;
  for (const auto* i : f.impairments) i->add_stats(s);
  if (f.host && f.target_fault) f.host->add_stats(*f.target_fault, s);
  return s;
}

// Python values for the parser: numbers of seconds and bit/s become the unit strings plans use.
py::dict plan_params(const py::dict& params) {
  static const char* const kDurations[] = {"delay", "jitter", "gap", "period", "down", "per_sector"};
  py::dict out;
  for (auto item : params) {
    const std::string key = item.first.cast<std::string>();
    py::object v = py::reinterpret_borrow<py::object>(item.second);
    const bool number = (py::isinstance<py::int_>(v) || py::isinstance<py::float_>(v)) && !py::isinstance<py::bool_>(v);
    if (number && std::find_if(std::begin(kDurations), std::end(kDurations),
                               [&](const char* k) { return key == k; }) != std::end(kDurations)) {
      v = py::str(std::to_string(to_nanos(v.cast<double>(), key.c_str())) + "ns");
    } else if (number && key == "rate") {
      v = py::str(std::to_string(v.cast<std::uint64_t>()) + "bit/s");
    } else if (key == "error" && py::isinstance<py::str>(v)) {
      v = py::str(py::str(v).attr("lower")());
    } else if ((key == "mac" || key == "by" || key == "allow") && !py::isinstance<py::str>(v)) {
      v = py::str(mac_string(to_mac(v)));
    } else if (key == "address" && !py::isinstance<py::str>(v)) {
      v = py::str(to_address(v).to_string());
    }
    out[py::str(key)] = v;
  }
  return out;
}

std::string plan_direction(const std::string& d) {
  if (d == "both") return "both";
  if (d == "to_host" || d == "in" || d == "egress") return "in";
  if (d == "from_host" || d == "out" || d == "ingress") return "out";
  throw py::value_error("direction must be 'from_host', 'to_host' or 'both' (a switch port's: 'egress' or "
                        "'ingress'), got '" + d + "'");
}

// A minimal plan topology naming the site, so the parser can resolve it, plus the resolved site.
struct Context {
  faults::Plan plan;
  Site site;
  std::string site_key, site_value;
};

Context context_for(const WorldPtr& w, py::handle site, const std::string& direction) {
  Context c;
  c.plan.paths.push_back(faults::PathPlan{});
  c.plan.paths[0].name = "world";
  auto add_link = [&](sim::LinkId id, bool toward, bool from) {
    if (from) c.site.dirs.emplace_back(id, sim::Direction::AtoB);
    if (toward) c.site.dirs.emplace_back(id, sim::Direction::BtoA);
    if (std::find(c.site.links.begin(), c.site.links.end(), id) == c.site.links.end()) c.site.links.push_back(id);
  };
  const std::string dir = plan_direction(direction);
  const bool toward = dir != "out", from = dir != "in";
  if (py::isinstance<TargetHandle>(site)) {
    const auto& t = site.cast<const TargetHandle&>();
    faults::TargetPlan tp;
    tp.address = t.target().address();
    for (std::size_t k = 0; k < t.rec().ports.size(); ++k) tp.ports.push_back(faults::PortPlan{});
    c.plan.targets.push_back(tp);
    c.site.kind = FaultSite::Kind::Target;
    c.site.target = t.index;
    c.site.name = t.rec().name;
    c.site_key = "target";
    c.site_value = tp.address.to_string();
    return c;
  }
  faults::PortPlan pp;
  if (py::isinstance<PortHandle>(site)) {
    const auto& p = site.cast<const PortHandle&>();
    c.site.port = p.rec();
    c.site.name = p.rec().name;
    add_link(p.rec().link, toward, from);
    pp.name = c.site.name;
    c.plan.initiator_ports.push_back(pp);
    // An initiator's port takes the initiator-port faults; any port takes the link faults on its cable.
    c.site.kind = p.owner == PortHandle::Owner::Initiator ? FaultSite::Kind::InitiatorPort : FaultSite::Kind::Link;
    c.site_value = c.site.name;
    return c;
  }
  if (py::isinstance<LinkHandle>(site)) {
    const auto& l = site.cast<const LinkHandle&>();
    add_link(l.id, toward, from);
    c.site.kind = FaultSite::Kind::Link;
    c.site.name = l.name;
    pp.name = l.name;
    c.plan.initiator_ports.push_back(pp);
    c.site_key = "link";
    c.site_value = l.name;
    return c;
  }
  if (py::isinstance<SwitchHandle>(site) || py::isinstance<py::str>(site)) {
    const std::uint32_t sw = switch_index(w, site);
    const sim::SwitchId id = w->switches[sw].id;
    auto scan = [&](const std::vector<PortRecord>& ports) {
      for (const auto& p : ports)
        if (p.sw == id) add_link(p.link, true, true);
    };
    for (const auto& i : w->initiators) scan(i.ports);
    for (const auto& t : w->targets) scan(t.ports);
    for (const auto& p : w->probes)
      if (p.port.sw == id) add_link(p.port.link, true, true);
    if (direction != "both") throw py::value_error("a switch (path) fault acts on both directions of every cable");
    c.site.kind = FaultSite::Kind::Path;
    c.site.name = w->switches[sw].name;
    c.plan.paths[0].name = c.site.name;
    c.site_key = "path";
    c.site_value = c.site.name;
    return c;
  }
  throw py::type_error("site must be an aoeh.Target, Link, Port or Switch (or a switch name)");
}

// The faults World.inject installed on one world, and that world as faults/fault_install.hpp
// sees it: each fault's site resolved to the world's records.
class InjectedFaults final : public faults::FaultWorld {
 public:
  explicit InjectedFaults(WorldState& w) : w_(w) {}

  void install(std::shared_ptr<InjectedFault> fault, Site site) {
    const std::size_t i = faults_.size();
    faults_.push_back(Entry{std::move(fault), std::move(site), w_.faults_injected});
    faults::install_fault(*this, i, faults_[i].fault->plan);
  }

  // Scheduling at or before the world's time acts now (a fault injected to start now).
  Nanos now() const override { return w_.sim.now(); }
  void at(Nanos time, std::function<void()> action) override {
    if (time <= w_.sim.now()) action();
    else w_.sim.at(time, std::move(action));
  }
  void note_edge(std::size_t i, bool start) override {
    InjectedFault& f = *faults_[i].fault;
    (start ? f.started : f.ended) = true;
    w_.note("world", "fault " + f.description + (start ? " starts" : " ends"));
  }
  void count(std::size_t i, const std::string& counter) override { ++faults_[i].fault->extra[counter]; }

  faults::FaultyTargetHost& target(std::size_t i) override { return *w_.targets.at(faults_[i].site.target.value()).host; }
  void add_frame_fault(std::size_t i, const FaultPlan& f, faults::Window win) override {
    InjectedFault& rec = *faults_[i].fault;
    rec.host = &target(i);
    rec.target_fault = rec.host->add_fault(f, win, w_.sim.rng(stream(i)));
  }
  faults::PlanBackend::FaultHooks add_link_fault(std::size_t i, const FaultPlan& f) override {
    const faults::Window win = faults::fault_window(f);
    for (const auto& [link, dir] : faults_[i].site.dirs) {
      auto imp = faults::make_link_fault(
          f, win, w_.sim.rng(stream(i) + ":" + std::to_string(link) + (dir == sim::Direction::AtoB ? ":ab" : ":ba")));
      if (!imp) throw std::logic_error("not a link fault: " + std::string(faults::fault_type_name(f.type)));
      faults_[i].fault->impairments.push_back(imp.get());
      w_.sim.add_impairment(link, dir, std::move(imp));
    }
    return {};
  }
  void hold_cables_down(std::size_t i, bool down) override {
    for (sim::LinkId l : faults_[i].site.links) w_.hold_link(l, down);
  }
  std::uint32_t switch_port_mtu(std::size_t i) const override {
    const PortRecord& p = faults_[i].site.port.value();
    return w_.sim.switch_at(p.sw).ports.at(p.switch_port).mtu;
  }
  // Egress is the switch's own; ingress a SwitchIngressMtu on the cable from the host (as the
  // plan runner's, faults/sim_backend.cpp), added the first time a fault changes it.
  void set_switch_port_mtu(std::size_t i, bool toward_host, std::uint32_t mtu) override {
    const PortRecord& p = faults_[i].site.port.value();
    if (toward_host) return w_.sim.set_switch_port_mtu(p.sw, p.switch_port, mtu);
    auto& ingress = ingress_[p.link];
    if (ingress) return ingress->set_mtu(mtu);
    auto imp = std::make_unique<faults::SwitchIngressMtu>(mtu);
    ingress = imp.get();
    w_.sim.add_impairment(p.link, sim::Direction::AtoB, std::move(imp));
  }
  void set_port_up(std::size_t i, bool up) override { w_.sim.set_nic_up(faults_[i].site.port.value().nic, up); }
  std::uint32_t port_mtu(std::size_t i) const override { return w_.sim.nic_config(faults_[i].site.port.value().nic).mtu; }
  void set_port_mtu(std::size_t i, std::uint32_t mtu) override { w_.sim.set_nic_mtu(faults_[i].site.port.value().nic, mtu); }
  void set_target_nic_mac(std::size_t i, std::uint32_t port, const proto::MacAddress& mac) override {
    w_.sim.set_nic_mac(w_.targets.at(faults_[i].site.target.value()).ports.at(port).nic, mac);
  }

 private:
  struct Entry {
    std::shared_ptr<InjectedFault> fault;
    Site site;
    std::uint32_t number = 0;  // WorldState::faults_injected when it was injected
  };
  std::string stream(std::size_t i) const { return "bindings:fault" + std::to_string(faults_[i].number); }

  WorldState& w_;
  std::vector<Entry> faults_;
  std::map<sim::LinkId, faults::SwitchIngressMtu*> ingress_;  // owned by the simulator
};

FaultHandle inject(const WorldPtr& w, const std::string& type, py::handle site, std::optional<double> at,
                   std::optional<double> duration, const std::string& direction, const py::dict& given) {
  WorldState::Lock lock(*w);
  Context c = context_for(w, site, direction);
  // switch_port=True: the fault acts at the switch port facing a Port (the plan's "switch_port" site).
  py::dict params;
  bool on_switch_port = false;
  for (auto item : given) {
    if (item.first.cast<std::string>() == "switch_port") on_switch_port = py::bool_(py::reinterpret_borrow<py::object>(item.second));
    else params[item.first] = item.second;
  }
  if (on_switch_port && !py::isinstance<PortHandle>(site))
    throw py::value_error("switch_port=True needs a Port (the switch port facing it is the site)");
  py::dict spec = plan_params(params);
  for (const char* reserved : {"type", "at", "for", "target", "link", "path", "switch_port", "initiator_port", "direction"})
    if (spec.contains(reserved))
      throw py::value_error(std::string("'") + reserved + "' is given by inject()'s own arguments, not as a parameter");
  spec["type"] = type;
  // The parser picks the family's site key: target faults take "target", initiator faults
  // "initiator_port"; a port's cable takes link faults.
  std::string key = on_switch_port ? "switch_port" : c.site_key;
  if (on_switch_port) c.site.kind = FaultSite::Kind::SwitchPort;
  if (key.empty()) {
    // A Port: initiator-port fault types by name, everything else on its cable.
    key = (type == "port_down" || type == "port_mtu") ? "initiator_port" : "link";
  }
  if (key == "initiator_port" && c.site.kind != FaultSite::Kind::InitiatorPort)
    throw py::value_error(type + " acts on an initiator's port, not on " + c.site.name);
  if (key == "link" && c.site.kind == FaultSite::Kind::InitiatorPort) c.site.kind = FaultSite::Kind::Link;
  spec[py::str(key)] = c.site_value;
  if (key == "link" && direction != "both") spec["direction"] = plan_direction(direction);
  if (key == "switch_port" && direction != "both") spec["direction"] = plan_direction(direction) == "in" ? "egress" : "ingress";
  const std::string text = py::module_::import("json").attr("dumps")(spec).cast<std::string>();
  auto parsed = faults::parse_fault_object(c.plan, text, "fault");
  if (!parsed.ok()) raise_plan_error(parsed.error.to_string(), parsed.error.path);
  FaultPlan f = std::move(*parsed.fault);
  f.at = at ? to_nanos(*at, "at") : w->sim.now();
  if (f.at < w->sim.now()) throw py::value_error("at lies in the past (world time is " + std::to_string(to_seconds(w->sim.now())) + " s)");
  if (duration) {
    f.duration = to_nanos(*duration, "duration");
    if (f.duration <= 0) throw py::value_error("duration must be positive");
  }
  auto rec = std::make_shared<InjectedFault>();
  rec->plan = f;
  rec->description = type + " on " + c.site.name;
  if (!w->injected) w->injected = std::make_unique<InjectedFaults>(*w);
  static_cast<InjectedFaults&>(*w->injected).install(rec, c.site);
  ++w->faults_injected;
  w->rethrow_hook_error();
  return FaultHandle{w, rec};
}

const char* const kInjectDoc =
    "Injects a fault from faults/ (the types and parameter names of a plan's faults[], see "
    "faults/README.md): link faults (loss, burst_loss, delay, duplicate, reorder, corrupt, rate_limit, "
    "queue_overflow, mtu, down, flap, black_hole, partition) on a Link, a Port's cable or a Switch (every "
    "cable of it); target faults (hang, crash, slow, aoe_error, ata_error, runt, wrong_tag, wrong_shelf, "
    "wrong_slot, duplicate_reply, stale_replay, resize, mac_change, bufcnt, config_string, reserve, "
    "mask_list, claim_address, firmware) on a Target; port_down and port_mtu on an initiator's Port. "
    "at: world time it starts (default now); duration: seconds it lasts (default: to the end; setting "
    "changes are undone at the end). Durations may be seconds (numbers) or plan strings ('250ms'); "
    "rates bit/s or strings ('10Mbit/s'). Invalid parameters raise aoeh.PlanError naming the field. "
    "switch_port=True (with a Port) puts a link fault or an mtu change on the switch port facing it "
    "(direction 'egress' = to_host, 'ingress' = from_host). Returns an aoeh.Fault whose .stats count what it did.";

}  // namespace

void bind_fault_injection(py::module_& m) {
  py::class_<FaultHandle>(m, "Fault", "A fault injected with inject(): its description and counters.")
      .def_property_readonly("type", [](const FaultHandle& f) { return std::string(faults::fault_type_name(f.fault->plan.type)); })
      .def_property_readonly("description", [](const FaultHandle& f) { return f.fault->description; })
      .def_property_readonly("start", [](const FaultHandle& f) { return to_seconds(f.fault->plan.at); })
      .def_property_readonly("end",
                             [](const FaultHandle& f) -> py::object {
                               if (f.fault->plan.duration == sim::kNever) return py::none();
                               return py::float_(to_seconds(f.fault->plan.at + f.fault->plan.duration));
                             })
      .def_property_readonly("started", [](const FaultHandle& f) { return f.fault->started; })
      .def_property_readonly("ended", [](const FaultHandle& f) { return f.fault->ended; })
      .def_property_readonly("stats",
                             [](const FaultHandle& f) {
                               WorldState::Lock lock(*f.world);
                               return stats_of(*f.fault);
                             },
                             "What the fault did, by counter name (dropped, delayed, answered, replayed, ...).")
      .def("__repr__", [](const FaultHandle& f) { return "<aoeh.Fault " + f.fault->description + ">"; });

  auto world = world_class(m);
  world.def(
      "inject",
      [](const WorldPtr& w, const std::string& type, py::handle site, std::optional<double> at,
         std::optional<double> duration, const std::string& direction, py::kwargs params) {
        return inject(w, type, site, at, duration, direction, params);
      },
      py::arg("type"), py::arg("site"), py::arg("at") = py::none(), py::arg("duration") = py::none(),
      py::arg("direction") = "both", kInjectDoc);
  auto with_site = [](auto cls, const char* what) {
    cls.def(
        "inject",
        [](py::object self, const std::string& type, std::optional<double> at, std::optional<double> duration,
           const std::string& direction, py::kwargs params) {
          const WorldPtr w = self.attr("_world_ptr")().cast<WorldPtr>();
          return inject(w, type, self, at, duration, direction, params);
        },
        py::arg("type"), py::arg("at") = py::none(), py::arg("duration") = py::none(), py::arg("direction") = "both",
        (std::string("World.inject(type, ") + what + ", ...): " + kInjectDoc).c_str());
  };
  auto target = py::reinterpret_borrow<py::class_<TargetHandle>>(m.attr("Target"));
  auto link = py::reinterpret_borrow<py::class_<LinkHandle>>(m.attr("Link"));
  auto port = py::reinterpret_borrow<py::class_<PortHandle>>(m.attr("Port"));
  auto sw = py::reinterpret_borrow<py::class_<SwitchHandle>>(m.attr("Switch"));
  target.def("_world_ptr", [](const TargetHandle& h) { return h.world; });
  link.def("_world_ptr", [](const LinkHandle& h) { return h.world; });
  port.def("_world_ptr", [](const PortHandle& h) { return h.world; });
  sw.def("_world_ptr", [](const SwitchHandle& h) { return h.world; });
  with_site(target, "this target");
  with_site(link, "this link");
  with_site(port, "this port");
  with_site(sw, "this switch");
}

}  // namespace aoeh::bindings
