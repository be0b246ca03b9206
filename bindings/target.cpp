// aoeh.Target: the reference AoE target in a world: building it, inspecting and changing it at run
// time (store contents, config string, size, defects, crash/restart, hang).
#include <pybind11/stl.h>

#include "bindings/errors.hpp"
#include "bindings/handles.hpp"
#include "bindings/impairments.hpp"
#include "sim/target/defects.hpp"
#include "sim/topology.hpp"

namespace aoeh::bindings {
namespace {

target::Defect defect_of(const std::string& name) {
  if (auto d = target::defect_from_name(name)) return *d;
  std::string known;
  for (auto d : target::all_defects()) known += (known.empty() ? "" : ", ") + std::string(target::defect_name(d));
  throw py::value_error("unknown defect '" + name + "' (known: " + known + ")");
}

std::vector<std::string> defect_names(const target::DefectSet& ds) {
  std::vector<std::string> out;
  for (auto d : target::all_defects())
    if (ds.has(d)) out.emplace_back(target::defect_name(d));
  return out;
}

std::vector<std::string> macs_of(std::span<const proto::MacAddress> macs) {
  std::vector<std::string> out;
  for (const auto& m : macs) out.push_back(m.to_string());
  return out;
}

// Runs a change on the target and sends whatever it queued (replies, announcements).
template <class Fn>
void change(const TargetHandle& t, const std::string& what, Fn&& fn) {
  WorldState::Lock lock(*t.world);
  fn(t.target());
  t.rec().host->pump();
  t.world->note(t.rec().name, what);
  t.world->rethrow_hook_error();
}

void check_range(const TargetHandle& t, std::uint64_t lba, std::uint64_t sectors) {
  const std::uint64_t cap = t.target().config().capacity_sectors;
  if (sectors == 0) throw py::value_error("count must be at least 1 sector");
  if (lba > cap || sectors > cap - lba)
    throw py::value_error("sectors " + std::to_string(lba) + "+" + std::to_string(sectors) + " lie beyond the end (" +
                          std::to_string(cap) + " sectors)");
}

void set_hung(const TargetHandle& t, bool hung) {
  auto& w = *t.world;
  WorldState::Lock lock(w);
  auto& rec = t.rec();
  if (!rec.gate) {
    rec.gate = std::make_shared<bool>(false);
    for (const auto& p : rec.ports)
      for (auto dir : {sim::Direction::AtoB, sim::Direction::BtoA})
        w.sim.add_impairment(p.link, dir, std::make_unique<Gate>(rec.gate));
  }
  *rec.gate = hung;
  w.note(rec.name, hung ? "hang (silent, state kept)" : "resume");
}

}  // namespace

TargetHandle add_target(const WorldPtr& w, py::handle address, const py::object& ports, std::uint64_t capacity,
                        std::optional<std::uint32_t> mtu, std::optional<std::uint32_t> switch_mtu,
                        std::uint16_t bufcnt, std::uint16_t firmware, std::uint8_t sector_count,
                        const std::string& config_string, double service_time, double service_per_sector,
                        bool write_cache, bool read_only, bool announce, const std::string& model,
                        const std::string& serial, const std::vector<std::string>& defects,
                        const std::optional<std::vector<std::string>>& macs, std::optional<std::string> image) {
  WorldState::Lock lock(*w);
  const auto specs = port_specs(w, ports, "a target");
  target::TargetConfig c;
  const auto a = to_address(address);
  c.shelf = a.shelf;
  c.slot = a.slot;
  c.capacity_sectors = capacity;
  c.bufcnt = bufcnt;
  c.firmware_version = firmware;
  c.sector_count = sector_count;
  c.config_string = config_string;
  c.service.fixed = to_nanos(service_time, "service_time");
  c.service.per_sector = to_nanos(service_per_sector, "service_per_sector");
  c.write_cache = write_cache;
  c.read_only = read_only;
  c.announce_on_start = announce;
  c.model = model;
  c.serial = serial;
  for (const auto& d : defects) c.defects.set(defect_of(d));
  if (macs && macs->size() != specs.size()) throw py::value_error("macs must name one MAC per port");
  if (image) {
    std::string error;
    auto store = target::FileStore::open(*image, read_only, true, &error);
    if (!store) throw py::value_error("cannot open image '" + *image + "': " + error);
    c.store = std::move(store);
  }
  const auto index = static_cast<std::uint32_t>(w->targets.size());
  std::vector<sim::NicConfig> nics;
  for (std::uint32_t k = 0; k < specs.size(); ++k) {
    sim::NicConfig n;
    n.name = "p" + std::to_string(k);
    n.mac = macs ? to_mac(py::str((*macs)[k])) : sim::target_mac(index, k);
    const std::uint32_t sw_mtu = switch_mtu ? *switch_mtu : w->switches[specs[k].sw].mtu;
    n.mtu = specs[k].mtu ? *specs[k].mtu : (mtu ? *mtu : sw_mtu);
    check_mtu(n.mtu, "mtu");
    check_mtu(sw_mtu, "switch_mtu");
    nics.push_back(n);
    c.ports.push_back(target::TargetPort{n.mac, n.mtu});
  }
  auto host = std::make_unique<faults::FaultyTargetHost>(std::move(c));  // std::invalid_argument -> ValueError
  faults::FaultyTargetHost* raw = host.get();
  const sim::HostId id = w->sim.add_host(std::move(host), nics);
  TargetRecord rec;
  rec.name = a.to_string();
  rec.host = raw;
  for (std::uint32_t k = 0; k < specs.size(); ++k) {
    const std::uint32_t sw_mtu = switch_mtu ? *switch_mtu : w->switches[specs[k].sw].mtu;
    rec.ports.push_back(w->attach(id, k, nics[k].name, specs[k].sw, sw_mtu, w->switches[specs[k].sw].link));
  }
  if (w->capture && w->capture_all) tap_ports(*w, rec.ports);
  w->targets.push_back(std::move(rec));
  if (w->started && announce) {  // its start-up announcement left before it was cabled
    raw->target().announce(w->sim.now());
    raw->pump();
  }
  w->note(a.to_string(), "target added, " + std::to_string(capacity) + " sectors, " + std::to_string(specs.size()) +
                             " port(s)");
  return TargetHandle{w, index};
}

void bind_target(py::module_& m) {
  world_class(m).def("add_target", &add_target, py::arg("address"), py::arg("ports"), py::arg("capacity") = 2048,
                     py::arg("mtu") = py::none(), py::arg("switch_mtu") = py::none(), py::arg("bufcnt") = 16,
                     py::arg("firmware") = 0x0100, py::arg("sector_count") = 0, py::arg("config_string") = "",
                     py::arg("service_time") = 0.0, py::arg("service_per_sector") = 0.0,
                     py::arg("write_cache") = false, py::arg("read_only") = false, py::arg("announce") = true,
                     py::arg("model") = "aoeh reference target", py::arg("serial") = "",
                     py::arg("defects") = std::vector<std::string>{}, py::arg("macs") = py::none(),
                     py::arg("image") = py::none(),
                     R"(Adds a reference AoE target answering as `address` ('e1.0').

ports: [switch or (switch, nic_mtu), ...], one NIC each, cabled to that switch.
capacity: sectors (512 bytes). mtu: NIC MTU (default: the switch's). switch_mtu: MTU of the
switch ports facing it. sector_count: advertised sectors per request (0: from the MTU).
service_time / service_per_sector: seconds per request / per sector. write_cache: writes land
in a volatile cache until FLUSH. announce: Query Config announcement at start. defects: names
from aoeh.DEFECTS. image: a file to use as the store (created if missing).)");

  m.attr("DEFECTS") = [] {
    std::vector<std::string> names;
    for (auto d : target::all_defects()) names.emplace_back(target::defect_name(d));
    return names;
  }();

  py::class_<TargetHandle>(m, "Target", "The reference AoE target (sim/target) in a world.")
      .def_property_readonly("address", [](const TargetHandle& t) { return t.target().address().to_string(); })
      .def_property_readonly("shelf", [](const TargetHandle& t) { return t.target().address().shelf; })
      .def_property_readonly("slot", [](const TargetHandle& t) { return t.target().address().slot; })
      .def_property_readonly("name", [](const TargetHandle& t) { return t.rec().name; })
      .def_property_readonly("ports",
                             [](const TargetHandle& t) {
                               py::list out;
                               for (std::uint32_t k = 0; k < t.rec().ports.size(); ++k)
                                 out.append(PortHandle{t.world, PortHandle::Owner::Target, t.index, k});
                               return out;
                             })
      .def_property_readonly("macs",
                             [](const TargetHandle& t) {
                               std::vector<std::string> out;
                               for (const auto& p : t.target().config().ports) out.push_back(p.mac.to_string());
                               return out;
                             })
      .def_property(
          "capacity", [](const TargetHandle& t) { return t.target().config().capacity_sectors; },
          [](const TargetHandle& t, std::uint64_t sectors) {
            if (sectors > proto::ata::kMaxLba48) throw py::value_error("capacity above 2^48 - 1 sectors");
            change(t, "resize to " + std::to_string(sectors) + " sectors", [&](target::Target& x) { x.resize(sectors); });
          },
          "Size in sectors. Setting it resizes the device (initiators notice on re-identify).")
      .def_property(
          "config_string", [](const TargetHandle& t) { return t.target().config().config_string; },
          [](const TargetHandle& t, const std::string& s) {
            if (s.size() > proto::kMaxConfigStringSize) throw py::value_error("config string longer than 1024 bytes");
            change(t, "config string '" + s + "'", [&](target::Target& x) { x.set_config_string(s); });
          })
      .def_property(
          "defects", [](const TargetHandle& t) { return defect_names(t.target().config().defects); },
          [](const TargetHandle& t, const std::vector<std::string>& names) {
            target::DefectSet ds;
            for (const auto& n : names) ds.set(defect_of(n));
            std::string list;
            for (const auto& n : names) list += " " + n;
            change(t, "defects:" + (list.empty() ? std::string(" none") : list),
                   [&](target::Target& x) { x.set_defects(ds); });
          },
          "Names of the active defects (see aoeh.DEFECTS).")
      .def("set_defect",
           [](const TargetHandle& t, const std::string& name, bool on) {
             const auto d = defect_of(name);
             change(t, "defect " + name + (on ? " on" : " off"), [&](target::Target& x) { x.set_defect(d, on); });
           },
           py::arg("name"), py::arg("on") = true)
      .def_property(
          "read_only", [](const TargetHandle& t) { return t.target().config().read_only; },
          [](const TargetHandle& t, bool on) {
            change(t, std::string("read only ") + (on ? "on" : "off"), [&](target::Target& x) { x.set_read_only(on); });
          })
      .def_property(
          "write_cache", [](const TargetHandle& t) { return t.target().config().write_cache; },
          [](const TargetHandle& t, bool on) {
            change(t, std::string("write cache ") + (on ? "on" : "off"),
                   [&](target::Target& x) { x.set_write_cache(on); });
          })
      .def_property(
          "bufcnt", [](const TargetHandle& t) { return t.target().config().bufcnt; },
          [](const TargetHandle& t, std::uint16_t n) {
            if (n == 0) throw py::value_error("bufcnt must be at least 1");
            change(t, "bufcnt " + std::to_string(n), [&](target::Target& x) { x.set_bufcnt(n); });
          })
      .def_property(
          "firmware", [](const TargetHandle& t) { return t.target().config().firmware_version; },
          [](const TargetHandle& t, std::uint16_t v) {
            change(t, "firmware " + std::to_string(v), [&](target::Target& x) { x.set_firmware_version(v); });
          })
      .def_property(
          "sector_count", [](const TargetHandle& t) { return t.target().config().sector_count; },
          [](const TargetHandle& t, std::uint8_t n) {
            change(t, "sector count " + std::to_string(n), [&](target::Target& x) { x.set_sector_count(n); });
          },
          "Advertised sectors per request (0: from the receiving port's MTU).")
      .def("advertised_sector_count", [](const TargetHandle& t, std::size_t port) {
            if (port >= t.target().config().ports.size()) throw py::value_error("no such port");
            return t.target().advertised_sector_count(port);
          }, py::arg("port") = 0)
      .def_property(
          "service_time",
          [](const TargetHandle& t) {
            const auto& s = t.target().config().service;
            return py::make_tuple(to_seconds(s.fixed), to_seconds(s.per_sector));
          },
          [](const TargetHandle& t, std::pair<double, double> s) {
            target::ServiceTime st{to_nanos(s.first, "service time"), to_nanos(s.second, "per-sector time")};
            change(t, "service time " + std::to_string(s.first) + " s + " + std::to_string(s.second) + " s/sector",
                   [&](target::Target& x) { x.set_service_time(st); });
          },
          "(seconds per request, seconds per sector).")
      .def("set_address",
           [](const TargetHandle& t, py::handle address) {
             const auto a = to_address(address);
             if (a.shelf == proto::kBroadcastShelf || a.slot == proto::kBroadcastSlot)
               throw py::value_error("shelf 65535 and slot 255 are broadcast addresses");
             change(t, "address now " + a.to_string(), [&](target::Target& x) { x.set_address(a.shelf, a.slot); });
           },
           py::arg("address"))
      .def_property_readonly("crashed", [](const TargetHandle& t) { return t.target().crashed(); })
      .def_property_readonly("hung", [](const TargetHandle& t) { return t.rec().gate && *t.rec().gate; })
      .def("crash", [](const TargetHandle& t) {
             // The host's crash also forgets what its fault hooks held (delayed duplicates, replay history).
             change(t, "crash (power loss)", [&](target::Target&) { t.rec().host->crash(t.world->sim.now()); });
           },
           "Power loss: unflushed cached writes and queued requests are lost; silent until restart().")
      .def("restart", [](const TargetHandle& t) {
             change(t, "restart", [&](target::Target& x) { x.restart(t.world->sim.now()); });
           },
           "Back up after crash(); announces itself unless configured not to.")
      .def("hang", [](const TargetHandle& t) { set_hung(t, true); },
           "Stops answering (every frame to and from its ports is dropped) but keeps all state.")
      .def("resume", [](const TargetHandle& t) { set_hung(t, false); }, "Ends hang().")
      .def("announce", [](const TargetHandle& t) {
             change(t, "announce", [&](target::Target& x) { x.announce(t.world->sim.now()); });
           },
           "Sends an unsolicited Query Config response on every port.")
      .def("clear_mask_list", [](const TargetHandle& t) { change(t, "mask list cleared", [](target::Target& x) { x.clear_mask_list(); }); })
      .def("clear_reservation", [](const TargetHandle& t) {
             change(t, "reservation cleared", [](target::Target& x) { x.clear_reservation(); });
           })
      .def_property_readonly("mask_list", [](const TargetHandle& t) { return macs_of(t.target().mask_list()); })
      .def_property_readonly("reservation", [](const TargetHandle& t) { return macs_of(t.target().reservation()); })
      .def_property_readonly("queued_requests", [](const TargetHandle& t) { return t.target().queued_requests(); })
      .def_property_readonly("dirty_sectors", [](const TargetHandle& t) { return t.target().dirty_sectors(); })
      .def("read",
           [](const TargetHandle& t, std::uint64_t lba, std::uint64_t count) {
             WorldState::Lock lock(*t.world);
             check_range(t, lba, count);
             std::string out(count * proto::kSectorSize, '\0');
             if (!t.target().read_sectors(lba, {reinterpret_cast<std::uint8_t*>(out.data()), out.size()}))
               throw Error("the target's store failed to read sectors " + std::to_string(lba));
             return py::bytes(out);
           },
           py::arg("lba"), py::arg("count") = 1,
           "Sectors as an initiator would read them (write cache first, then the store).")
      .def("write",
           [](const TargetHandle& t, std::uint64_t lba, py::handle data) {
             WorldState::Lock lock(*t.world);
             auto bytes = to_byte_vector(data, "data");
             if (bytes.empty() || bytes.size() % proto::kSectorSize != 0)
               throw py::value_error("data must be a non-empty multiple of 512 bytes, got " + std::to_string(bytes.size()));
             check_range(t, lba, bytes.size() / proto::kSectorSize);
             if (!t.target().store().write(lba, bytes)) throw Error("the target's store failed to write");
             t.world->note(t.rec().name, "store written directly at lba " + std::to_string(lba));
           },
           py::arg("lba"), py::arg("data"),
           "Writes sectors straight into the store (behind the protocol and the write cache).")
      .def("counters",
           [](const TargetHandle& t) {
             const auto& c = t.target().counters();
             py::dict d;
             d["frames_received"] = c.frames_received;
             d["ignored_malformed"] = c.ignored_malformed;
             d["ignored_responses"] = c.ignored_responses;
             d["ignored_not_addressed"] = c.ignored_not_addressed;
             d["ignored_masked"] = c.ignored_masked;
             d["ignored_config_mismatch"] = c.ignored_config_mismatch;
             d["ignored_vendor"] = c.ignored_vendor;
             d["ignored_while_crashed"] = c.ignored_while_crashed;
             d["dropped_bufcnt"] = c.dropped_bufcnt;
             d["replies"] = c.replies;
             d["error_replies"] = c.error_replies;
             d["announcements"] = c.announcements;
             d["ata_commands"] = c.ata_commands;
             d["ata_errors"] = c.ata_errors;
             d["reserved_refusals"] = c.reserved_refusals;
             d["sectors_read"] = c.sectors_read;
             d["sectors_written"] = c.sectors_written;
             d["flushes"] = c.flushes;
             d["crashes"] = c.crashes;
             return d;
           },
           "The target's counters as a dict.")
      .def("__repr__", [](const TargetHandle& t) {
        return "<aoeh.Target " + t.target().address().to_string() + " " +
               std::to_string(t.target().config().capacity_sectors) + " sectors" +
               (t.target().crashed() ? " crashed" : "") + ">";
      });
}

}  // namespace aoeh::bindings
