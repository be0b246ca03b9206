// aoeh.World, Switch, Port, Link and Probe: building a simulated network, running it, its event
// log and pcap capture.
#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include <fstream>

#include "bindings/errors.hpp"
#include "bindings/handles.hpp"
#include "protocol/pcap_file.hpp"
#include "sim/topology.hpp"

namespace aoeh::bindings {

std::uint32_t switch_index(const WorldPtr& w, py::handle h) {
  if (py::isinstance<SwitchHandle>(h)) {
    auto& s = h.cast<SwitchHandle&>();
    if (s.world != w) throw py::value_error("that switch belongs to another world");
    return s.index;
  }
  if (py::isinstance<py::str>(h)) {
    const auto name = h.cast<std::string>();
    for (std::uint32_t i = 0; i < w->switches.size(); ++i)
      if (w->switches[i].name == name) return i;
    throw py::value_error("no switch named '" + name + "'");
  }
  throw py::value_error("expected a Switch (or a switch name), got " + py::repr(h).cast<std::string>());
}

sim::LinkConfig link_config(double bandwidth, double latency, std::uint32_t queue) {
  if (!std::isfinite(bandwidth) || bandwidth < 0) throw py::value_error("bandwidth must be >= 0 bits/s (0: infinite)");
  if (queue == 0) throw py::value_error("queue must be at least 1 frame");
  sim::LinkConfig c;
  c.bits_per_second = static_cast<std::uint64_t>(bandwidth);
  c.propagation = to_nanos(latency, "latency");
  c.queue_limit = queue;
  return c;
}

std::vector<PortSpec> port_specs(const WorldPtr& w, const py::object& ports, const char* who) {
  std::vector<PortSpec> out;
  if (ports.is_none()) throw py::value_error(std::string(who) + " needs ports=[switch, ...] (at least one)");
  py::list items;
  if (py::isinstance<SwitchHandle>(ports) || py::isinstance<py::str>(ports)) {
    items.append(ports);
  } else {
    items = py::list(ports);
  }
  for (auto item : items) {
    PortSpec p;
    if (py::isinstance<py::tuple>(item)) {
      auto t = item.cast<py::tuple>();
      if (t.size() != 2) throw py::value_error("a port is a switch or (switch, mtu)");
      p.sw = switch_index(w, t[0]);
      p.mtu = t[1].cast<std::uint32_t>();
    } else {
      p.sw = switch_index(w, item);
    }
    out.push_back(p);
  }
  if (out.empty()) throw py::value_error(std::string(who) + " needs at least one port");
  return out;
}

void check_mtu(std::uint32_t mtu, const char* what) {
  if (mtu < 64 || mtu > 9000)  // the engine's frame buffer holds 9000 + headers
    throw py::value_error(std::string(what) + " must be 64..9000, got " + std::to_string(mtu));
}

void tap_ports(WorldState& w, const std::vector<PortRecord>& ports) {
  for (const auto& p : ports) w.sim.tap_nic(p.nic, *w.capture);
}

py::class_<WorldState, WorldPtr> world_class(py::module_& m) {
  return py::reinterpret_borrow<py::class_<WorldState, WorldPtr>>(m.attr("World"));
}

namespace {

py::list initiator_list(const WorldPtr& w) {
  py::list out;
  for (std::uint32_t i = 0; i < w->initiators.size(); ++i) out.append(InitiatorHandle{w, i});
  return out;
}

py::list target_list(const WorldPtr& w) {
  py::list out;
  for (std::uint32_t i = 0; i < w->targets.size(); ++i) out.append(TargetHandle{w, i});
  return out;
}

std::string port_owner_name(const PortHandle& p) {
  switch (p.owner) {
    case PortHandle::Owner::Initiator: return p.world->initiators.at(p.host).name;
    case PortHandle::Owner::Target: return p.world->targets.at(p.host).name;
    case PortHandle::Owner::Probe: return p.world->probes.at(p.host).name;
  }
  return "?";
}

// Calls `action` at world time `t`; counted as a Python hook until it has run.
void schedule_python(WorldState& w, Nanos t, py::function action) {
  WorldState::Lock lock(w);
  auto fn = std::make_shared<py::object>(std::move(action));
  ++w.python_hooks;
  WorldState* raw = &w;
  w.sim.at(t, [raw, fn] {
    --raw->python_hooks;
    py::object f = std::exchange(*fn, py::object());
    try {
      f();
    } catch (py::error_already_set& e) {
      raw->hook_failed(e);
    }
  });
}

void distribute_probe_frames(WorldState& w) {
  if (w.probes.empty()) return;
  for (auto& f : w.probe_world().take_received())
    for (auto& p : w.probes)
      if (p.name == f.port) p.inbox.push_back(std::move(f));
}

}  // namespace

void bind_world(py::module_& m) {
  py::class_<SwitchHandle>(m, "Switch", "A learning Ethernet switch (one per path in the usual AoE network).")
      .def_property_readonly("name", [](const SwitchHandle& s) { return s.rec().name; })
      .def_property_readonly("mtu", [](const SwitchHandle& s) { return s.rec().mtu; },
                             "Default MTU of the ports added to this switch.")
      .def_property_readonly("mtu_drops",
                             [](const SwitchHandle& s) {
                               std::uint64_t n = 0;
                               for (const auto& p : s.world->sim.switch_at(s.rec().id).ports) n += p.counters.mtu_drops;
                               return n;
                             },
                             "Frames dropped because they exceeded an egress port's MTU.")
      .def_property_readonly("port_count",
                             [](const SwitchHandle& s) { return s.world->sim.switch_at(s.rec().id).ports.size(); })
      .def("set_mtu",
           [](const SwitchHandle& s, std::uint32_t mtu) {
             WorldState::Lock lock(*s.world);
             check_mtu(mtu, "mtu");
             auto& w = *s.world;
             const auto& ports = w.sim.switch_at(s.rec().id).ports;
             for (std::uint32_t p = 0; p < ports.size(); ++p) w.sim.set_switch_port_mtu(s.rec().id, p, mtu);
             s.rec().mtu = mtu;
             w.note(s.rec().name, "mtu " + std::to_string(mtu) + " on every port");
           },
           py::arg("mtu"), "Sets the MTU of every port of this switch (and the default for new ports).")
      .def("__repr__", [](const SwitchHandle& s) { return "<aoeh.Switch " + s.rec().name + ">"; });

  py::class_<LinkHandle>(m, "Link",
                         "A full-duplex cable. Direction 'from_host' leaves the host (or switch a), "
                         "'to_host' arrives at it. Faults: see down(), loss(), drop(), add_filter().")
      .def_property_readonly("name", [](const LinkHandle& l) { return l.name; })
      .def_property_readonly("id", [](const LinkHandle& l) { return l.id; })
      .def("counters",
           [](const LinkHandle& l, const std::string& direction) {
             const auto dir = direction == "to_host" ? sim::Direction::BtoA : sim::Direction::AtoB;
             if (direction != "to_host" && direction != "from_host")
               throw py::value_error("direction must be 'from_host' or 'to_host'");
             const auto& c = l.world->sim.link_counters(l.id, dir);
             py::dict d;
             d["frames"] = c.frames;
             d["bytes"] = c.bytes;
             d["delivered"] = c.delivered;
             d["queue_drops"] = c.queue_drops;
             d["impairment_drops"] = c.impairment_drops;
             d["down_drops"] = c.down_drops;
             d["duplicates"] = c.duplicates;
             d["edited"] = c.edited;
             d["max_queue"] = c.max_queue;
             return d;
           },
           py::arg("direction") = "from_host", "Frame counters of one direction as a dict.")
      .def("__repr__", [](const LinkHandle& l) { return "<aoeh.Link " + l.name + ">"; });

  py::class_<PortHandle>(m, "Port", "A host's network interface, cabled to a switch port.")
      .def_property_readonly("name", [](const PortHandle& p) { return p.rec().name; })
      .def_property_readonly("owner", &port_owner_name, "Name of the initiator, target or probe owning the port.")
      .def_property_readonly("mac", [](const PortHandle& p) { return mac_string(p.world->sim.nic_config(p.rec().nic).mac); })
      .def_property_readonly("up", [](const PortHandle& p) { return p.world->sim.nic_config(p.rec().nic).up; })
      .def_property_readonly("link", [](const PortHandle& p) {
        return LinkHandle{p.world, p.rec().link, port_owner_name(p) + ":" + p.rec().name};
      })
      .def_property_readonly("switch", [](const PortHandle& p) {
        for (std::uint32_t i = 0; i < p.world->switches.size(); ++i)
          if (p.world->switches[i].id == p.rec().sw) return SwitchHandle{p.world, i};
        throw Error("port is not cabled to a known switch");
      })
      .def_property(
          "mtu", [](const PortHandle& p) { return p.world->sim.nic_config(p.rec().nic).mtu; },
          [](const PortHandle& p, std::uint32_t mtu) {
            WorldState::Lock lock(*p.world);
            check_mtu(mtu, "mtu");
            p.world->sim.set_nic_mtu(p.rec().nic, mtu);
            p.world->note(port_owner_name(p), p.rec().name + " nic mtu " + std::to_string(mtu));
            p.world->rethrow_hook_error();
          },
          "The NIC's MTU. Setting it tells the host (the engine re-queries; the target re-advertises).")
      .def_property(
          "switch_mtu",
          [](const PortHandle& p) { return p.world->sim.switch_at(p.rec().sw).ports.at(p.rec().switch_port).mtu; },
          [](const PortHandle& p, std::uint32_t mtu) {
            WorldState::Lock lock(*p.world);
            check_mtu(mtu, "switch_mtu");
            p.world->sim.set_switch_port_mtu(p.rec().sw, p.rec().switch_port, mtu);
            p.world->note(port_owner_name(p), p.rec().name + " switch port mtu " + std::to_string(mtu));
          },
          "MTU of the switch port facing this NIC (frames above it are dropped at that port).")
      .def("set_up",
           [](const PortHandle& p, bool up) {
             WorldState::Lock lock(*p.world);
             p.world->sim.set_nic_up(p.rec().nic, up);
             p.world->note(port_owner_name(p), p.rec().name + (up ? " up" : " down"));
             p.world->rethrow_hook_error();
           },
           py::arg("up"), "Brings the NIC up or down (the host is told, as with a cable pulled).")
      .def("counters",
           [](const PortHandle& p) {
             const auto& c = p.world->sim.nic_counters(p.rec().nic);
             py::dict d;
             d["tx_frames"] = c.tx_frames;
             d["tx_bytes"] = c.tx_bytes;
             d["rx_frames"] = c.rx_frames;
             d["rx_bytes"] = c.rx_bytes;
             d["tx_dropped_down"] = c.tx_dropped_down;
             d["tx_dropped_mtu"] = c.tx_dropped_mtu;
             d["rx_dropped_down"] = c.rx_dropped_down;
             d["rx_dropped_mtu"] = c.rx_dropped_mtu;
             d["rx_filtered"] = c.rx_filtered;
             return d;
           },
           "NIC counters as a dict (tx_frames, rx_frames, ...).")
      .def("__repr__", [](const PortHandle& p) {
        return "<aoeh.Port " + port_owner_name(p) + ":" + p.rec().name + " " +
               mac_string(p.world->sim.nic_config(p.rec().nic).mac) + ">";
      });

  py::class_<ProbeHandle>(m, "Probe",
                          "A raw port (like aoecfg/aoeping): sends any frame you build with aoeh.frames and "
                          "keeps the frames addressed to it or broadcast.")
      .def_property_readonly("name", [](const ProbeHandle& p) { return p.rec().name; })
      .def_property_readonly("mac", [](const ProbeHandle& p) { return mac_string(p.world->probe_world().port_mac(p.rec().name)); })
      .def_property_readonly("port", [](const ProbeHandle& p) { return PortHandle{p.world, PortHandle::Owner::Probe, p.index, 0}; })
      .def("send",
           [](const ProbeHandle& p, py::handle frame) {
             WorldState::Lock lock(*p.world);
             auto bytes = to_byte_vector(frame, "frame");
             if (bytes.size() < 14 || bytes.size() > 9014) throw py::value_error("a frame is 14..9014 bytes");
             p.world->probe_world().send(p.rec().name, bytes);
             p.world->rethrow_hook_error();
           },
           py::arg("frame"), "Sends a raw Ethernet frame now (world time).")
      .def("received",
           [](const ProbeHandle& p) {
             WorldState::Lock lock(*p.world);
             distribute_probe_frames(*p.world);
             py::list out;
             for (auto& f : p.rec().inbox)
               out.append(py::make_tuple(to_seconds(f.time), py::bytes(reinterpret_cast<const char*>(f.bytes.data()),
                                                                        f.bytes.size())));
             p.rec().inbox.clear();
             return out;
           },
           "Frames received since the last call, as [(time, bytes)], oldest first.")
      .def("exchange",
           [](const ProbeHandle& p, py::handle frame, double timeout) -> py::object {
             WorldState::Lock lock(*p.world);
             auto& w = *p.world;
             auto bytes = to_byte_vector(frame, "frame");
             if (bytes.size() < 24) throw py::value_error("an AoE request is at least 24 bytes");
             distribute_probe_frames(w);
             p.rec().inbox.clear();
             const std::uint32_t tag = (std::uint32_t{bytes[20]} << 24) | (std::uint32_t{bytes[21]} << 16) |
                                       (std::uint32_t{bytes[22]} << 8) | bytes[23];
             w.probe_world().send(p.rec().name, bytes);
             std::optional<std::vector<std::uint8_t>> reply;
             auto& probes = w.probe_world();
             const std::string name = p.rec().name;
             auto is_reply = [tag](const std::vector<std::uint8_t>& b) {
               return b.size() >= 24 && (b[14] & 0x08) != 0 &&
                      ((std::uint32_t{b[20]} << 24) | (std::uint32_t{b[21]} << 16) | (std::uint32_t{b[22]} << 8) |
                       b[23]) == tag;
             };
             w.run(
                 [&] {
                   for (auto& f : probes.take_received()) {
                     if (!reply && f.port == name && is_reply(f.bytes)) {
                       reply = std::move(f.bytes);
                       continue;
                     }
                     for (auto& q : w.probes)
                       if (q.name == f.port) {
                         q.inbox.push_back(std::move(f));
                         break;
                       }
                   }
                   return reply.has_value();
                 },
                 w.sim.now() + to_nanos(timeout, "timeout"), false);
             if (!reply) return py::none();
             return py::bytes(reinterpret_cast<const char*>(reply->data()), reply->size());
           },
           py::arg("frame"), py::arg("timeout") = 1.0,
           "Sends a request and runs the world until a response with the same tag arrives. Returns its "
           "bytes, or None after `timeout` seconds of world time. Other frames stay in received().")
      .def("__repr__", [](const ProbeHandle& p) { return "<aoeh.Probe " + p.rec().name + ">"; });

  py::class_<WorldState, WorldPtr>(m, "World", R"(A deterministic simulated AoE network.

Build it from switches, targets, initiators and probes (or World.standard(...)), then run it in
simulated time. The same construction and seed always give the same events (see event_hash).
Times are seconds (floats) of world time. Example:

    w = aoeh.World(seed=1)
    sw = w.add_switch("path0")
    t = w.add_target("e1.0", ports=[sw], capacity=2048)
    i = w.add_initiator(ports=[sw])
    i.wait_for(["e1.0"])
    i.write("e1.0", 0, b"x" * 512)
    assert i.read("e1.0", 0, 1) == b"x" * 512
)")
      .def(py::init([](std::uint64_t seed) { return std::make_shared<WorldState>(seed); }), py::arg("seed") = 1)
      .def_property_readonly("seed", [](const WorldState& w) { return w.sim.seed(); })
      .def_property_readonly("now", [](const WorldState& w) { return to_seconds(w.sim.now()); },
                             "World time in seconds.")
      .def_property_readonly("now_ns", [](const WorldState& w) { return w.sim.now(); }, "World time in nanoseconds.")
      .def_property_readonly("event_hash", [](const WorldState& w) { return w.sim.event_hash(); },
                             "Hash of every simulator event so far: equal runs give equal hashes.")
      .def_property_readonly("last_run_released_gil", [](const WorldState& w) { return w.last_run_released_gil; },
                             "Whether the last run released the GIL (it keeps it while Python hooks exist).")
      .def_property_readonly("events_processed", [](const WorldState& w) { return w.sim.events_processed(); })
      .def_property_readonly("log_hash", &WorldState::log_hash, "Hash of the event log lines.")
      .def("event_log",
           [](const WorldState& w) {
             py::list out;
             std::string all = w.format_log();
             std::size_t start = 0;
             while (start < all.size()) {
               const std::size_t nl = all.find('\n', start);
               out.append(all.substr(start, nl - start));
               start = nl + 1;
             }
             return out;
           },
           "The event log: one line per engine event and world action, 'SECONDS SOURCE TEXT'.")
      .def("write_event_log",
           [](const WorldState& w, const std::string& path) {
             std::ofstream f(path);
             if (!f) throw py::value_error("cannot write event log to '" + path + "'");
             f << "# aoeh event log, seed " << w.sim.seed() << ", event_hash " << w.sim.event_hash() << "\n";
             f << w.format_log();
             if (!f) throw py::value_error("writing event log to '" + path + "' failed");
           },
           py::arg("path"))
      .def("note",
           [](WorldState& w, const std::string& text) {
             WorldState::Lock lock(w);
             w.note("note", text);
           },
           py::arg("text"), "Adds a line to the event log (scenario steps).")
      // ---- construction ----
      .def("add_switch",
           [](const WorldPtr& w, std::optional<std::string> name, std::uint32_t mtu, double bandwidth, double latency,
              std::uint32_t queue, double forwarding_delay) {
             WorldState::Lock lock(*w);
             check_mtu(mtu, "mtu");
             SwitchRecord r;
             r.name = name ? *name : "sw" + std::to_string(w->switches.size());
             for (const auto& s : w->switches)
               if (s.name == r.name) throw py::value_error("a switch named '" + r.name + "' exists already");
             r.mtu = mtu;
             r.link = link_config(bandwidth, latency, queue);
             sim::SwitchConfig c;
             c.name = r.name;
             c.forwarding_delay = to_nanos(forwarding_delay, "forwarding_delay");
             r.id = w->sim.add_switch(c);
             w->switches.push_back(r);
             return SwitchHandle{w, static_cast<std::uint32_t>(w->switches.size() - 1)};
           },
           py::arg("name") = py::none(), py::arg("mtu") = 1500, py::arg("bandwidth") = 10e9, py::arg("latency") = 1e-6,
           py::arg("queue") = 1000, py::arg("forwarding_delay") = 0.0,
           "Adds a switch. Cables into it get `bandwidth` bit/s, `latency` s and a `queue` of frames per "
           "direction; its ports get `mtu`.")
      .def("connect_switches",
           [](const WorldPtr& w, py::handle a, py::handle b, std::optional<std::uint32_t> mtu) {
             WorldState::Lock lock(*w);
             const auto ia = switch_index(w, a), ib = switch_index(w, b);
             if (ia == ib) throw py::value_error("cannot cable a switch to itself");
             const auto& ra = w->switches[ia];
             const auto& rb = w->switches[ib];
             const std::uint32_t m = mtu ? *mtu : std::min(ra.mtu, rb.mtu);
             check_mtu(m, "mtu");
             const auto id = w->sim.connect_switches(ra.id, m, rb.id, m, ra.link);
             return LinkHandle{w, id, ra.name + "-" + rb.name};
           },
           py::arg("a"), py::arg("b"), py::arg("mtu") = py::none(),
           "Cables two switches (a trunk). `mtu` applies to both trunk ports (default: the smaller default).")
      .def("add_probe",
           [](const WorldPtr& w, py::handle sw, std::optional<std::string> name, std::optional<std::string> mac,
              std::uint32_t mtu) {
             WorldState::Lock lock(*w);
             check_mtu(mtu, "mtu");
             const auto si = switch_index(w, sw);
             ProbeRecord r;
             r.name = name ? *name : "probe" + std::to_string(w->probes.size());
             for (const auto& p : w->probes)
               if (p.name == r.name) throw py::value_error("a probe named '" + r.name + "' exists already");
             const auto m = mac ? to_mac(py::str(*mac)) : sim::probe_mac(static_cast<std::uint32_t>(w->probes.size()));
             const auto nic = w->probe_world().add_probe(r.name, w->switches[si].id, m, mtu, w->switches[si].link);
             r.port.name = r.name;
             r.port.nic = nic;
             r.port.sw = w->switches[si].id;
             const auto link = w->sim.nic_link(nic);
             r.port.link = link ? link->first : 0;
             r.port.switch_port = static_cast<std::uint32_t>(w->sim.switch_at(r.port.sw).ports.size() - 1);
             w->probes.push_back(std::move(r));
             return ProbeHandle{w, static_cast<std::uint32_t>(w->probes.size() - 1)};
           },
           py::arg("switch"), py::arg("name") = py::none(), py::arg("mac") = py::none(), py::arg("mtu") = 1500,
           "Adds a raw probe port on `switch`.")
      .def_property_readonly("switches",
                             [](const WorldPtr& w) {
                               py::list out;
                               for (std::uint32_t i = 0; i < w->switches.size(); ++i) out.append(SwitchHandle{w, i});
                               return out;
                             })
      .def_property_readonly("initiators", &initiator_list)
      .def_property_readonly("targets", &target_list)
      .def("target",
           [](const WorldPtr& w, py::handle address) {
             const auto a = to_address(address);
             for (std::uint32_t i = 0; i < w->targets.size(); ++i)
               if (w->targets[i].target().address() == a) return TargetHandle{w, i};
             throw py::key_error("no target " + a.to_string() + " in this world");
           },
           py::arg("address"), "The first target answering as `address` ('e1.0').")
      .def("initiator",
           [](const WorldPtr& w, const std::string& name) {
             for (std::uint32_t i = 0; i < w->initiators.size(); ++i)
               if (w->initiators[i].name == name) return InitiatorHandle{w, i};
             throw py::key_error("no initiator named '" + name + "'");
           },
           py::arg("name"))
      // ---- running ----
      .def("start",
           [](WorldState& w) {
             WorldState::Lock lock(w);
             w.started = true;
             w.sim.start();
             w.rethrow_hook_error();
           },
           "Starts every host (first discovery, target announcements). run() does this implicitly.")
      .def("run",
           [](WorldState& w, std::optional<double> until, std::optional<double> duration) {
             if (until.has_value() == duration.has_value())
               throw py::value_error("run() takes exactly one of until= (absolute seconds) or duration=");
             const Nanos deadline = until ? to_nanos(*until, "until") : w.sim.now() + to_nanos(*duration, "duration");
             if (deadline < w.sim.now())
               throw py::value_error("until=" + std::to_string(*until) + " lies in the past (now " +
                                     std::to_string(to_seconds(w.sim.now())) + ")");
             w.run([] { return false; }, deadline, false);
           },
           py::arg("until") = py::none(), py::arg("duration") = py::none(),
           "Runs the world to absolute time `until`, or for `duration` seconds. Releases the GIL when "
           "no Python callback, filter or action is installed.")
      .def("run_until",
           [](WorldState& w, py::function predicate, double timeout) {
             const Nanos deadline = w.sim.now() + to_nanos(timeout, "timeout");
             std::optional<py::error_already_set> failed;
             const bool ok = w.run(
                 [&] {
                   if (failed) return true;
                   try {
                     return py::bool_(predicate()).cast<bool>();
                   } catch (py::error_already_set& e) {
                     failed.emplace(std::move(e));
                     return true;
                   }
                 },
                 deadline, true);
             if (failed) throw std::move(*failed);
             return ok;
           },
           py::arg("predicate"), py::arg("timeout") = 60.0,
           "Runs until predicate() is true (checked before the first and after every event, in world "
           "time) or `timeout` seconds of world time pass. Returns whether it held.")
      .def("wait",
           [](WorldState& w, const std::vector<RequestHandle>& requests, double timeout) {
             const Nanos deadline = w.sim.now() + to_nanos(timeout, "timeout");
             std::size_t next = 0;
             w.run(
                 [&] {
                   while (next < requests.size() && requests[next].io->done) ++next;
                   return next == requests.size();
                 },
                 deadline, false);
             std::size_t pending = 0;
             for (const auto& r : requests) pending += r.io->done ? 0 : 1;
             if (pending > 0)
               raise_timeout(std::to_string(pending) + " of " + std::to_string(requests.size()) +
                             " requests still pending after " + std::to_string(timeout) + " s of world time");
           },
           py::arg("requests"), py::arg("timeout") = 3600.0,
           "Runs until every request has completed (successfully or not); aoeh.TimeoutError otherwise.")
      .def("at",
           [](const WorldPtr& w, double time, py::function action) {
             const Nanos t = to_nanos(time, "time");
             if (t < w->sim.now()) throw py::value_error("time lies in the past");
             schedule_python(*w, t, std::move(action));
           },
           py::arg("time"), py::arg("action"),
           "Calls action() at absolute world time `time` (a scheduled scenario step or fault).")
      .def("after",
           [](const WorldPtr& w, double delay, py::function action) {
             schedule_python(*w, w->sim.now() + to_nanos(delay, "delay"), std::move(action));
           },
           py::arg("delay"), py::arg("action"), "Calls action() `delay` seconds of world time from now.")
      // ---- capture ----
      .def("capture",
           [](WorldState& w, const std::string& path, py::object ports) {
             WorldState::Lock lock(w);
             if (w.capture) throw Error("this world already captures to " + w.capture_path);
             std::string error;
             auto id = w.sim.open_capture(path, &error);
             if (!id) {
               PyErr_SetString(PyExc_OSError, ("cannot capture to '" + path + "': " + error).c_str());
               throw py::error_already_set();
             }
             w.capture = *id;
             w.capture_path = path;
             const std::string which = py::isinstance<py::str>(ports) ? ports.cast<std::string>() : "";
             if (which == "initiators" || which == "all") {
               for (const auto& i : w.initiators) tap_ports(w, i.ports);
             }
             if (which == "all") {
               for (const auto& t : w.targets) tap_ports(w, t.ports);
               for (const auto& p : w.probes) w.sim.tap_nic(p.port.nic, *w.capture);
             }
             if (which.empty()) {
               for (auto item : ports) w.sim.tap_nic(item.cast<PortHandle&>().rec().nic, *w.capture);
             } else if (which != "initiators" && which != "all") {
               throw py::value_error("ports must be 'initiators', 'all' or a list of Port");
             }
             w.capture_all_initiators = which == "initiators" || which == "all";
             w.capture_all = which == "all";
           },
           py::arg("path"), py::arg("ports") = "initiators",
           "Writes frames sent and received by `ports` to a pcap file (nanosecond timestamps of world "
           "time). 'initiators' (default) and 'all' also cover hosts added later.")
      .def_property_readonly("capture_path",
                             [](const WorldState& w) -> py::object {
                               if (!w.capture) return py::none();
                               return py::str(w.capture_path);
                             })
      .def_property_readonly("frames_captured",
                             [](const WorldState& w) -> std::uint64_t {
                               return w.capture ? w.sim.frames_captured(*w.capture) : 0;
                             })
      .def("flush_capture",
           [](WorldState& w) {
             WorldState::Lock lock(w);
             w.sim.flush_captures();
           })
      .def("__repr__", [](const WorldState& w) {
        return "<aoeh.World seed=" + std::to_string(w.sim.seed()) + " t=" + std::to_string(to_seconds(w.sim.now())) +
               " initiators=" + std::to_string(w.initiators.size()) + " targets=" + std::to_string(w.targets.size()) +
               ">";
      });

  m.def("read_pcap",
        [](const std::string& path) {
          std::string error;
          auto records = proto::read_pcap(path, &error);
          if (!records) {
            PyErr_SetString(PyExc_OSError, ("cannot read pcap '" + path + "': " + error).c_str());
            throw py::error_already_set();
          }
          py::list out;
          for (const auto& r : *records)
            out.append(py::make_tuple(to_seconds(r.time_ns),
                                      py::bytes(reinterpret_cast<const char*>(r.bytes.data()), r.bytes.size())));
          return out;
        },
        py::arg("path"), "Reads a pcap file: [(seconds, frame bytes)].");
}

}  // namespace aoeh::bindings
