#include "bindings/certify_subjects.hpp"

#include "bindings/errors.hpp"
#include "bindings/handles.hpp"
#include "bindings/live_session.hpp"
#include "conformance/sim_shelf.hpp"
#include "sim/target/defects.hpp"

namespace aoeh::bindings {
namespace {

CertifySubject shelf(std::uint64_t seed, double loss, const std::vector<std::string>& defects, bool read_only) {
  conformance::SimShelfOptions so;
  so.seed = seed;
  so.loss = loss;
  so.read_only = read_only;
  std::string names;
  for (const auto& name : defects) {
    auto d = target::defect_from_name(name);
    if (!d) {
      std::string known;
      for (auto k : target::all_defects()) known += (known.empty() ? "" : ", ") + std::string(target::defect_name(k));
      throw py::value_error("unknown defect '" + name + "' (known: " + known + ")");
    }
    so.defects.set(*d);
    names += " " + name;
  }
  auto s = std::make_shared<conformance::SimShelf>(so);
  CertifySubject c;
  c.world = &s->world();
  c.target = s->device();
  c.owner = s;
  c.fresh_start = true;
  c.announce_window = conformance::SimShelf::kAnnounceWindow;
  c.disposable = true;
  c.mode = defects.empty() ? "sim" : "sim --defect" + names;
  return c;
}

// A target of a Python-built world: a probe on each of its switches (reused if one is there).
CertifySubject in_world(const WorldPtr& w, std::uint32_t index) {
  WorldState::Lock lock(*w);
  const TargetRecord& t = w->targets.at(index);
  py::object world = py::cast(w);
  for (const auto& port : t.ports) {
    bool have = false;
    for (const auto& p : w->probes) have = have || p.port.sw == port.sw;
    if (have) continue;
    for (std::uint32_t s = 0; s < w->switches.size(); ++s)
      if (w->switches[s].id == port.sw)
        world.attr("add_probe")(SwitchHandle{w, s}, py::arg("name") = "certify-" + w->switches[s].name,
                                py::arg("mtu") = w->sim.switch_at(port.sw).ports.at(port.switch_port).mtu);
  }
  CertifySubject c;
  c.owner = w;
  c.state = w.get();
  c.world = &w->probe_world();
  c.target = t.target().address();
  c.mode = "sim (python world)";
  return c;
}

}  // namespace

CertifySubject certify_subject(const py::object& subject, const py::object& target, std::uint64_t seed, double loss,
                               const std::vector<std::string>& defects, bool read_only) {
  const bool embedded = subject.is_none() || (py::isinstance<py::str>(subject) && subject.cast<std::string>() == "sim");
  if (!embedded && (loss > 0 || !defects.empty()))
    throw py::value_error("loss and defect apply to the embedded shelf only (give a Target its defects with add_target)");
  if (embedded) {
    if (!target.is_none()) throw py::value_error("the embedded shelf's device is e1.1; target is not needed");
    return shelf(seed, loss, defects, read_only);
  }
  if (py::isinstance<TargetHandle>(subject)) {
    const auto& t = subject.cast<const TargetHandle&>();
    return in_world(t.world, t.index);
  }
  if (py::isinstance<WorldState>(subject)) {
    const WorldPtr w = subject.cast<WorldPtr>();
    if (target.is_none()) throw py::value_error("certifying a World needs target='eS.L'");
    const auto a = to_address(target);
    for (std::uint32_t i = 0; i < w->targets.size(); ++i)
      if (w->targets[i].target().address() == a) return in_world(w, i);
    throw py::value_error("no target " + a.to_string() + " in this world");
  }
  if (auto live = live_certify_subject(subject, target)) return *live;
  throw py::type_error("certify() subject must be None/'sim', an aoeh.Target, an aoeh.World or an aoeh.LiveSession");
}

}  // namespace aoeh::bindings
