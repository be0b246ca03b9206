// aoeh.LiveSession: the initiator engine on real interfaces (live/live_session.hpp) from Python:
// discover, devices, read, write, flush. Every wait releases the GIL and is bounded by a timeout
// of wall-clock seconds. Opening fails with aoeh.LivePermissionError (no CAP_NET_RAW) or
// aoeh.InterfaceError (unknown, down or non-Ethernet interface), both aoeh.LiveError.
#include <pybind11/stl.h>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "bindings/certify_subjects.hpp"
#include "bindings/errors.hpp"
#include "bindings/handles.hpp"
#include "bindings/live_session.hpp"
#include "live/errors.hpp"
#include "live/live_session.hpp"
#include "live/live_world.hpp"

namespace aoeh::bindings {
namespace {

struct LiveState {
  std::vector<std::string> interfaces;
  std::unique_ptr<live::LiveSession> session;
  std::mutex mutex;  // one thread at a time drives the session; taken only without the GIL (locked())
  // Completions by user_data, filled by the driver's event handler.
  std::map<std::uint64_t, initiator::Event> done;
  // The engine reads/fills these until the completion event, even after a timeout gave up on it.
  std::map<std::uint64_t, std::shared_ptr<std::vector<std::uint8_t>>> buffers;
  std::set<std::uint64_t> abandoned;
  std::uint64_t next_key = 0;

  void on_event(const initiator::Event& e) {
    if (e.kind != initiator::EventKind::IoCompleted) return;
    if (abandoned.erase(e.user_data)) {
      buffers.erase(e.user_data);
      return;
    }
    done[e.user_data] = e;
  }
};

struct LiveHandle {
  std::shared_ptr<LiveState> state;
};

// Runs fn(state) with the GIL released and then the mutex taken, always in that order: a thread
// holding the mutex never waits for the GIL, so two Python threads on one session cannot deadlock.
// fn touches no Python object; callers convert its result once the GIL is back.
template <class Fn>
auto locked(const LiveHandle& h, Fn&& fn) {
  py::gil_scoped_release release;
  std::lock_guard<std::mutex> guard(h.state->mutex);
  return fn(*h.state);
}

live::LiveSession& session_of(LiveState& st) {
  if (!st.session) throw Error("the live session is closed");
  return *st.session;
}

// The engine's devices with the interface name of each PortId, copied under the lock.
struct DeviceTable {
  std::vector<initiator::DeviceInfo> devices;
  std::vector<std::string> port_names;
};

std::vector<std::string> port_names(live::LiveSession& s) {
  std::vector<std::string> names;
  for (auto& p : s.ports()) names.push_back(p.info().name);
  return names;
}

proto::DeviceAddress device_of(py::handle h) {
  const auto a = to_address(h);
  if (a.is_broadcast_shelf() || a.is_broadcast_slot()) throw py::value_error("not a single device: " + a.to_string());
  return a;
}

py::dict device_dict(const initiator::DeviceInfo& d, const std::vector<std::string>& port_names) {
  py::dict o;
  o["address"] = d.address.to_string();
  o["state"] = device_state_key(d.state);
  o["capacity"] = d.capacity_sectors;
  o["model"] = d.model;
  o["serial"] = d.serial;
  o["firmware"] = d.firmware;
  py::list paths;
  for (const auto& p : d.paths) {
    py::dict q;
    q["mac"] = mac_string(p.mac);
    std::vector<std::string> ifs;
    for (auto id : p.ports)
      if (id < port_names.size()) ifs.push_back(port_names[id]);
    q["interfaces"] = ifs;
    q["payload_sectors"] = p.payload_sectors;
    q["buffer_count"] = p.buffer_count;
    paths.append(q);
  }
  o["paths"] = paths;
  return o;
}

// One request, run to completion (or timeout) with the GIL released.
initiator::Event run_io(const LiveHandle& h, proto::DeviceAddress device, initiator::IoRequest req,
                        std::shared_ptr<std::vector<std::uint8_t>> buffer, double timeout) {
  const auto wait = to_nanos(timeout, "timeout");
  struct Outcome {
    initiator::SubmitResult submitted;
    std::optional<initiator::Event> completion;  // none: timed out
  };
  const auto out = locked(h, [&](LiveState& st) {
    auto& s = session_of(st);
    const std::uint64_t key = ++st.next_key;
    req.user_data = key;
    if (buffer) req.buffer = *buffer;
    Outcome o;
    s.driver().start();
    o.submitted = s.driver().submit(device, req);
    if (!o.submitted.ok()) return o;
    s.driver().run_until([&] { return st.done.count(key) != 0; }, s.driver().now() + wait);
    auto it = st.done.find(key);
    if (it == st.done.end()) {
      // Still in flight: the engine keeps the buffer until its completion, which is then dropped.
      if (buffer) st.buffers[key] = buffer;
      st.abandoned.insert(key);
      return o;
    }
    o.completion = it->second;
    st.done.erase(it);
    return o;
  });
  if (!out.submitted.ok())
    raise_submit_error("live " + device.to_string() + ": " + initiator::submit_error_name(out.submitted.error),
                       initiator::submit_error_name(out.submitted.error));
  if (!out.completion)
    raise_timeout("live " + device.to_string() + ": request did not complete within " + std::to_string(timeout) + " s");
  return *out.completion;
}

void check_io(const initiator::Event& e, proto::DeviceAddress device, initiator::IoKind kind, std::uint64_t lba,
              std::uint32_t sectors) {
  if (e.status == initiator::IoStatus::Ok) return;
  PendingIo io;
  io.device = device;
  io.kind = kind;
  io.lba = lba;
  io.sectors = sectors;
  io.completion = e;
  io.completed_at = e.time;
  raise_io_error(io);
}

LiveHandle open_session(const std::vector<std::string>& ifaces, double dead_after, double rto_min) {
  if (ifaces.empty()) throw py::value_error("LiveSession needs at least one interface");
  auto st = std::make_shared<LiveState>();
  st->interfaces = ifaces;
  initiator::EngineConfig c;
  c.dead_after = to_nanos(dead_after, "dead_after");
  c.rto_min = to_nanos(rto_min, "rto_min");
  live::LiveDriverOptions o;
  o.handle_signals = false;  // Python owns SIGINT; every wait is bounded by its timeout instead
  try {
    st->session = std::make_unique<live::LiveSession>(ifaces, c, o);
  } catch (const live::LiveError& e) {
    raise_live_error(e);
  }
  LiveState* raw = st.get();
  st->session->set_event_handler([raw](const initiator::Event& e) { raw->on_event(e); });
  return LiveHandle{st};
}

}  // namespace

std::optional<CertifySubject> live_certify_subject(const py::object& subject, const py::object& target) {
  if (!py::isinstance<LiveHandle>(subject)) return std::nullopt;
  const auto& h = subject.cast<const LiveHandle&>();
  if (target.is_none()) throw py::value_error("certifying a LiveSession needs target='eS.L'");
  CertifySubject c;
  try {
    auto world = std::make_shared<live::LiveWorld>(h.state->interfaces);
    c.world = world.get();
    c.owner = world;
  } catch (const live::LiveError& e) {
    raise_live_error(e);
  }
  c.target = device_of(target);
  c.live = true;
  std::string ifs;
  for (const auto& i : h.state->interfaces) ifs += (ifs.empty() ? "" : ",") + i;
  c.mode = "live " + ifs;
  return c;
}

void bind_live(py::module_& m) {
  py::class_<LiveHandle>(m, "LiveSession",
                         "The initiator engine on real network interfaces (AF_PACKET; needs CAP_NET_RAW). "
                         "Times are wall-clock seconds; every call waits at most its timeout, releasing the GIL.")
      .def(py::init(&open_session), py::arg("ifaces"), py::arg("dead_after") = 30.0, py::arg("rto_min") = 0.02,
           "Opens the interfaces. Raises aoeh.LivePermissionError without CAP_NET_RAW and "
           "aoeh.InterfaceError for an unknown, down or non-Ethernet interface (both aoeh.LiveError).")
      .def_property_readonly("interfaces", [](const LiveHandle& h) { return h.state->interfaces; })
      .def("discover",
           [](const LiveHandle& h, double timeout) {
             const auto wait = to_nanos(timeout, "timeout");
             return locked(h, [&](LiveState& st) {
               auto& s = session_of(st);
               s.driver().start();
               s.driver().discover();
               s.driver().run_until([] { return false; }, s.driver().now() + wait);
               std::vector<std::string> out;
               for (const auto& d : s.engine().devices()) out.push_back(d.address.to_string());
               return out;
             });
           },
           py::arg("timeout") = 2.0,
           "Broadcasts a Query Config, listens for `timeout` seconds, and returns the addresses known.")
      .def("wait_for",
           [](const LiveHandle& h, py::handle device, double timeout) {
             const auto a = device_of(device);
             const auto wait = to_nanos(timeout, "timeout");
             const auto [w, names] = locked(h, [&](LiveState& st) {
               auto& s = session_of(st);
               return std::make_pair(s.wait_for_device(a, wait), port_names(s));
             });
             if (!w.device) raise_timeout("no answer from " + a.to_string() + " within " + std::to_string(timeout) + " s");
             if (w.device->state != initiator::DeviceState::Up)
               throw Error(a.to_string() + " answered but is " + device_state_key(w.device->state));
             return device_dict(*w.device, names);
           },
           py::arg("device"), py::arg("timeout") = 10.0,
           "Runs until the device is up (identified); returns its description. aoeh.TimeoutError if it never answers.")
      .def("devices",
           [](const LiveHandle& h) {
             const auto table = locked(h, [](LiveState& st) {
               auto& s = session_of(st);
               return DeviceTable{s.engine().devices(), port_names(s)};
             });
             py::list out;
             for (const auto& d : table.devices) out.append(device_dict(d, table.port_names));
             return out;
           },
           "Every device the engine knows: [{'address', 'state', 'capacity', 'model', 'serial', 'firmware', 'paths'}].")
      .def("read",
           [](const LiveHandle& h, py::handle device, std::uint64_t lba, std::uint32_t count, double timeout) {
             if (count == 0) throw py::value_error("count must be at least 1 sector");
             const auto a = device_of(device);
             auto buf = std::make_shared<std::vector<std::uint8_t>>(std::size_t{count} * 512);
             initiator::IoRequest r;
             r.kind = initiator::IoKind::Read;
             r.lba = lba;
             r.sectors = count;
             const auto e = run_io(h, a, r, buf, timeout);
             check_io(e, a, r.kind, lba, count);
             return py::bytes(reinterpret_cast<const char*>(buf->data()), buf->size());
           },
           py::arg("device"), py::arg("lba"), py::arg("count") = 1, py::arg("timeout") = 10.0)
      .def("write",
           [](const LiveHandle& h, py::handle device, std::uint64_t lba, py::handle data, double timeout) {
             const auto a = device_of(device);
             auto buf = std::make_shared<std::vector<std::uint8_t>>(to_byte_vector(data, "data"));
             if (buf->empty() || buf->size() % 512 != 0)
               throw py::value_error("data must be a non-empty multiple of 512 bytes");
             initiator::IoRequest r;
             r.kind = initiator::IoKind::Write;
             r.lba = lba;
             r.sectors = static_cast<std::uint32_t>(buf->size() / 512);
             const auto e = run_io(h, a, r, buf, timeout);
             check_io(e, a, r.kind, lba, r.sectors);
           },
           py::arg("device"), py::arg("lba"), py::arg("data"), py::arg("timeout") = 10.0)
      .def("flush",
           [](const LiveHandle& h, py::handle device, double timeout) {
             const auto a = device_of(device);
             initiator::IoRequest r;
             r.kind = initiator::IoKind::Flush;
             const auto e = run_io(h, a, r, nullptr, timeout);
             check_io(e, a, r.kind, 0, 0);
           },
           py::arg("device"), py::arg("timeout") = 10.0)
      .def("close",
           [](const LiveHandle& h) { locked(h, [](LiveState& st) { st.session.reset(); }); },
           "Closes the sockets (the session cannot be used afterwards).")
      .def("__enter__", [](const LiveHandle& h) { return h; })
      .def("__exit__", [](const LiveHandle& h, py::args) { locked(h, [](LiveState& st) { st.session.reset(); }); })
      .def("__repr__", [](const LiveHandle& h) {
        std::string ifs;
        for (const auto& i : h.state->interfaces) ifs += (ifs.empty() ? "" : ",") + i;
        const bool open = locked(h, [](LiveState& st) { return st.session != nullptr; });
        return "<aoeh.LiveSession " + ifs + (open ? "" : " closed") + ">";
      });
}

}  // namespace aoeh::bindings
