// Faults on links: down/up (now or scheduled), seeded random loss, counted drops of matching frames,
// and Python frame filters. Target faults (crash, hang, resize, defects...) live on aoeh.Target.
#include <pybind11/stl.h>

#include "bindings/errors.hpp"
#include "bindings/handles.hpp"
#include "bindings/impairments.hpp"

namespace aoeh::bindings {
namespace {

struct FilterHandle {
  WorldPtr world;
  std::shared_ptr<FilterState> state;
  std::vector<PythonFilter*> python;  // owned by the simulator, alive as long as the world
  std::string what;
};

std::vector<sim::Direction> directions(const std::string& d) {
  if (d == "both") return {sim::Direction::AtoB, sim::Direction::BtoA};
  if (d == "from_host") return {sim::Direction::AtoB};
  if (d == "to_host") return {sim::Direction::BtoA};
  throw py::value_error("direction must be 'from_host', 'to_host' or 'both', got '" + d + "'");
}

int command_code(const py::object& c) {
  if (c.is_none()) return -1;
  if (py::isinstance<py::str>(c)) {
    const auto s = c.cast<std::string>();
    if (s == "ata") return 0;
    if (s == "query_config") return 1;
    if (s == "mac_mask") return 2;
    if (s == "reserve") return 3;
    throw py::value_error("command must be ata, query_config, mac_mask, reserve or a number, got '" + s + "'");
  }
  const int v = c.cast<int>();
  if (v < 0 || v > 255) throw py::value_error("command must be 0..255");
  return v;
}

std::pair<Nanos, Nanos> window(const WorldState& w, std::optional<double> start, std::optional<double> end) {
  const Nanos s = start ? to_nanos(*start, "start") : 0;
  const Nanos e = end ? to_nanos(*end, "end") : sim::kNever;
  if (e <= s) throw py::value_error("end must lie after start");
  (void)w;
  return {s, e};
}

// The caller's own hold on the link, counted with the injected faults' (down, flap, partition):
// set_up(True) ends it, and the link comes up once no fault holds it down either.
void set_link(WorldState& w, const LinkHandle& l, bool up) {
  if (up ? w.links_set_down.erase(l.id) > 0 : w.links_set_down.insert(l.id).second) w.hold_link(l.id, !up);
  w.note(l.name, up ? "link up" : "link down");
}

}  // namespace

void bind_faults(py::module_& m) {
  py::class_<FilterHandle>(m, "Filter", "A drop filter or Python frame filter installed on a link.")
      .def_property_readonly("seen", [](const FilterHandle& f) { return f.state->seen; },
                             "Frames it considered (matching, inside its window).")
      .def_property_readonly("dropped", [](const FilterHandle& f) { return f.state->dropped; })
      .def_property_readonly("active", [](const FilterHandle& f) { return f.state->active; })
      .def("remove",
           [](FilterHandle& f) {
             WorldState::Lock lock(*f.world);
             if (f.python.empty()) {
               f.state->active = false;
             } else {
               for (auto* p : f.python) p->remove();
             }
             f.world->note("world", "filter removed: " + f.what);
           },
           "Stops the filter (frames pass untouched from now on).")
      .def("__repr__", [](const FilterHandle& f) {
        return "<aoeh.Filter " + f.what + " seen=" + std::to_string(f.state->seen) +
               " dropped=" + std::to_string(f.state->dropped) + ">";
      });

  auto link = py::reinterpret_borrow<py::class_<LinkHandle>>(m.attr("Link"));
  link.def("set_up",
           [](const LinkHandle& l, bool up) {
             WorldState::Lock lock(*l.world);
             set_link(*l.world, l, up);
           },
           py::arg("up"),
           "Takes the cable down (frames offered are dropped; frames in flight still land) or up. An injected "
           "down/flap/partition fault holds it down too: the cable is up only when neither holds it.")
      .def("down",
           [](const LinkHandle& l, std::optional<double> at, std::optional<double> duration) {
             auto& w = *l.world;
             WorldState::Lock lock(w);
             const Nanos t = at ? to_nanos(*at, "at") : w.sim.now();
             if (t < w.sim.now()) throw py::value_error("at lies in the past");
             WorldState* raw = &w;
             LinkHandle copy{nullptr, l.id, l.name};
             if (t == w.sim.now()) {
               set_link(w, l, false);
             } else {
               w.sim.at(t, [raw, copy] { set_link(*raw, copy, false); });
             }
             if (duration) w.sim.at(t + to_nanos(*duration, "duration"), [raw, copy] { set_link(*raw, copy, true); });
           },
           py::arg("at") = py::none(), py::arg("duration") = py::none(),
           "Link down now or at world time `at`, for `duration` seconds (default: until set_up(True)).")
      .def("loss",
           [](const LinkHandle& l, double p, const std::string& direction, std::optional<double> start,
              std::optional<double> end) {
             auto& w = *l.world;
             WorldState::Lock lock(w);
             if (!(p >= 0 && p <= 1)) throw py::value_error("loss probability must be within 0..1");
             const auto [s, e] = window(w, start, end);
             FilterHandle f{l.world, std::make_shared<FilterState>(), {}, "loss " + std::to_string(p) + " on " + l.name};
             for (auto d : directions(direction)) {
               auto rng = w.sim.rng("bindings:loss:" + std::to_string(l.id) + (d == sim::Direction::AtoB ? ":ab" : ":ba"));
               w.sim.add_impairment(l.id, d, std::make_unique<DropFilter>(f.state, FrameMatch{}, p, 0, s, e, rng));
             }
             w.note(l.name, f.what + " (" + direction + ")");
             return f;
           },
           py::arg("p"), py::arg("direction") = "both", py::arg("start") = py::none(), py::arg("end") = py::none(),
           "Drops each frame with probability p (seeded from the world's seed) between start and end.")
      .def("drop",
           [](const LinkHandle& l, std::uint64_t count, const std::string& direction, py::object command,
              std::optional<bool> response, bool broadcast, std::optional<int> ata_command, std::size_t min_length,
              std::optional<double> start, std::optional<double> end, double probability) {
             auto& w = *l.world;
             WorldState::Lock lock(w);
             if (!(probability >= 0 && probability <= 1)) throw py::value_error("probability must be within 0..1");
             FrameMatch match;
             match.command = command_code(command);
             match.response = response ? (*response ? 1 : 0) : -1;
             match.broadcast_only = broadcast;
             if (ata_command && (*ata_command < 0 || *ata_command > 255)) throw py::value_error("ata_command must be 0..255");
             match.ata_command = ata_command ? *ata_command : -1;
             match.min_length = min_length;
             const auto [s, e] = window(w, start, end);
             FilterHandle f{l.world, std::make_shared<FilterState>(), {},
                            "drop " + (count ? std::to_string(count) : std::string("all")) + " on " + l.name};
             for (auto d : directions(direction)) {
               auto rng = w.sim.rng("bindings:drop:" + std::to_string(l.id) + (d == sim::Direction::AtoB ? ":ab" : ":ba"));
               w.sim.add_impairment(l.id, d, std::make_unique<DropFilter>(f.state, match, probability, count, s, e, rng));
             }
             w.note(l.name, f.what + " (" + direction + ")");
             return f;
           },
           py::arg("count") = 1, py::arg("direction") = "from_host", py::arg("command") = py::none(),
           py::arg("response") = py::none(), py::arg("broadcast") = false, py::arg("ata_command") = py::none(),
           py::arg("min_length") = 0, py::arg("start") = py::none(), py::arg("end") = py::none(),
           py::arg("probability") = 1.0,
           "Drops the next `count` matching frames (0: all of them). Match on command ('ata', "
           "'query_config', 'mac_mask', 'reserve' or a number), response (True/False), broadcast "
           "destination, ATA command byte, minimum length; between start and end (world seconds).")
      .def("add_filter",
           [](const LinkHandle& l, py::function fn, const std::string& direction) {
             auto& w = *l.world;
             WorldState::Lock lock(w);
             FilterHandle f{l.world, std::make_shared<FilterState>(), {}, "python filter on " + l.name};
             for (auto d : directions(direction)) {
               auto filter = std::make_unique<PythonFilter>(w, f.state, fn);
               f.python.push_back(filter.get());
               ++w.python_hooks;
               w.sim.add_impairment(l.id, d, std::move(filter));
             }
             w.note(l.name, f.what + " (" + direction + ")");
             return f;
           },
           py::arg("fn"), py::arg("direction") = "both",
           "Calls fn(frame: bytes, time: float) for every frame entering the link; a true result drops it. "
           "(Runs hold the GIL while a Python filter is installed.)");
}

}  // namespace aoeh::bindings
