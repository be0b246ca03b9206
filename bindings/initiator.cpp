// aoeh.Initiator (the sans-IO engine hosted in a world), its devices, paths, counters and events,
// blocking I/O helpers and asynchronous requests (aoeh.Request, a future-like object).
#include <pybind11/stl.h>

#include <cstdio>

#include "bindings/errors.hpp"
#include "bindings/handles.hpp"
#include "sim/topology.hpp"

namespace aoeh::bindings {
namespace {

using initiator::DeviceInfo;
using initiator::IoKind;
using initiator::PathInfo;

constexpr double kDefaultIoTimeout = 3600.0;

// A device snapshot together with the initiator's port names (paths list ports by engine id).
struct DeviceView {
  DeviceInfo info;
  std::vector<std::string> port_names;
};
struct PathView {
  PathInfo info;
  std::vector<std::string> port_names;
};

std::vector<std::string> engine_port_names(const InitiatorRecord& rec) {
  std::vector<std::string> out;
  for (std::uint32_t k = 0; k < rec.allowed; ++k) out.push_back(rec.ports[k].name);
  return out;
}

std::uint32_t payload_sectors(const DeviceInfo& d) {
  std::uint32_t best = 0;
  for (const auto& p : d.paths) best = std::max(best, p.payload_sectors);
  return best;
}

proto::DeviceAddress known_device(const InitiatorHandle& h, py::handle device) {
  const auto a = to_address(device);
  if (!h.host().engine().device(a))
    throw Error("initiator " + h.rec().name + " knows no device " + a.to_string() + " (not discovered)");
  return a;
}

std::shared_ptr<PendingIo> submit_io(const InitiatorHandle& h, py::handle device, IoKind kind, std::uint64_t lba,
                                     std::uint32_t count, py::handle data, const py::object& callback) {
  auto& w = *h.world;
  WorldState::Lock lock(w);
  auto io = std::make_shared<PendingIo>();
  io->key = w.next_key();
  io->initiator = h.index;
  io->device = to_address(device);
  io->kind = kind;
  io->lba = kind == IoKind::Flush ? 0 : lba;
  if (kind == IoKind::Write) {
    io->buffer = to_byte_vector(data, "data");
    if (io->buffer.empty() || io->buffer.size() % proto::kSectorSize != 0)
      throw py::value_error("write data must be a non-empty multiple of 512 bytes, got " +
                            std::to_string(io->buffer.size()) + " bytes");
    if (io->buffer.size() / proto::kSectorSize > 0xFFFFFFFFu) throw py::value_error("write data too large");
    io->sectors = static_cast<std::uint32_t>(io->buffer.size() / proto::kSectorSize);
  } else if (kind == IoKind::Read) {
    if (count == 0) throw py::value_error("count must be at least 1 sector");
    if (count > h.host().engine().config().max_request_sectors)
      throw py::value_error("count " + std::to_string(count) + " is above the engine's max_request_sectors (" +
                            std::to_string(h.host().engine().config().max_request_sectors) + ")");
    io->sectors = count;
    io->buffer.assign(std::size_t{count} * proto::kSectorSize, 0);
  }
  if (!callback.is_none()) {
    if (!PyCallable_Check(callback.ptr())) throw py::value_error("callback must be callable");
    io->callback = callback;
  }
  initiator::IoRequest r;
  r.kind = kind;
  r.lba = io->lba;
  r.sectors = io->sectors;
  r.buffer = std::span<std::uint8_t>(io->buffer.data(), io->buffer.size());
  r.user_data = io->key;
  io->submitted_at = w.sim.now();
  w.pending[io->key] = io;  // before submit: the buffer is owned by the world from here on
  const auto result = h.host().submit(io->device, r);
  if (!result.ok()) {
    w.pending.erase(io->key);
    io->callback = py::object();
    std::string what = std::string(io_kind_key(kind)) + " " + io->device.to_string();
    if (kind != IoKind::Flush) what += " lba " + std::to_string(io->lba) + " count " + std::to_string(io->sectors);
    std::string detail;
    if (result.error == initiator::SubmitError::DeviceNotUp) {
      if (auto d = h.host().engine().device(io->device)) detail = std::string(" (state ") + device_state_key(d->state) + ")";
    } else if (result.error == initiator::SubmitError::BeyondEnd) {
      if (auto d = h.host().engine().device(io->device))
        detail = " (device has " + std::to_string(d->capacity_sectors) + " sectors)";
    }
    raise_submit_error(what + " refused by " + h.rec().name + ": " + initiator::submit_error_name(result.error) + detail,
                       initiator::submit_error_name(result.error));
  }
  io->id = result.id;
  w.note(h.rec().name, std::string("submit ") + io_kind_key(kind) + " " + io->device.to_string() + " lba " +
                           std::to_string(io->lba) + " count " + std::to_string(io->sectors) + " request " +
                           std::to_string(io->id));
  w.rethrow_hook_error();
  return io;
}

void wait_done(WorldState& w, const PendingIo& io, double timeout) {
  if (io.done) return;
  const Nanos start = w.sim.now();
  w.run([&io] { return io.done; }, start + to_nanos(timeout, "timeout"), false);
  if (!io.done) {
    char buf[160];
    std::snprintf(buf, sizeof buf, " did not complete within %g s of world time (t=%.6f s); it is still pending",
                  timeout, to_seconds(w.sim.now()));
    std::string what = std::string(io_kind_key(io.kind)) + " " + io.device.to_string();
    if (io.kind != IoKind::Flush) what += " lba " + std::to_string(io.lba) + " count " + std::to_string(io.sectors);
    raise_timeout(what + buf);
  }
}

py::object request_result(const PendingIo& io) {
  if (io.completion.status != initiator::IoStatus::Ok) raise_io_error(io);
  if (io.kind != IoKind::Read) return py::none();
  return py::bytes(reinterpret_cast<const char*>(io.buffer.data()), io.buffer.size());
}

std::string size_text(std::uint64_t sectors) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3fGB", static_cast<double>(sectors) * 512.0 / 1e9);
  return buf;
}

}  // namespace

InitiatorHandle add_initiator(const WorldPtr& w, const py::object& ports, std::optional<std::string> name,
                              std::optional<std::uint32_t> mtu, std::optional<std::uint32_t> switch_mtu,
                              const py::object& allowed, double dead_after, double discover_interval,
                              double rto_initial, double rto_min, double rto_max, double path_unhealthy_after,
                              double probe_interval, std::uint32_t max_outstanding, bool payload_fallback,
                              std::uint32_t fallback_after_timeouts, std::uint32_t device_unavailable_retries,
                              std::uint32_t max_request_sectors, const std::optional<std::vector<std::string>>& macs) {
  WorldState::Lock lock(*w);
  const auto specs = port_specs(w, ports, "an initiator");
  const auto index = static_cast<std::uint32_t>(w->initiators.size());
  InitiatorRecord rec;
  rec.name = name ? *name : "i" + std::to_string(index);
  for (const auto& i : w->initiators)
    if (i.name == rec.name) throw py::value_error("an initiator named '" + rec.name + "' exists already");
  if (macs && macs->size() != specs.size()) throw py::value_error("macs must name one MAC per port");

  // The allow-list (aoe_iflist): allowed ports become engine ports 0..n-1; the others are cabled
  // NICs the engine never uses (frames arriving there are ignored).
  std::vector<bool> is_allowed(specs.size(), allowed.is_none());
  if (!allowed.is_none()) {
    for (auto item : allowed) {
      std::size_t k;
      if (py::isinstance<py::str>(item)) {
        const auto s = item.cast<std::string>();
        if (s.rfind("eth", 0) != 0) throw py::value_error("allowed ports are indexes or names 'eth0', 'eth1', ...");
        k = std::stoul(s.substr(3));
      } else {
        k = item.cast<std::size_t>();
      }
      if (k >= specs.size()) throw py::value_error("allowed port " + std::to_string(k) + " does not exist");
      is_allowed[k] = true;
    }
  }
  std::vector<std::uint32_t> order;
  for (std::uint32_t k = 0; k < specs.size(); ++k)
    if (is_allowed[k]) order.push_back(k);
  rec.allowed = static_cast<std::uint32_t>(order.size());
  for (std::uint32_t k = 0; k < specs.size(); ++k)
    if (!is_allowed[k]) order.push_back(k);

  initiator::EngineConfig c;
  c.dead_after = to_nanos(dead_after, "dead_after");
  c.discover_interval = to_nanos(discover_interval, "discover_interval");
  c.rto_initial = to_nanos(rto_initial, "rto_initial");
  c.rto_min = to_nanos(rto_min, "rto_min");
  c.rto_max = to_nanos(rto_max, "rto_max");
  if (c.rto_min <= 0 || c.rto_min > c.rto_max) throw py::value_error("need 0 < rto_min <= rto_max");
  c.path_unhealthy_after = to_nanos(path_unhealthy_after, "path_unhealthy_after");
  c.probe_interval = to_nanos(probe_interval, "probe_interval");
  if (max_outstanding == 0) throw py::value_error("max_outstanding must be at least 1");
  c.max_outstanding_per_path = max_outstanding;
  c.payload_fallback = payload_fallback;
  c.fallback_after_timeouts = fallback_after_timeouts;
  c.device_unavailable_retries = device_unavailable_retries;
  if (max_request_sectors == 0) throw py::value_error("max_request_sectors must be at least 1");
  c.max_request_sectors = max_request_sectors;

  std::vector<sim::NicConfig> nics;
  std::vector<std::uint32_t> sw_mtus;
  for (std::uint32_t k : order) {
    sim::NicConfig n;
    n.name = "eth" + std::to_string(k);
    n.mac = macs ? to_mac(py::str((*macs)[k])) : sim::initiator_mac(index, k);
    const std::uint32_t sw_mtu = switch_mtu ? *switch_mtu : w->switches[specs[k].sw].mtu;
    n.mtu = specs[k].mtu ? *specs[k].mtu : (mtu ? *mtu : sw_mtu);
    check_mtu(n.mtu, "mtu");
    check_mtu(sw_mtu, "switch_mtu");
    nics.push_back(n);
    sw_mtus.push_back(sw_mtu);
  }
  for (std::uint32_t k = 0; k < rec.allowed; ++k)
    c.ports.push_back(initiator::PortConfig{nics[k].name, nics[k].mac, nics[k].mtu, true});

  auto host = std::make_unique<sim::EngineHost>(std::move(c));
  sim::EngineHost* raw = host.get();
  raw->set_keep_log(false);
  WorldState* world = w.get();
  raw->set_event_handler([world, index](const initiator::Event& e) { world->on_engine_event(index, e); });
  rec.host = raw;
  w->initiators.push_back(std::move(rec));  // before the host starts: its events need the record
  const sim::HostId id = w->sim.add_host(std::move(host), nics);
  auto& r = w->initiators.back();
  for (std::uint32_t j = 0; j < order.size(); ++j) {
    const std::uint32_t k = order[j];
    r.ports.push_back(w->attach(id, j, nics[j].name, specs[k].sw, sw_mtus[j], w->switches[specs[k].sw].link));
  }
  if (w->capture && w->capture_all_initiators) tap_ports(*w, r.ports);
  w->note(r.name, "initiator added, " + std::to_string(order.size()) + " port(s), " + std::to_string(r.allowed) +
                      " allowed");
  if (w->started) raw->discover();  // its start-up broadcast left before it was cabled
  w->rethrow_hook_error();
  return InitiatorHandle{w, index};
}

void bind_initiator(py::module_& m) {
  world_class(m).def(
      "add_initiator", &add_initiator, py::arg("ports"), py::arg("name") = py::none(), py::arg("mtu") = py::none(),
      py::arg("switch_mtu") = py::none(), py::arg("allowed") = py::none(), py::arg("dead_after") = 180.0,
      py::arg("discover_interval") = 60.0, py::arg("rto_initial") = 0.2, py::arg("rto_min") = 0.001,
      py::arg("rto_max") = 5.0, py::arg("path_unhealthy_after") = 10.0, py::arg("probe_interval") = 1.0,
      py::arg("max_outstanding") = 64, py::arg("payload_fallback") = true, py::arg("fallback_after_timeouts") = 4,
      py::arg("device_unavailable_retries") = 3, py::arg("max_request_sectors") = 65536, py::arg("macs") = py::none(),
      R"(Adds an AoE initiator (the aoeh engine) with one NIC per entry of `ports`.

ports: [switch or (switch, nic_mtu), ...]; NIC k is named 'ethK'. allowed: the allow-list
(aoe_iflist) as indexes or names; other NICs are cabled but ignored. dead_after: seconds
without progress before a device is declared down (aoe_deadsecs, 0 = never).
discover_interval: periodic broadcast Query Config. Times are seconds.)");

  py::class_<initiator::Event>(m, "Event", "An engine event (see Initiator.events and Initiator.on_event).")
      .def_property_readonly("kind", [](const initiator::Event& e) { return event_kind_key(e.kind); },
                             "device_up, device_down, device_failed, device_resized, io_completed, path_added, "
                             "path_unhealthy, path_healthy, payload_fallback, shelf_unset, config_changed")
      .def_property_readonly("time", [](const initiator::Event& e) { return to_seconds(e.time); })
      .def_readonly("time_ns", &initiator::Event::time)
      .def_property_readonly("device", [](const initiator::Event& e) { return e.device.to_string(); })
      .def_property_readonly("state", [](const initiator::Event& e) { return device_state_key(e.state); })
      .def_readonly("request", &initiator::Event::request)
      .def_property_readonly("status", [](const initiator::Event& e) { return io_status_key(e.status); })
      .def_readonly("ata_status", &initiator::Event::ata_status)
      .def_readonly("ata_error", &initiator::Event::ata_error)
      .def_property_readonly("aoe_error", [](const initiator::Event& e) { return static_cast<int>(e.aoe_error); })
      .def_property_readonly("path", [](const initiator::Event& e) { return e.path.to_string(); })
      .def_readonly("port", &initiator::Event::port)
      .def_readonly("old_sectors", &initiator::Event::old_sectors)
      .def_readonly("new_sectors", &initiator::Event::new_sectors)
      .def("__repr__", [](const initiator::Event& e) {
        char t[32];
        std::snprintf(t, sizeof t, "%.6f", to_seconds(e.time));
        return "<aoeh.Event t=" + std::string(t) + " " + describe_event(e) + ">";
      });

  py::class_<PathView>(m, "Path", "One target MAC answering for a device, as the engine sees it.")
      .def_property_readonly("mac", [](const PathView& p) { return p.info.mac.to_string(); })
      .def_property_readonly("ports", [](const PathView& p) { return p.info.ports; }, "Engine port ids it answered on.")
      .def_property_readonly("interfaces",
                             [](const PathView& p) {
                               std::vector<std::string> out;
                               for (auto id : p.info.ports) out.push_back(id < p.port_names.size() ? p.port_names[id] : "?");
                               return out;
                             })
      .def_property_readonly("buffer_count", [](const PathView& p) { return p.info.buffer_count; })
      .def_property_readonly("firmware", [](const PathView& p) { return p.info.firmware; })
      .def_property_readonly("sector_count", [](const PathView& p) { return p.info.sector_count; },
                             "Sectors per request the target advertised (0 means 2).")
      .def_property_readonly("config", [](const PathView& p) { return p.info.config; })
      .def_property_readonly("payload_sectors", [](const PathView& p) { return p.info.payload_sectors; })
      .def_property_readonly("srtt", [](const PathView& p) { return to_seconds(p.info.srtt); })
      .def_property_readonly("rttvar", [](const PathView& p) { return to_seconds(p.info.rttvar); })
      .def_property_readonly("rto", [](const PathView& p) { return to_seconds(p.info.rto); })
      .def_property_readonly("cwnd", [](const PathView& p) { return p.info.cwnd; })
      .def_property_readonly("ssthresh", [](const PathView& p) { return p.info.ssthresh; })
      .def_property_readonly("outstanding", [](const PathView& p) { return p.info.outstanding; })
      .def_property_readonly("healthy", [](const PathView& p) { return p.info.healthy; })
      .def_property_readonly("fallback", [](const PathView& p) { return p.info.fallback; })
      .def("__repr__", [](const PathView& p) {
        return "<aoeh.Path " + p.info.mac.to_string() + " payload=" + std::to_string(p.info.payload_sectors) +
               (p.info.healthy ? "" : " unhealthy") + (p.info.fallback ? " fallback" : "") + ">";
      });

  py::class_<DeviceView>(m, "Device", "A snapshot of one device in an initiator's table.")
      .def_property_readonly("address", [](const DeviceView& d) { return d.info.address.to_string(); })
      .def_property_readonly("shelf", [](const DeviceView& d) { return d.info.address.shelf; })
      .def_property_readonly("slot", [](const DeviceView& d) { return d.info.address.slot; })
      .def_property_readonly("state", [](const DeviceView& d) { return device_state_key(d.info.state); },
                             "discovered, up, down, closewait or failed")
      .def_property_readonly("capacity", [](const DeviceView& d) { return d.info.capacity_sectors; }, "Sectors.")
      .def_property_readonly("size", [](const DeviceView& d) { return d.info.capacity_sectors * proto::kSectorSize; },
                             "Bytes.")
      .def_property_readonly("lba48", [](const DeviceView& d) { return d.info.lba48; })
      .def_property_readonly("model", [](const DeviceView& d) { return d.info.model; })
      .def_property_readonly("serial", [](const DeviceView& d) { return d.info.serial; })
      .def_property_readonly("firmware", [](const DeviceView& d) { return d.info.firmware; })
      .def_property_readonly("open", [](const DeviceView& d) { return d.info.open; })
      .def_property_readonly("queued", [](const DeviceView& d) { return d.info.queued; })
      .def_property_readonly("in_flight", [](const DeviceView& d) { return d.info.in_flight; })
      .def_property_readonly("payload_sectors", [](const DeviceView& d) { return payload_sectors(d.info); },
                             "Largest sectors-per-frame among its paths.")
      .def_property_readonly("payload", [](const DeviceView& d) { return payload_sectors(d.info) * proto::kSectorSize; },
                             "Largest data bytes per frame among its paths (aoe-stat's payload column).")
      .def_property_readonly("paths",
                             [](const DeviceView& d) {
                               std::vector<PathView> out;
                               for (const auto& p : d.info.paths) out.push_back(PathView{p, d.port_names});
                               return out;
                             })
      .def_property_readonly("interfaces",
                             [](const DeviceView& d) {
                               std::vector<std::string> out;
                               for (const auto& p : d.info.paths)
                                 for (auto id : p.ports) {
                                   const std::string n = id < d.port_names.size() ? d.port_names[id] : "?";
                                   if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
                                 }
                               std::sort(out.begin(), out.end());
                               return out;
                             },
                             "Initiator ports any path answered on, sorted.")
      .def("__repr__", [](const DeviceView& d) {
        return "<aoeh.Device " + d.info.address.to_string() + " " + device_state_key(d.info.state) + " " +
               std::to_string(d.info.capacity_sectors) + " sectors, " + std::to_string(d.info.paths.size()) +
               " path(s)>";
      });

  py::class_<initiator::Counters>(m, "Counters", "The engine's counters.")
      .def_readonly("frames_sent", &initiator::Counters::frames_sent)
      .def_readonly("frames_received", &initiator::Counters::frames_received)
      .def_readonly("retransmits", &initiator::Counters::retransmits)
      .def_readonly("late_replies", &initiator::Counters::late_replies)
      .def_readonly("duplicate_replies", &initiator::Counters::duplicate_replies)
      .def_readonly("unknown_tags", &initiator::Counters::unknown_tags)
      .def_readonly("malformed", &initiator::Counters::malformed)
      .def_readonly("ignored", &initiator::Counters::ignored)
      .def_property_readonly("error_replies",
                             [](const initiator::Counters& c) {
                               return std::vector<std::uint64_t>(std::begin(c.error_replies), std::end(c.error_replies));
                             },
                             "AoE Error replies by code 0..7 (7: any higher).")
      .def_readonly("timeouts", &initiator::Counters::timeouts)
      .def_readonly("fallbacks", &initiator::Counters::fallbacks)
      .def_readonly("requests_completed", &initiator::Counters::requests_completed)
      .def_readonly("requests_failed", &initiator::Counters::requests_failed)
      .def_readonly("discoveries", &initiator::Counters::discoveries)
      .def("as_dict", [](const initiator::Counters& c) {
        py::dict d;
        d["frames_sent"] = c.frames_sent;
        d["frames_received"] = c.frames_received;
        d["retransmits"] = c.retransmits;
        d["late_replies"] = c.late_replies;
        d["duplicate_replies"] = c.duplicate_replies;
        d["unknown_tags"] = c.unknown_tags;
        d["malformed"] = c.malformed;
        d["ignored"] = c.ignored;
        d["error_replies"] = std::vector<std::uint64_t>(std::begin(c.error_replies), std::end(c.error_replies));
        d["timeouts"] = c.timeouts;
        d["fallbacks"] = c.fallbacks;
        d["requests_completed"] = c.requests_completed;
        d["requests_failed"] = c.requests_failed;
        d["discoveries"] = c.discoveries;
        return d;
      });

  py::class_<RequestHandle>(m, "Request",
                            "An asynchronous request (like concurrent.futures.Future, but completed by running "
                            "the world). Its buffer stays owned by the world until the engine completes it.")
      .def("done", [](const RequestHandle& r) { return r.io->done; })
      .def_property_readonly("id", [](const RequestHandle& r) { return r.io->id; })
      .def_property_readonly("kind", [](const RequestHandle& r) { return io_kind_key(r.io->kind); })
      .def_property_readonly("device", [](const RequestHandle& r) { return r.io->device.to_string(); })
      .def_property_readonly("lba", [](const RequestHandle& r) { return r.io->lba; })
      .def_property_readonly("count", [](const RequestHandle& r) { return r.io->sectors; })
      .def_property_readonly("status",
                             [](const RequestHandle& r) -> py::object {
                               if (!r.io->done) return py::none();
                               return py::str(io_status_key(r.io->completion.status));
                             },
                             "None while pending, then ok / device_down / reserved / ata_error / aoe_error / cancelled.")
      .def_property_readonly("ok", [](const RequestHandle& r) {
        return r.io->done && r.io->completion.status == initiator::IoStatus::Ok;
      })
      .def_property_readonly("submitted_at", [](const RequestHandle& r) { return to_seconds(r.io->submitted_at); })
      .def_property_readonly("completed_at",
                             [](const RequestHandle& r) -> py::object {
                               if (!r.io->done) return py::none();
                               return py::float_(to_seconds(r.io->completed_at));
                             })
      .def_property_readonly("latency",
                             [](const RequestHandle& r) -> py::object {
                               if (!r.io->done) return py::none();
                               return py::float_(to_seconds(r.io->completed_at - r.io->submitted_at));
                             })
      .def_property_readonly("data",
                             [](const RequestHandle& r) -> py::object {
                               if (!r.io->done || r.io->kind != IoKind::Read ||
                                   r.io->completion.status != initiator::IoStatus::Ok)
                                 return py::none();
                               return py::bytes(reinterpret_cast<const char*>(r.io->buffer.data()), r.io->buffer.size());
                             },
                             "The data of a successful read, else None.")
      .def("wait",
           [](const RequestHandle& r, double timeout) {
             wait_done(*r.world, *r.io, timeout);
             return r.io->completion.status == initiator::IoStatus::Ok;
           },
           py::arg("timeout") = kDefaultIoTimeout,
           "Runs the world until the request completes; returns whether it succeeded. aoeh.TimeoutError "
           "if it is still pending after `timeout` seconds of world time.")
      .def("result",
           [](const RequestHandle& r, double timeout) {
             wait_done(*r.world, *r.io, timeout);
             return request_result(*r.io);
           },
           py::arg("timeout") = kDefaultIoTimeout,
           "wait(), then the read's bytes (None for write/flush), or raises the matching aoeh.IoError.")
      .def("exception",
           [](const RequestHandle& r, double timeout) -> py::object {
             wait_done(*r.world, *r.io, timeout);
             if (r.io->completion.status == initiator::IoStatus::Ok) return py::none();
             try {
               raise_io_error(*r.io);
             } catch (py::error_already_set& e) {
               return e.value();
             }
           },
           py::arg("timeout") = kDefaultIoTimeout)
      .def("add_done_callback",
           [](const RequestHandle& r, py::function fn) {
             WorldState::Lock lock(*r.world);
             if (r.io->done) {
               fn(r);
               return;
             }
             if (r.io->callback) throw py::value_error("this request already has a callback");
             r.io->callback = std::move(fn);
           },
           py::arg("fn"), "Calls fn(request) when it completes (at once if it has).")
      .def("__repr__", [](const RequestHandle& r) {
        return "<aoeh.Request " + std::to_string(r.io->id) + " " + io_kind_key(r.io->kind) + " " +
               r.io->device.to_string() + " lba " + std::to_string(r.io->lba) + " count " +
               std::to_string(r.io->sectors) + " " +
               (r.io->done ? io_status_key(r.io->completion.status) : "pending") + ">";
      });

  py::class_<InitiatorHandle>(m, "Initiator", "An AoE initiator: the aoeh engine on simulated NICs.")
      .def_property_readonly("name", [](const InitiatorHandle& h) { return h.rec().name; })
      .def_property_readonly("ports",
                             [](const InitiatorHandle& h) {
                               py::list out;
                               for (std::uint32_t k = 0; k < h.rec().ports.size(); ++k)
                                 out.append(PortHandle{h.world, PortHandle::Owner::Initiator, h.index, k});
                               return out;
                             },
                             "Its NICs, allowed ones first.")
      .def("port",
           [](const InitiatorHandle& h, const std::string& name) {
             for (std::uint32_t k = 0; k < h.rec().ports.size(); ++k)
               if (h.rec().ports[k].name == name) return PortHandle{h.world, PortHandle::Owner::Initiator, h.index, k};
             throw py::key_error("initiator " + h.rec().name + " has no port '" + name + "'");
           },
           py::arg("name"))
      .def_property_readonly("allowed", [](const InitiatorHandle& h) { return engine_port_names(h.rec()); },
                             "Names of the ports on the engine's allow-list.")
      .def_property_readonly("macs",
                             [](const InitiatorHandle& h) {
                               std::vector<std::string> out;
                               for (const auto& p : h.rec().ports) out.push_back(h.world->sim.nic_config(p.nic).mac.to_string());
                               return out;
                             })
      .def("devices",
           [](const InitiatorHandle& h) {
             WorldState::Lock lock(*h.world);
             std::vector<DeviceView> out;
             const auto names = engine_port_names(h.rec());
             for (auto& d : h.host().engine().devices()) out.push_back(DeviceView{std::move(d), names});
             return out;
           },
           "Snapshots of every device in the table, in discovery order.")
      .def("device",
           [](const InitiatorHandle& h, py::handle address) -> py::object {
             WorldState::Lock lock(*h.world);
             auto d = h.host().engine().device(to_address(address));
             if (!d) return py::none();
             return py::cast(DeviceView{std::move(*d), engine_port_names(h.rec())});
           },
           py::arg("address"), "A snapshot of one device, or None when unknown.")
      .def("stat",
           [](const InitiatorHandle& h) {
             WorldState::Lock lock(*h.world);
             std::string out;
             const auto names = engine_port_names(h.rec());
             auto devices = h.host().engine().devices();
             std::sort(devices.begin(), devices.end(),
                       [](const DeviceInfo& a, const DeviceInfo& b) { return a.address < b.address; });
             for (const auto& d : devices) {
               std::vector<std::string> ifs;
               for (const auto& p : d.paths)
                 for (auto id : p.ports) {
                   const std::string n = id < names.size() ? names[id] : "?";
                   if (std::find(ifs.begin(), ifs.end(), n) == ifs.end()) ifs.push_back(n);
                 }
               std::sort(ifs.begin(), ifs.end());
               std::string iflist;
               for (const auto& n : ifs) iflist += (iflist.empty() ? "" : ",") + n;
               char line[200];
               std::snprintf(line, sizeof line, "%10s %15s  %-16s %5u  %s%s\n", d.address.to_string().c_str(),
                             size_text(d.capacity_sectors).c_str(), iflist.c_str(),
                             static_cast<unsigned>(payload_sectors(d) * proto::kSectorSize), device_state_key(d.state),
                             d.open ? ",open" : "");
               out += line;
             }
             return out;
           },
           "The device list as aoe-stat prints it: name, size, interfaces, payload bytes, state.")
      .def("discover",
           [](const InitiatorHandle& h) {
             WorldState::Lock lock(*h.world);
             h.host().discover();
             h.world->note(h.rec().name, "discover");
             h.world->rethrow_hook_error();
           },
           "Broadcasts Query Config on every allowed port now (aoe-discover).")
      .def("revalidate",
           [](const InitiatorHandle& h, py::handle device) {
             WorldState::Lock lock(*h.world);
             const auto a = known_device(h, device);
             h.world->note(h.rec().name, "revalidate " + a.to_string());
             h.host().revalidate(a);
             h.world->rethrow_hook_error();
           },
           py::arg("device"), "Re-queries and re-identifies the device (aoe-revalidate); run the world to see it.")
      .def("open",
           [](const InitiatorHandle& h, py::handle device) {
             WorldState::Lock lock(*h.world);
             const auto a = known_device(h, device);
             h.host().open(a);
             h.world->note(h.rec().name, "open " + a.to_string());
           },
           py::arg("device"), "Opens the device (open devices keep their size; a dead one goes to closewait).")
      .def("close",
           [](const InitiatorHandle& h, py::handle device) {
             WorldState::Lock lock(*h.world);
             const auto a = known_device(h, device);
             h.world->note(h.rec().name, "close " + a.to_string());
             h.host().close(a);
             h.world->rethrow_hook_error();
           },
           py::arg("device"), "Closes it; the last close re-queries and re-identifies (closewait recovery).")
      .def("read",
           [](const InitiatorHandle& h, py::handle device, std::uint64_t lba, std::uint32_t count, double timeout) {
             auto io = submit_io(h, device, IoKind::Read, lba, count, py::none(), py::none());
             wait_done(*h.world, *io, timeout);
             return request_result(*io);
           },
           py::arg("device"), py::arg("lba"), py::arg("count") = 1, py::arg("timeout") = kDefaultIoTimeout,
           "Reads `count` sectors at `lba`, running the world until done. Raises aoeh.SubmitError, "
           "aoeh.IoError (subclasses by status) or aoeh.TimeoutError.")
      .def("write",
           [](const InitiatorHandle& h, py::handle device, std::uint64_t lba, py::handle data, double timeout) {
             auto io = submit_io(h, device, IoKind::Write, lba, 0, data, py::none());
             wait_done(*h.world, *io, timeout);
             request_result(*io);
           },
           py::arg("device"), py::arg("lba"), py::arg("data"), py::arg("timeout") = kDefaultIoTimeout,
           "Writes `data` (a multiple of 512 bytes) at `lba`, running the world until done.")
      .def("flush",
           [](const InitiatorHandle& h, py::handle device, double timeout) {
             auto io = submit_io(h, device, IoKind::Flush, 0, 0, py::none(), py::none());
             wait_done(*h.world, *io, timeout);
             request_result(*io);
           },
           py::arg("device"), py::arg("timeout") = kDefaultIoTimeout, "FLUSH CACHE, running the world until done.")
      .def("submit_read",
           [](const InitiatorHandle& h, py::handle device, std::uint64_t lba, std::uint32_t count, py::object callback) {
             return RequestHandle{h.world, submit_io(h, device, IoKind::Read, lba, count, py::none(), callback)};
           },
           py::arg("device"), py::arg("lba"), py::arg("count") = 1, py::arg("callback") = py::none(),
           "Submits a read and returns an aoeh.Request; callback(request) runs at completion (world time).")
      .def("submit_write",
           [](const InitiatorHandle& h, py::handle device, std::uint64_t lba, py::handle data, py::object callback) {
             return RequestHandle{h.world, submit_io(h, device, IoKind::Write, lba, 0, data, callback)};
           },
           py::arg("device"), py::arg("lba"), py::arg("data"), py::arg("callback") = py::none(),
           "Submits a write (the data is copied) and returns an aoeh.Request.")
      .def("submit_flush",
           [](const InitiatorHandle& h, py::handle device, py::object callback) {
             return RequestHandle{h.world, submit_io(h, device, IoKind::Flush, 0, 0, py::none(), callback)};
           },
           py::arg("device"), py::arg("callback") = py::none())
      .def("wait_for",
           [](const InitiatorHandle& h, py::object devices, double timeout, const std::string& state) {
             auto& w = *h.world;
             static const char* states[] = {"up", "down", "closewait", "failed", "discovered"};
             if (std::find_if(std::begin(states), std::end(states), [&](const char* s) { return state == s; }) ==
                 std::end(states))
               throw py::value_error("state must be up, down, closewait, failed or discovered");
             std::vector<proto::DeviceAddress> want;
             std::optional<std::size_t> count;
             if (devices.is_none()) {
               for (const auto& t : w.targets) {
                 const auto a = t.target().address();
                 if (std::find(want.begin(), want.end(), a) == want.end()) want.push_back(a);
               }
             } else if (py::isinstance<py::int_>(devices)) {
               count = devices.cast<std::size_t>();
               if (state != "up") throw py::value_error("a device count is only supported for state 'up'");
             } else if (py::isinstance<py::str>(devices)) {
               want.push_back(to_address(devices));
             } else {
               for (auto d : devices) want.push_back(to_address(d));
             }
             auto& rec = h.rec();
             auto& engine = h.host().engine();
             auto holds = [&] {
               if (count) return rec.up.size() >= *count;
               for (const auto& a : want) {
                 if (state == "up") {
                   if (rec.up.count(a.key()) == 0) return false;
                 } else {
                   auto d = engine.device(a);
                   if (!d || state != device_state_key(d->state)) return false;
                 }
               }
               return true;
             };
             std::size_t seen = rec.events.size();
             bool first = true;
             const bool ok = w.run(
                 [&] {
                   // Device states change only with engine events: re-check only after new ones.
                   if (!first && rec.events.size() == seen) return false;
                   first = false;
                   seen = rec.events.size();
                   return holds();
                 },
                 w.sim.now() + to_nanos(timeout, "timeout"), false);
             if (!ok) {
               std::string missing;
               std::size_t n = 0;
               for (const auto& a : want) {
                 auto d = engine.device(a);
                 const std::string now_state = d ? device_state_key(d->state) : "unknown";
                 if (now_state != state) {
                   if (n++ < 10) missing += " " + a.to_string() + "(" + now_state + ")";
                 }
               }
               if (n > 10) missing += " ... " + std::to_string(n - 10) + " more";
               if (count) missing = " " + std::to_string(rec.up.size()) + " of " + std::to_string(*count) + " up";
               raise_timeout(rec.name + ": devices not " + state + " after " + std::to_string(timeout) +
                             " s of world time:" + missing);
             }
           },
           py::arg("devices") = py::none(), py::arg("timeout") = 30.0, py::arg("state") = "up",
           "Runs until the devices (addresses, a count of devices up, or None: every target in the world) "
           "reach `state`; aoeh.TimeoutError names the ones that did not.")
      .def_property_readonly("events",
                             [](const InitiatorHandle& h) { return h.rec().events; },
                             "Every engine event so far (a copy).")
      .def("take_events",
           [](const InitiatorHandle& h) { return std::exchange(h.rec().events, {}); },
           "Returns the events so far and forgets them.")
      .def("events_of",
           [](const InitiatorHandle& h, const std::string& kind, py::object device) {
             std::vector<initiator::Event> out;
             std::optional<proto::DeviceAddress> a;
             if (!device.is_none()) a = to_address(device);
             for (const auto& e : h.rec().events)
               if (kind == event_kind_key(e.kind) && (!a || e.device == *a)) out.push_back(e);
             return out;
           },
           py::arg("kind"), py::arg("device") = py::none(), "Events of one kind (and device).")
      .def_property(
          "on_event", [](const InitiatorHandle& h) -> py::object { return h.rec().on_event ? h.rec().on_event : py::none(); },
          [](const InitiatorHandle& h, py::object fn) {
            WorldState::Lock lock(*h.world);
            if (fn.is_none()) {
              h.rec().on_event = py::object();
              return;
            }
            if (!PyCallable_Check(fn.ptr())) throw py::value_error("on_event must be callable or None");
            h.rec().on_event = std::move(fn);
          },
          "callable(Event) called for each engine event as it happens (in world time), or None.")
      .def_property_readonly("counters", [](const InitiatorHandle& h) { return h.host().engine().counters(); })
      .def("check_invariants", [](const InitiatorHandle& h) { return h.host().engine().check_invariants(); },
           "'' or the first violated internal invariant of the engine.")
      .def_property_readonly("config",
                             [](const InitiatorHandle& h) {
                               const auto& c = h.host().engine().config();
                               py::dict d;
                               d["dead_after"] = to_seconds(c.dead_after);
                               d["discover_interval"] = to_seconds(c.discover_interval);
                               d["rto_initial"] = to_seconds(c.rto_initial);
                               d["rto_min"] = to_seconds(c.rto_min);
                               d["rto_max"] = to_seconds(c.rto_max);
                               d["path_unhealthy_after"] = to_seconds(c.path_unhealthy_after);
                               d["probe_interval"] = to_seconds(c.probe_interval);
                               d["max_outstanding"] = c.max_outstanding_per_path;
                               d["payload_fallback"] = c.payload_fallback;
                               d["fallback_after_timeouts"] = c.fallback_after_timeouts;
                               d["max_request_sectors"] = c.max_request_sectors;
                               return d;
                             })
      .def("__repr__", [](const InitiatorHandle& h) {
        return "<aoeh.Initiator " + h.rec().name + " " + std::to_string(h.rec().ports.size()) + " port(s)>";
      });
}

}  // namespace aoeh::bindings
