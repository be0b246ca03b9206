// JSON -> Plan: topology, engine, workload, faults, actions, expectations, in that order, so later
// sections can refer to names the earlier ones defined.
#include "faults/plan_parser.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "faults/plan_reader.hpp"
#include "initiator/types.hpp"

namespace aoeh::faults {
namespace {

using detail::fail;
using detail::index_path;
using detail::json;
using detail::Obj;

std::string list_names(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

// ------------------------------------------------------------------ topology

PathPlan parse_path(const json& j, const std::string& path, std::size_t index) {
  PathPlan p;
  p.name = "p" + std::to_string(index);
  if (j.is_string()) {
    p.name = j.get<std::string>();
    return p;
  }
  Obj o(j, path);
  o.allow({"name", "mtu", "rate", "latency", "queue", "forwarding_delay"});
  if (auto v = o.string("name")) p.name = *v;
  if (auto v = o.integer("mtu", 60, 65000)) p.mtu = static_cast<std::uint32_t>(*v);
  if (auto v = o.rate("rate")) p.bits_per_second = *v;
  if (auto v = o.duration("latency")) p.latency = *v;
  if (auto v = o.integer("queue", 1, 1'000'000)) p.queue = static_cast<std::uint32_t>(*v);
  if (auto v = o.duration("forwarding_delay")) p.forwarding_delay = *v;
  if (p.name.empty()) fail(o.at("name"), "must not be empty");
  return p;
}

std::uint32_t path_index(const Plan& plan, const std::string& name, const std::string& where) {
  if (auto i = plan.find_path(name)) return *i;
  std::vector<std::string> names;
  for (const auto& p : plan.paths) names.push_back(p.name);
  fail(where, "unknown path " + name + " (paths: " + list_names(names) + ")");
}

// A port: {"path": "a", "mtu": 9000, "switch_mtu": 1500, "mac": "..."} or just "a".
PortPlan parse_port(const Plan& plan, const json& j, const std::string& where, bool named) {
  PortPlan p;
  if (j.is_string()) {
    p.path = path_index(plan, j.get<std::string>(), where);
  } else {
    Obj o(j, where);
    if (named) {
      o.allow({"name", "path", "mtu", "switch_mtu", "mac"});
      if (auto v = o.string("name")) p.name = *v;
    } else {
      o.allow({"path", "mtu", "switch_mtu", "mac"});
    }
    if (!o.has("path")) fail(o.at("path"), "required");
    p.path = path_index(plan, *o.string("path"), o.at("path"));
    if (auto v = o.integer("mtu", 60, 65000)) p.mtu = static_cast<std::uint32_t>(*v);
    if (auto v = o.integer("switch_mtu", 60, 65000)) p.switch_mtu = static_cast<std::uint32_t>(*v);
    if (auto v = o.mac("mac")) {
      if (v->is_multicast() || v->is_zero()) fail(o.at("mac"), "must be a unicast, non-zero MAC");
      p.mac = *v;
    }
  }
  if (p.mtu == 0) p.mtu = plan.paths[p.path].mtu;
  if (p.switch_mtu == 0) p.switch_mtu = plan.paths[p.path].mtu;
  return p;
}

void parse_engine(Plan& plan, const json& j, const std::string& path) {
  Obj o(j, path);
  o.allow({"dead_after", "discover_interval", "rto_initial", "rto_min", "rto_max", "path_unhealthy_after",
           "probe_interval", "max_outstanding", "payload_fallback", "fallback_after_timeouts"});
  EnginePlan& e = plan.engine;
  if (auto v = o.duration("dead_after")) e.dead_after = *v;
  if (auto v = o.duration("discover_interval")) e.discover_interval = *v;
  if (auto v = o.duration("rto_initial")) e.rto_initial = *v;
  if (auto v = o.duration("rto_min")) e.rto_min = *v;
  if (auto v = o.duration("rto_max")) e.rto_max = *v;
  if (auto v = o.duration("path_unhealthy_after")) e.path_unhealthy_after = *v;
  if (auto v = o.duration("probe_interval")) e.probe_interval = *v;
  if (auto v = o.integer("max_outstanding", 1, 4096)) e.max_outstanding = static_cast<std::uint32_t>(*v);
  if (auto v = o.boolean("payload_fallback")) e.payload_fallback = *v;
  if (auto v = o.integer("fallback_after_timeouts", 1, 1000)) e.fallback_after_timeouts = static_cast<std::uint32_t>(*v);
  if (e.rto_min > e.rto_max) fail(o.at("rto_min"), "must not exceed rto_max");
}

std::uint64_t capacity_of(const Obj& o, const char* key) {
  const auto bytes = *o.size(key);
  if (bytes == 0 || bytes % 512 != 0) fail(o.at(key), "must be a positive multiple of 512 bytes");
  return bytes / 512;
}

void parse_targets(Plan& plan, const json& j, const std::string& path) {
  if (!j.is_array() || j.empty()) fail(path, "expected a non-empty array of targets");
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string where = index_path(path, i);
    Obj o(j[i], where);
    o.allow({"address", "count", "ports", "capacity", "capacity_sectors", "bufcnt", "firmware", "sector_count",
             "config", "write_cache", "service", "model", "defects"});
    TargetPlan t;
    t.address = o.address("address").value_or(proto::DeviceAddress{});
    if (!o.has("address")) fail(o.at("address"), "required");
    if (o.has("capacity") && o.has("capacity_sectors")) fail(o.at("capacity_sectors"), "give capacity or capacity_sectors, not both");
    if (o.has("capacity")) t.capacity_sectors = capacity_of(o, "capacity");
    if (auto v = o.integer("capacity_sectors", 1, proto::ata::kMaxLba48)) t.capacity_sectors = *v;
    if (auto v = o.integer("bufcnt", 1, 65535)) t.bufcnt = static_cast<std::uint16_t>(*v);
    if (auto v = o.integer("firmware", 0, 65535)) t.firmware = static_cast<std::uint16_t>(*v);
    if (auto v = o.integer("sector_count", 0, 255)) t.sector_count = static_cast<std::uint8_t>(*v);
    if (auto v = o.string("config")) {
      if (v->size() > 1024) fail(o.at("config"), "longer than 1024 bytes");
      t.config_string = *v;
    }
    if (auto v = o.boolean("write_cache")) t.write_cache = *v;
    if (auto v = o.string("model")) t.model = *v;
    if (const json* s = o.get("service")) {
      Obj so(*s, o.at("service"));
      so.allow({"fixed", "per_sector"});
      if (auto v = so.duration("fixed")) t.service_fixed = *v;
      if (auto v = so.duration("per_sector")) t.service_per_sector = *v;
    }
    if (const json* d = o.get("defects")) {
      if (!d->is_array()) fail(o.at("defects"), "expected an array of defect names");
      for (std::size_t k = 0; k < d->size(); ++k) {
        const std::string dp = index_path(o.at("defects"), k);
        if (!(*d)[k].is_string()) fail(dp, "expected a defect name");
        auto defect = target::defect_from_name((*d)[k].get<std::string>());
        if (!defect) fail(dp, "unknown defect " + (*d)[k].get<std::string>());
        t.defects.set(*defect);
      }
    }
    const json* ports = o.get("ports");
    if (ports && (!ports->is_array() || ports->empty())) fail(o.at("ports"), "expected a non-empty array of ports");
    std::vector<PortPlan> port_plans;
    if (ports) {
      for (std::size_t k = 0; k < ports->size(); ++k)
        port_plans.push_back(parse_port(plan, (*ports)[k], index_path(o.at("ports"), k), false));
    } else {
      for (std::uint32_t k = 0; k < plan.paths.size(); ++k) {
        PortPlan p;
        p.path = k;
        p.mtu = p.switch_mtu = plan.paths[k].mtu;
        port_plans.push_back(p);
      }
    }
    const std::uint64_t count = o.integer("count", 1, 255).value_or(1);
    if (t.address.slot + count - 1 >= proto::kBroadcastSlot) fail(o.at("count"), "slots would reach 255");
    for (std::uint64_t c = 0; c < count; ++c) {
      TargetPlan copy = t;
      copy.address.slot = static_cast<std::uint8_t>(t.address.slot + c);
      if (plan.find_target(copy.address))
        fail(o.at("address"), "target " + copy.address.to_string() + " is defined twice (use a claim_address fault for a duplicate)");
      copy.ports = port_plans;
      for (std::size_t k = 0; k < copy.ports.size(); ++k) {
        copy.ports[k].name = copy.address.to_string() + ":" + std::to_string(k);
        if (count > 1 && copy.ports[k].mac) fail(o.at("ports"), "a fixed MAC cannot be shared by count > 1 targets");
      }
      plan.targets.push_back(std::move(copy));
    }
  }
}

void parse_topology(Plan& plan, const json* j) {
  const std::string path = "topology";
  json empty = json::object();
  Obj o(j ? *j : empty, path);
  o.allow({"paths", "initiator", "targets", "engine"});
  if (const json* ps = o.get("paths")) {
    if (!ps->is_array() || ps->empty()) fail(o.at("paths"), "expected a non-empty array of paths");
    for (std::size_t i = 0; i < ps->size(); ++i) {
      PathPlan p = parse_path((*ps)[i], index_path(o.at("paths"), i), i);
      if (plan.find_path(p.name)) fail(index_path(o.at("paths"), i), "path " + p.name + " is defined twice");
      plan.paths.push_back(std::move(p));
    }
  } else {
    plan.paths = {PathPlan{}, PathPlan{}};
    plan.paths[0].name = "a";
    plan.paths[1].name = "b";
  }
  if (plan.paths.size() > 64) fail(o.at("paths"), "at most 64 paths");

  if (const json* ini = o.get("initiator")) {
    Obj io(*ini, o.at("initiator"));
    io.allow({"ports"});
    const json& ports = io.require("ports");
    if (!ports.is_array() || ports.empty()) fail(io.at("ports"), "expected a non-empty array of ports");
    for (std::size_t k = 0; k < ports.size(); ++k) {
      const std::string where = index_path(io.at("ports"), k);
      PortPlan p = parse_port(plan, ports[k], where, true);
      if (p.name.empty()) p.name = "eth" + std::to_string(k);
      for (const auto& q : plan.initiator_ports)
        if (q.name == p.name) fail(where, "port " + p.name + " is defined twice");
      plan.initiator_ports.push_back(std::move(p));
    }
  } else {
    for (std::uint32_t k = 0; k < plan.paths.size(); ++k) {
      PortPlan p;
      p.name = "eth" + std::to_string(k);
      p.path = k;
      p.mtu = p.switch_mtu = plan.paths[k].mtu;
      plan.initiator_ports.push_back(std::move(p));
    }
  }
  if (plan.initiator_ports.size() > 255) fail(o.at("initiator.ports"), "at most 255 ports");

  if (const json* e = o.get("engine")) parse_engine(plan, *e, o.at("engine"));

  if (const json* t = o.get("targets")) {
    parse_targets(plan, *t, o.at("targets"));
  } else {
    json one = json::array({json::object({{"address", "e1.0"}})});
    parse_targets(plan, one, o.at("targets"));
  }
}

// ------------------------------------------------------------------ references

std::uint32_t target_index(const Plan& plan, const Obj& o, const char* key) {
  const auto a = *o.address(key);
  if (auto i = plan.find_target(a)) return *i;
  std::vector<std::string> names;
  for (const auto& t : plan.targets) names.push_back(t.address.to_string());
  fail(o.at(key), "unknown target " + a.to_string() + " (targets: " + list_names(names) + ")");
}

std::vector<std::uint32_t> device_list(const Plan& plan, const Obj& o, const char* key) {
  const json* v = o.get(key);
  std::vector<std::uint32_t> out;
  if (!v) return out;
  if (v->is_string()) {
    out.push_back(target_index(plan, o, key));
    return out;
  }
  if (!v->is_array()) fail(o.at(key), "expected a device address or an array of them");
  for (std::size_t i = 0; i < v->size(); ++i) {
    json wrap = json::object({{"d", (*v)[i]}});
    Obj w(wrap, "");
    const std::string where = index_path(o.at(key), i);
    try {
      out.push_back(target_index(plan, w, "d"));
    } catch (detail::PlanFailure& f) {
      f.error.path = where;
      throw;
    }
  }
  return out;
}

std::string port_names(const Plan& plan) {
  std::vector<std::string> names;
  for (std::uint32_t i = 0; i < plan.port_count(); ++i) names.push_back(plan.port_ref(i).name);
  return list_names(names);
}

// ------------------------------------------------------------------ workload

void parse_workload(Plan& plan, const json& j) {
  Obj o(j, "workload");
  o.allow({"pattern", "read_fraction", "size", "queue_depth", "duration", "bytes", "verify", "final_read", "devices",
           "offset", "span", "start", "flush_every", "open"});
  WorkloadPlan& w = plan.workload;
  w.enabled = true;
  if (auto v = o.string("pattern")) {
    if (*v == "random") w.pattern = WorkloadPlan::Pattern::Random;
    else if (*v == "sequential") w.pattern = WorkloadPlan::Pattern::Sequential;
    else fail(o.at("pattern"), "expected \"random\" or \"sequential\", got \"" + *v + "\"");
  }
  if (auto v = o.number("read_fraction", 0, 1)) w.read_fraction = *v;
  if (const json* s = o.get("size")) {
    auto sectors_of = [&](const Obj& so, const char* key) {
      const auto b = *so.size(key);
      if (b == 0 || b % 512 != 0) fail(so.at(key), "must be a positive multiple of 512 bytes");
      if (b > 32ull << 20) fail(so.at(key), "at most 32MiB per request");
      return static_cast<std::uint32_t>(b / 512);
    };
    if (s->is_object()) {
      Obj so(*s, o.at("size"));
      so.allow({"min", "max"});
      so.require("min");
      so.require("max");
      w.min_sectors = sectors_of(so, "min");
      w.max_sectors = sectors_of(so, "max");
      if (w.min_sectors > w.max_sectors) fail(so.at("min"), "must not exceed max");
    } else {
      w.min_sectors = w.max_sectors = sectors_of(o, "size");
    }
  }
  if (auto v = o.integer("queue_depth", 1, 256)) w.queue_depth = static_cast<std::uint32_t>(*v);
  if (auto v = o.duration("duration")) w.duration = *v;
  if (auto v = o.size("bytes")) w.bytes = *v;
  if (w.duration == 0 && w.bytes == 0) fail("workload", "needs a duration or a byte count (or both)");
  if (auto v = o.boolean("verify")) w.verify = *v;
  if (auto v = o.boolean("final_read")) w.final_read = *v;
  if (auto v = o.boolean("open")) w.open = *v;
  w.devices = device_list(plan, o, "devices");
  if (w.devices.empty()) {
    if (o.has("devices")) fail(o.at("devices"), "must name at least one device");
    for (std::uint32_t i = 0; i < plan.targets.size(); ++i) w.devices.push_back(i);
  }
  if (o.has("offset")) {
    const auto b = *o.size("offset");
    if (b % 512) fail(o.at("offset"), "must be a multiple of 512 bytes");
    w.offset_sectors = b / 512;
  }
  if (o.has("span")) {
    const auto b = *o.size("span");
    if (b == 0 || b % 512) fail(o.at("span"), "must be a positive multiple of 512 bytes");
    w.span_sectors = b / 512;
    if (w.span_sectors < w.max_sectors) fail(o.at("span"), "smaller than the largest request");
  }
  w.start = o.duration("start");
  if (auto v = o.size("flush_every")) w.flush_every_bytes = *v;
}

// ------------------------------------------------------------------ faults

struct TypeInfo {
  const char* name;
  FaultType type;
  enum Family : std::uint8_t { LinkFamily, TargetFamily, InitiatorFamily } family;
};

constexpr TypeInfo kTypes[] = {
    {"loss", FaultType::Loss, TypeInfo::LinkFamily},
    {"burst_loss", FaultType::BurstLoss, TypeInfo::LinkFamily},
    {"delay", FaultType::Delay, TypeInfo::LinkFamily},
    {"duplicate", FaultType::Duplicate, TypeInfo::LinkFamily},
    {"reorder", FaultType::Reorder, TypeInfo::LinkFamily},
    {"corrupt", FaultType::CorruptDetected, TypeInfo::LinkFamily},
    {"rate_limit", FaultType::RateLimit, TypeInfo::LinkFamily},
    {"queue_overflow", FaultType::QueueOverflow, TypeInfo::LinkFamily},
    {"mtu", FaultType::Mtu, TypeInfo::LinkFamily},
    {"down", FaultType::Down, TypeInfo::LinkFamily},
    {"flap", FaultType::Flap, TypeInfo::LinkFamily},
    {"black_hole", FaultType::BlackHole, TypeInfo::LinkFamily},
    {"partition", FaultType::Partition, TypeInfo::LinkFamily},
    {"hang", FaultType::Hang, TypeInfo::TargetFamily},
    {"crash", FaultType::Crash, TypeInfo::TargetFamily},
    {"slow", FaultType::Slow, TypeInfo::TargetFamily},
    {"aoe_error", FaultType::AoeError, TypeInfo::TargetFamily},
    {"ata_error", FaultType::AtaError, TypeInfo::TargetFamily},
    {"runt", FaultType::Runt, TypeInfo::TargetFamily},
    {"wrong_tag", FaultType::WrongTag, TypeInfo::TargetFamily},
    {"wrong_shelf", FaultType::WrongShelf, TypeInfo::TargetFamily},
    {"wrong_slot", FaultType::WrongSlot, TypeInfo::TargetFamily},
    {"duplicate_reply", FaultType::DuplicateReply, TypeInfo::TargetFamily},
    {"stale_replay", FaultType::StaleReplay, TypeInfo::TargetFamily},
    {"resize", FaultType::Resize, TypeInfo::TargetFamily},
    {"mac_change", FaultType::MacChange, TypeInfo::TargetFamily},
    {"bufcnt", FaultType::Bufcnt, TypeInfo::TargetFamily},
    {"config_string", FaultType::ConfigString, TypeInfo::TargetFamily},
    {"reserve", FaultType::Reserve, TypeInfo::TargetFamily},
    {"mask_list", FaultType::MaskList, TypeInfo::TargetFamily},
    {"claim_address", FaultType::ClaimAddress, TypeInfo::TargetFamily},
    {"firmware", FaultType::Firmware, TypeInfo::TargetFamily},
    {"port_down", FaultType::PortDown, TypeInfo::InitiatorFamily},
    {"port_mtu", FaultType::PortMtu, TypeInfo::InitiatorFamily},
};

std::uint8_t parse_commands(const Obj& o) {
  const json* v = o.get("commands");
  if (!v) return kCmdRead | kCmdWrite;
  if (!v->is_array() || v->empty()) fail(o.at("commands"), "expected a non-empty array of command names");
  std::uint8_t mask = 0;
  for (std::size_t i = 0; i < v->size(); ++i) {
    const std::string where = index_path(o.at("commands"), i);
    if (!(*v)[i].is_string()) fail(where, "expected a command name");
    const std::string c = (*v)[i].get<std::string>();
    if (c == "read") mask |= kCmdRead;
    else if (c == "write") mask |= kCmdWrite;
    else if (c == "flush") mask |= kCmdFlush;
    else if (c == "identify") mask |= kCmdIdentify;
    else if (c == "query_config") mask |= kCmdQueryConfig;
    else if (c == "other_ata") mask |= kCmdOtherAta;
    else fail(where, "unknown command " + c + " (read, write, flush, identify, query_config, other_ata)");
  }
  return mask;
}

void parse_lbas(FaultPlan& f, const Obj& o) {
  const json* v = o.get("lbas");
  if (!v) return;
  auto bad = [&] { fail(o.at("lbas"), "expected an LBA, \"FIRST-LAST\" or [FIRST, LAST]"); };
  if (v->is_number_unsigned() || (v->is_number_integer() && v->get<std::int64_t>() >= 0)) {
    f.lba_first = f.lba_last = v->get<std::uint64_t>();
  } else if (v->is_string()) {
    const std::string s = v->get<std::string>();
    const auto dash = s.find('-');
    if (dash == std::string::npos || dash == 0 || dash + 1 >= s.size()) bad();
    char* e1 = nullptr;
    char* e2 = nullptr;
    const std::string a = s.substr(0, dash), b = s.substr(dash + 1);
    f.lba_first = std::strtoull(a.c_str(), &e1, 10);
    f.lba_last = std::strtoull(b.c_str(), &e2, 10);
    if (*e1 != '\0' || *e2 != '\0' || a.find_first_not_of("0123456789") != std::string::npos ||
        b.find_first_not_of("0123456789") != std::string::npos)
      bad();
  } else if (v->is_array() && v->size() == 2 && (*v)[0].is_number_unsigned() && (*v)[1].is_number_unsigned()) {
    f.lba_first = (*v)[0].get<std::uint64_t>();
    f.lba_last = (*v)[1].get<std::uint64_t>();
  } else {
    bad();
  }
  if (f.lba_first > f.lba_last) fail(o.at("lbas"), "first LBA above last");
}

void parse_site(const Plan& plan, FaultPlan& f, const Obj& o, TypeInfo::Family family) {
  const char* keys[] = {"link", "switch_port", "path", "target", "initiator_port"};
  int present = 0;
  for (const char* k : keys) present += o.has(k) ? 1 : 0;
  const char* expected = family == TypeInfo::TargetFamily ? "target"
                         : family == TypeInfo::InitiatorFamily ? "initiator_port"
                         : f.type == FaultType::Partition ? "path"
                                                          : "link, switch_port or path";
  if (present == 0) fail(o.path(), std::string(fault_type_name(f.type)) + " needs a site: " + expected);
  if (present > 1) fail(o.path(), "give exactly one site (link, switch_port, path, target or initiator_port)");
  auto wrong_site = [&](const char* key) {
    fail(o.at(key), std::string(fault_type_name(f.type)) + " acts on " + expected + ", not on a " + key);
  };
  if (o.has("target")) {
    if (family != TypeInfo::TargetFamily) wrong_site("target");
    f.site.kind = FaultSite::Kind::Target;
    f.site.index = target_index(plan, o, "target");
    f.site.name = plan.targets[f.site.index].address.to_string();
    return;
  }
  if (o.has("initiator_port")) {
    if (family != TypeInfo::InitiatorFamily) wrong_site("initiator_port");
    const std::string name = *o.string("initiator_port");
    f.site.kind = FaultSite::Kind::InitiatorPort;
    f.site.name = name;
    bool found = false;
    for (std::uint32_t i = 0; i < plan.initiator_ports.size(); ++i)
      if (plan.initiator_ports[i].name == name) f.site.index = i, found = true;
    if (!found) {
      std::vector<std::string> names;
      for (const auto& p : plan.initiator_ports) names.push_back(p.name);
      fail(o.at("initiator_port"), "unknown initiator port " + name + " (ports: " + list_names(names) + ")");
    }
    return;
  }
  if (family != TypeInfo::LinkFamily) wrong_site(o.has("link") ? "link" : o.has("path") ? "path" : "switch_port");
  if (o.has("path")) {
    f.site.kind = FaultSite::Kind::Path;
    f.site.name = *o.string("path");
    f.site.index = path_index(plan, f.site.name, o.at("path"));
    if (auto d = o.string("direction"); d && *d != "both")
      fail(o.at("direction"), "a path fault acts on both directions of every cable of the path");
    return;
  }
  if (f.type == FaultType::Partition) wrong_site(o.has("link") ? "link" : "switch_port");
  const bool link = o.has("link");
  const char* key = link ? "link" : "switch_port";
  f.site.kind = link ? FaultSite::Kind::Link : FaultSite::Kind::SwitchPort;
  f.site.name = *o.string(key);
  auto idx = plan.find_port(f.site.name);
  if (!idx) fail(o.at(key), "unknown port " + f.site.name + " (ports: " + port_names(plan) + ")");
  f.site.index = *idx;
  const std::string dir = o.string("direction").value_or("both");
  // Link directions are named from the host's side, switch port directions from the switch's.
  const char* toward = link ? "in" : "egress";
  const char* from = link ? "out" : "ingress";
  if (dir == "both") {
    f.site.toward_host = f.site.from_host = true;
  } else if (dir == toward) {
    f.site.toward_host = true, f.site.from_host = false;
  } else if (dir == from) {
    f.site.toward_host = false, f.site.from_host = true;
  } else {
    fail(o.at("direction"), "expected \"" + std::string(toward) + "\", \"" + from + "\" or \"both\", got \"" + dir + "\"");
  }
  if ((f.type == FaultType::Down || f.type == FaultType::Flap) && dir != "both")
    fail(o.at("direction"), "a cable goes down in both directions (use black_hole for one direction)");
}

void parse_fault(Plan& plan, const json& j, const std::string& where) {
  Obj o(j, where);
  const json* type_value = o.get("type");
  if (!type_value) {
    o.allow({"type", "at", "for", "link", "switch_port", "path", "target", "initiator_port", "direction"});
    fail(o.at("type"), "required");
  }
  if (!type_value->is_string()) fail(o.at("type"), "expected a fault type name");
  const std::string type_name = type_value->get<std::string>();
  const TypeInfo* info = nullptr;
  for (const auto& t : kTypes)
    if (type_name == t.name) info = &t;
  if (!info) {
    std::string names;
    for (const auto& t : kTypes) names += (names.empty() ? "" : ", ") + std::string(t.name);
    fail(o.at("type"), "unknown fault type " + type_name + " (" + names + ")");
  }
  FaultPlan f;
  f.type = info->type;
  // Common keys, then the type's own parameters.
  switch (info->family) {
    case TypeInfo::LinkFamily: o.declare({"type", "at", "for", "link", "switch_port", "path", "direction", "note"}); break;
    case TypeInfo::TargetFamily: o.declare({"type", "at", "for", "target", "note"}); break;
    case TypeInfo::InitiatorFamily: o.declare({"type", "at", "for", "initiator_port", "note"}); break;
  }
  switch (f.type) {
    case FaultType::Loss: o.allow_more({"probability"}); break;
    case FaultType::BurstLoss: o.allow_more({"p", "r", "loss_good", "loss_bad"}); break;
    case FaultType::Delay: o.allow_more({"delay", "jitter", "distribution", "probability"}); break;
    case FaultType::Duplicate: o.allow_more({"probability", "gap"}); break;
    case FaultType::Reorder: o.allow_more({"probability", "delay"}); break;
    case FaultType::CorruptDetected: o.allow_more({"probability", "detected", "bytes"}); break;
    case FaultType::RateLimit: o.allow_more({"rate", "queue"}); break;
    case FaultType::QueueOverflow: o.allow_more({"rate", "queue"}); break;
    case FaultType::Mtu: o.allow_more({"mtu"}); break;
    case FaultType::Flap: o.allow_more({"period", "down"}); break;
    case FaultType::Slow: o.allow_more({"delay", "per_sector"}); break;
    case FaultType::AoeError: o.allow_more({"code", "commands", "probability", "lbas"}); break;
    case FaultType::AtaError: o.allow_more({"error", "commands", "probability", "lbas"}); break;
    case FaultType::Runt: o.allow_more({"probability", "length"}); break;
    case FaultType::WrongTag:
    case FaultType::WrongShelf:
    case FaultType::WrongSlot: o.allow_more({"probability"}); break;
    case FaultType::DuplicateReply: o.allow_more({"probability", "gap"}); break;
    case FaultType::StaleReplay: o.allow_more({"probability", "depth"}); break;
    case FaultType::Resize: o.allow_more({"capacity", "capacity_sectors", "announce"}); break;
    case FaultType::MacChange: o.allow_more({"mac", "port", "announce"}); break;
    case FaultType::Bufcnt: o.allow_more({"bufcnt", "announce"}); break;
    case FaultType::ConfigString: o.allow_more({"config", "announce"}); break;
    case FaultType::Reserve: o.allow_more({"by"}); break;
    case FaultType::MaskList: o.allow_more({"allow"}); break;
    case FaultType::ClaimAddress: o.allow_more({"address", "announce"}); break;
    case FaultType::Firmware: o.allow_more({"firmware", "announce"}); break;
    case FaultType::PortMtu: o.allow_more({"mtu"}); break;
    default: o.check_unknown(); break;
  }
  parse_site(plan, f, o, info->family);
  if (auto v = o.duration("at")) f.at = *v;
  if (auto v = o.duration("for")) {
    if (*v <= 0) fail(o.at("for"), "must be positive");
    f.duration = *v;
  }
  auto req_probability = [&] {
    if (!o.has("probability")) fail(o.at("probability"), "required");
    f.probability = *o.probability("probability");
  };
  auto opt_probability = [&] {
    if (auto v = o.probability("probability")) f.probability = *v;
  };
  auto need = [&](const char* key) -> const json& { return o.require(key); };
  switch (f.type) {
    case FaultType::Loss: req_probability(); break;
    case FaultType::BurstLoss:
      need("p");
      need("r");
      f.ge_p = *o.probability("p");
      f.ge_r = *o.probability("r");
      if (auto v = o.probability("loss_good")) f.ge_loss_good = *v;
      if (auto v = o.probability("loss_bad")) f.ge_loss_bad = *v;
      break;
    case FaultType::Delay:
      need("delay");
      f.delay = *o.duration("delay");
      if (auto v = o.duration("jitter")) f.jitter = *v;
      if (auto v = o.string("distribution")) {
        if (*v == "normal") f.normal_jitter = true;
        else if (*v != "uniform") fail(o.at("distribution"), "expected \"uniform\" or \"normal\", got \"" + *v + "\"");
      }
      opt_probability();
      break;
    case FaultType::Duplicate:
      req_probability();
      if (auto v = o.duration("gap")) f.gap = *v;
      break;
    case FaultType::Reorder:
      req_probability();
      need("delay");
      f.delay = *o.duration("delay");
      if (f.delay <= 0) fail(o.at("delay"), "must be positive");
      break;
    case FaultType::CorruptDetected:
      req_probability();
      if (auto v = o.boolean("detected"); v && !*v) f.type = FaultType::CorruptUndetected;
      if (auto v = o.integer("bytes", 1, 64)) f.corrupt_bytes = static_cast<std::uint32_t>(*v);
      break;
    case FaultType::RateLimit:
      need("rate");
      f.rate = *o.rate("rate");
      f.queue = static_cast<std::uint32_t>(o.integer("queue", 1, 1'000'000).value_or(1000));
      break;
    case FaultType::QueueOverflow:
      need("queue");
      need("rate");
      f.rate = *o.rate("rate");
      f.queue = static_cast<std::uint32_t>(*o.integer("queue", 1, 1'000'000));
      break;
    case FaultType::Mtu:
    case FaultType::PortMtu:
      need("mtu");
      f.mtu = static_cast<std::uint32_t>(*o.integer("mtu", 60, 65000));
      break;
    case FaultType::Flap:
      need("period");
      f.period = *o.duration("period");
      if (f.period <= 0) fail(o.at("period"), "must be positive");
      f.down_time = o.duration("down").value_or(f.period / 2);
      if (f.down_time <= 0 || f.down_time >= f.period) fail(o.at("down"), "must be positive and shorter than the period");
      break;
    case FaultType::Slow:
      need("delay");
      f.delay = *o.duration("delay");
      if (auto v = o.duration("per_sector")) f.jitter = *v;  // per-sector service time
      break;
    case FaultType::AoeError:
      need("code");
      f.aoe_error = static_cast<std::uint8_t>(*o.integer("code", 1, 255));
      f.commands = parse_commands(o);
      opt_probability();
      parse_lbas(f, o);
      break;
    case FaultType::AtaError: {
      need("error");
      const std::string e = *o.string("error");
      if (e == "abrt") f.ata_error = proto::ata::kErrorAbrt;
      else if (e == "unc") f.ata_error = proto::ata::kErrorUnc;
      else if (e == "idnf") f.ata_error = proto::ata::kErrorIdnf;
      else fail(o.at("error"), "expected \"abrt\", \"unc\" or \"idnf\", got \"" + e + "\"");
      f.commands = parse_commands(o);
      opt_probability();
      parse_lbas(f, o);
      break;
    }
    case FaultType::Runt:
      opt_probability();
      f.runt_length = static_cast<std::uint32_t>(o.integer("length", 0, 59).value_or(32));
      break;
    case FaultType::WrongTag:
    case FaultType::WrongShelf:
    case FaultType::WrongSlot: opt_probability(); break;
    case FaultType::DuplicateReply:
      opt_probability();
      if (auto v = o.duration("gap")) f.gap = *v;
      break;
    case FaultType::StaleReplay:
      req_probability();
      f.replay_depth = static_cast<std::uint32_t>(o.integer("depth", 1, 4096).value_or(64));
      break;
    case FaultType::Resize:
      if (o.has("capacity") == o.has("capacity_sectors")) fail(o.at("capacity"), "give capacity or capacity_sectors");
      f.capacity_sectors = o.has("capacity") ? capacity_of(o, "capacity") : *o.integer("capacity_sectors", 1, proto::ata::kMaxLba48);
      f.announce = o.boolean("announce").value_or(false);
      break;
    case FaultType::MacChange: {
      need("mac");
      f.mac = *o.mac("mac");
      if (f.mac.is_multicast() || f.mac.is_zero()) fail(o.at("mac"), "must be a unicast, non-zero MAC");
      const auto& t = plan.targets[f.site.index];
      f.port = static_cast<std::uint32_t>(o.integer("port", 0, 255).value_or(0));
      if (f.port >= t.ports.size()) fail(o.at("port"), "target " + t.address.to_string() + " has " + std::to_string(t.ports.size()) + " port(s)");
      f.announce = o.boolean("announce").value_or(true);
      break;
    }
    case FaultType::Bufcnt:
      need("bufcnt");
      f.number = static_cast<std::uint16_t>(*o.integer("bufcnt", 1, 65535));
      f.announce = o.boolean("announce").value_or(false);
      break;
    case FaultType::ConfigString:
      need("config");
      f.text = *o.string("config");
      if (f.text.size() > 1024) fail(o.at("config"), "longer than 1024 bytes");
      f.announce = o.boolean("announce").value_or(false);
      break;
    case FaultType::Reserve:
      f.mac = o.mac("by").value_or(proto::MacAddress{{0x02, 0xee, 0xee, 0xee, 0xee, 0x01}});
      break;
    case FaultType::MaskList:
      f.mac = o.mac("allow").value_or(proto::MacAddress{{0x02, 0xee, 0xee, 0xee, 0xee, 0x02}});
      break;
    case FaultType::ClaimAddress:
      need("address");
      f.address = *o.address("address");
      if (f.address == plan.targets[f.site.index].address) fail(o.at("address"), "the target already has this address");
      f.announce = o.boolean("announce").value_or(true);
      break;
    case FaultType::Firmware:
      need("firmware");
      f.number = static_cast<std::uint16_t>(*o.integer("firmware", 0, 65535));
      f.announce = o.boolean("announce").value_or(false);
      break;
    default: break;
  }
  if (auto v = o.string("note"); v) f.text = f.text.empty() ? *v : f.text;
  plan.faults.push_back(std::move(f));
}

// ------------------------------------------------------------------ actions

void parse_action(Plan& plan, const json& j, const std::string& where) {
  Obj o(j, where);
  o.allow({"at", "do", "device", "devices"});
  ActionPlan a;
  if (!o.has("at")) fail(o.at("at"), "required");
  a.at = *o.duration("at");
  if (!o.has("do")) fail(o.at("do"), "required");
  const std::string what = *o.string("do");
  if (what == "revalidate") a.kind = ActionPlan::Kind::Revalidate;
  else if (what == "open") a.kind = ActionPlan::Kind::Open;
  else if (what == "close") a.kind = ActionPlan::Kind::Close;
  else if (what == "discover") a.kind = ActionPlan::Kind::Discover;
  else if (what == "flush") a.kind = ActionPlan::Kind::Flush;
  else fail(o.at("do"), "unknown action " + what + " (revalidate, open, close, discover, flush)");
  if (o.has("device") && o.has("devices")) fail(o.at("devices"), "give device or devices, not both");
  a.devices = device_list(plan, o, o.has("device") ? "device" : "devices");
  if (a.kind == ActionPlan::Kind::Discover) {
    if (!a.devices.empty()) fail(o.at("device"), "discover is a broadcast: it takes no device");
  } else if (a.devices.empty()) {
    fail(o.at("device"), "required");
  }
  plan.actions.push_back(std::move(a));
}

// ------------------------------------------------------------------ expectations

CountRange parse_count(const Obj& o, const char* key) {
  const json& v = o.require(key);
  CountRange c;
  if (v.is_number_unsigned() || (v.is_number_integer() && v.get<std::int64_t>() >= 0)) {
    c.min = c.max = v.get<std::uint64_t>();
    return c;
  }
  if (!v.is_object()) fail(o.at(key), "expected a count or {\"min\": N, \"max\": M}");
  Obj co(v, o.at(key));
  co.allow({"min", "max"});
  if (auto m = co.integer("min", 0, ~std::uint64_t{0} >> 1)) c.min = *m;
  if (auto m = co.integer("max", 0, ~std::uint64_t{0} >> 1)) c.max = *m;
  if (!co.has("min") && !co.has("max")) fail(o.at(key), "give min, max or both");
  if (c.min > c.max) fail(co.at("min"), "above max");
  return c;
}

const char* const kEventNames[] = {"device_up",     "device_down",    "device_failed", "device_resized",
                                   "io_completed",  "path_added",     "path_unhealthy", "path_healthy",
                                   "payload_fallback", "shelf_unset", "config_changed"};
const char* const kStatusNames[] = {"ok", "ata_error", "aoe_error", "reserved", "device_down", "cancelled"};
static_assert(std::size(kEventNames) == static_cast<std::size_t>(initiator::EventKind::ConfigChanged) + 1);
static_assert(std::size(kStatusNames) == static_cast<std::size_t>(initiator::IoStatus::Cancelled) + 1);
const char* const kStates[] = {"discovered", "up", "down", "closewait", "failed"};

void parse_window(ExpectationPlan& e, const Obj& o, bool allow_at) {
  if (auto v = o.duration("after")) e.after = *v;
  if (auto v = o.duration("by")) e.by = *v;
  if (allow_at) e.at = o.duration("at");
  if (e.at && o.has("by")) fail(o.at("at"), "give at or by, not both");
  if (e.by < e.after) fail(o.at("by"), "before \"after\"");
}

void parse_expectation(Plan& plan, const json& j, const std::string& where) {
  Obj o(j, where);
  const char* kinds[] = {"state", "event", "io_errors", "io_completed", "violations", "metric",
                         "payload_sectors", "capacity", "latency_max", "workload_complete"};
  const char* kind = nullptr;
  for (const char* k : kinds)
    if (o.has(k)) {
      if (kind) fail(o.path(), std::string("give one check per expectation (") + kind + " and " + k + ")");
      kind = k;
    }
  if (!kind) {
    std::string list;
    for (const char* k : kinds) list += (list.empty() ? "" : ", ") + std::string(k);
    fail(o.path(), "an expectation needs one of: " + list);
  }
  ExpectationPlan e;
  const std::string k = kind;
  auto device = [&](bool required) {
    if (o.has("device")) e.device = target_index(plan, o, "device");
    else if (required) fail(o.at("device"), "required");
  };
  if (k == "state") {
    o.allow({"state", "device", "by", "at", "after", "note"});
    e.kind = ExpectationPlan::Kind::State;
    e.state = *o.string("state");
    if (std::find_if(std::begin(kStates), std::end(kStates), [&](const char* s) { return e.state == s; }) == std::end(kStates))
      fail(o.at("state"), "unknown state " + e.state + " (discovered, up, down, closewait, failed)");
    device(true);
    parse_window(e, o, true);
  } else if (k == "event") {
    o.allow({"event", "device", "path", "after", "by", "count", "absent", "note"});
    e.kind = ExpectationPlan::Kind::Event;
    e.event = *o.string("event");
    if (std::find_if(std::begin(kEventNames), std::end(kEventNames), [&](const char* s) { return e.event == s; }) ==
            std::end(kEventNames) || e.event == "io_completed")
      fail(o.at("event"), "unknown event " + e.event + " (device_up, device_down, device_failed, device_resized, path_added, "
                          "path_unhealthy, path_healthy, payload_fallback, shelf_unset, config_changed)");
    device(false);
    if (auto p = o.string("path")) e.path = path_index(plan, *p, o.at("path"));
    parse_window(e, o, false);
    if (o.has("count")) e.count = parse_count(o, "count");
    if (auto a = o.boolean("absent"); a && *a) {
      if (o.has("count")) fail(o.at("absent"), "give count or absent, not both");
      e.count = CountRange{0, 0};
    }
  } else if (k == "io_errors" || k == "io_completed") {
    o.allow({kind, "status", "device", "after", "by", "note"});
    e.kind = k == "io_errors" ? ExpectationPlan::Kind::IoErrors : ExpectationPlan::Kind::IoCompleted;
    e.count = parse_count(o, kind);
    if (auto s = o.string("status")) {
      if (e.kind == ExpectationPlan::Kind::IoCompleted) fail(o.at("status"), "io_completed counts successful requests only");
      if (std::find_if(std::begin(kStatusNames) + 1, std::end(kStatusNames), [&](const char* n) { return *s == n; }) ==
          std::end(kStatusNames))
        fail(o.at("status"), "unknown status " + *s + " (ata_error, aoe_error, reserved, device_down, cancelled)");
      e.status = *s;
    }
    device(false);
    parse_window(e, o, false);
  } else if (k == "violations") {
    o.allow({"violations", "note"});
    e.kind = ExpectationPlan::Kind::Violations;
    e.count = parse_count(o, "violations");
    plan.implicit_no_violations = false;
  } else if (k == "metric") {
    o.allow({"metric", "min", "max", "equals", "note"});
    e.kind = ExpectationPlan::Kind::Metric;
    e.metric = *o.string("metric");
    if (auto v = o.number("equals", -1e300, 1e300)) e.metric_min = e.metric_max = *v;
    if (auto v = o.number("min", -1e300, 1e300)) e.metric_min = *v;
    if (auto v = o.number("max", -1e300, 1e300)) e.metric_max = *v;
    if (!o.has("min") && !o.has("max") && !o.has("equals")) fail(o.path(), "a metric expectation needs min, max or equals");
  } else if (k == "payload_sectors") {
    o.allow({"payload_sectors", "device", "path", "at", "note"});
    e.kind = ExpectationPlan::Kind::PayloadSectors;
    e.count = parse_count(o, "payload_sectors");
    device(true);
    if (auto p = o.string("path")) e.path = path_index(plan, *p, o.at("path"));
    e.at = o.duration("at");
  } else if (k == "capacity") {
    o.allow({"capacity", "device", "at", "note"});
    e.kind = ExpectationPlan::Kind::Capacity;
    const std::uint64_t sectors = capacity_of(o, "capacity");
    e.count = CountRange{sectors, sectors};
    device(true);
    e.at = o.duration("at");
  } else if (k == "latency_max") {
    o.allow({"latency_max", "note"});
    e.kind = ExpectationPlan::Kind::LatencyMax;
    e.latency = *o.duration("latency_max");
  } else {
    o.allow({"workload_complete", "note"});
    e.kind = ExpectationPlan::Kind::WorkloadComplete;
    e.complete = *o.boolean("workload_complete");
  }
  if (auto n = o.string("note")) e.text = *n;
  plan.expectations.push_back(std::move(e));
}

Plan parse_document(const json& doc) {
  Plan plan;
  Obj o(doc, "");
  o.allow({"name", "description", "seed", "duration", "max_duration", "capture", "topology", "workload", "faults",
           "actions", "expect"});
  plan.name = o.string("name").value_or("plan");
  plan.description = o.string("description").value_or("");
  if (auto v = o.integer("seed", 0, ~std::uint64_t{0})) plan.seed = *v;
  plan.duration = o.duration("duration");
  if (plan.duration && *plan.duration <= 0) fail("duration", "must be positive");
  if (auto v = o.duration("max_duration")) plan.max_duration = *v;
  if (auto v = o.string("capture")) {
    if (*v != "initiator" && *v != "all" && *v != "none") fail("capture", "expected \"initiator\", \"all\" or \"none\"");
    plan.capture = *v;
  }
  parse_topology(plan, o.get("topology"));
  if (const json* w = o.get("workload")) parse_workload(plan, *w);
  auto each = [&](const char* key, void (*fn)(Plan&, const json&, const std::string&)) {
    const json* v = o.get(key);
    if (!v) return;
    if (!v->is_array()) fail(key, "expected an array");
    for (std::size_t i = 0; i < v->size(); ++i) fn(plan, (*v)[i], index_path(key, i));
  };
  each("faults", parse_fault);
  each("actions", parse_action);
  each("expect", parse_expectation);
  return plan;
}

}  // namespace

PlanResult parse_plan(std::string_view text) {
  PlanResult r;
  json doc;
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    // nlohmann's message carries the byte position; keep it, drop its "[json.exception...]" prefix.
    std::string what = e.what();
    if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    r.error = PlanError{"", "not valid JSON: " + what};
    return r;
  }
  try {
    r.plan = parse_document(doc);
  } catch (const detail::PlanFailure& f) {
    r.error = f.error;
  }
  return r;
}

FaultParseResult parse_fault_object(const Plan& topology, std::string_view json_text, const std::string& where) {
  FaultParseResult r;
  json doc;
  try {
    doc = json::parse(json_text.begin(), json_text.end());
  } catch (const json::parse_error& e) {
    r.error = PlanError{where, std::string("not valid JSON: ") + e.what()};
    return r;
  }
  Plan scratch;  // parse_fault appends to the plan's faults; the caller's plan stays untouched
  scratch.paths = topology.paths;
  scratch.initiator_ports = topology.initiator_ports;
  scratch.targets = topology.targets;
  try {
    parse_fault(scratch, doc, where);
    r.fault = std::move(scratch.faults.back());
  } catch (const detail::PlanFailure& f) {
    r.error = f.error;
  }
  return r;
}

PlanResult load_plan(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    PlanResult r;
    r.error = PlanError{"", "cannot read " + file};
    return r;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_plan(ss.str());
}

const char* event_name(std::uint8_t kind) {
  return kind < std::size(kEventNames) ? kEventNames[kind] : "unknown";
}

const char* io_status_key(std::uint8_t status) {
  return status < std::size(kStatusNames) ? kStatusNames[status] : "unknown";
}

}  // namespace aoeh::faults
