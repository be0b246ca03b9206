#include "bindings/world_state.hpp"

#include <cinttypes>
#include <cstdio>
#include <utility>

#include "bindings/errors.hpp"
#include "sim/hash.hpp"

namespace aoeh::bindings {

WorldState::WorldState(std::uint64_t seed) : sim(seed) {}

// Hosts hold handlers that point back here; the simulator (a member) goes first. Python objects in
// the records are released with the GIL held: the last Python reference dropping is what got us here.
WorldState::~WorldState() = default;

WorldState::Lock::Lock(WorldState& w) : w_(w) {
  if (!w.mutex_.try_lock()) {
    // Another thread runs this world with the GIL released: wait without blocking it.
    py::gil_scoped_release release;
    w.mutex_.lock();
  }
}

PortRecord WorldState::attach(sim::HostId host, std::uint32_t host_port, const std::string& name, std::uint32_t sw,
                              std::uint32_t switch_mtu, const sim::LinkConfig& link) {
  PortRecord p;
  p.name = name;
  p.nic = sim.host(host).nics().at(host_port);
  p.sw = switches.at(sw).id;
  p.switch_port = static_cast<std::uint32_t>(sim.switch_at(p.sw).ports.size());
  p.link = sim.connect(p.nic, p.sw, switch_mtu, link);
  return p;
}

sim::SimWorld& WorldState::probe_world() {
  if (!probe_world_) probe_world_ = std::make_unique<sim::SimWorld>(sim);
  return *probe_world_;
}

bool WorldState::needs_gil() const {
  if (python_hooks > 0) return true;
  for (const auto& i : initiators)
    if (i.on_event) return true;
  for (const auto& [key, io] : pending)
    if (io->callback) return true;
  return false;
}

void WorldState::hook_failed(py::error_already_set& e) {
  if (!hook_error_) hook_error_.emplace(std::move(e));
}

bool WorldState::run(const std::function<bool()>& done, Nanos deadline, bool python_done) {
  Lock lock(*this);
  if (running_)
    throw Error("the world is already running: run(), run_until() and blocking I/O cannot be "
                           "called from a callback, a filter or a scheduled action");
  running_ = true;
  struct Reset {
    bool& flag;
    ~Reset() { flag = false; }
  } reset{running_};
  started = true;
  auto stop = [&] { return hook_error_.has_value() || done(); };
  bool ok;
  last_run_released_gil = !(python_done || needs_gil());
  if (!last_run_released_gil) {
    ok = sim.run_until(stop, deadline);
  } else {
    py::gil_scoped_release release;
    ok = sim.run_until(stop, deadline);
  }
  if (capture) sim.flush_captures();
  rethrow_hook_error();
  return ok;
}

void WorldState::rethrow_hook_error() {
  if (!hook_error_) return;
  py::error_already_set e = std::move(*hook_error_);
  hook_error_.reset();
  throw e;
}

void WorldState::on_engine_event(std::uint32_t index, const initiator::Event& e) {
  InitiatorRecord& rec = initiators[index];
  rec.events.push_back(e);
  if (e.kind == initiator::EventKind::DeviceUp) rec.up.insert(e.device.key());
  if (e.kind == initiator::EventKind::DeviceDown || e.kind == initiator::EventKind::DeviceFailed)
    rec.up.erase(e.device.key());
  note(rec.name, describe_event(e));
  std::shared_ptr<PendingIo> io;
  if (e.kind == initiator::EventKind::IoCompleted) {
    auto it = pending.find(e.user_data);
    if (it != pending.end()) {
      io = std::move(it->second);
      pending.erase(it);
      io->done = true;
      io->completed_at = e.time;
      io->completion = e;
    }
  }
  // Python callbacks exist only when needs_gil() held at the start of the run, so the GIL is ours.
  // An exception inside one must not unwind through the engine's pump: it is stored and rethrown
  // by run() once the simulator is back at an event boundary.
  if (io && io->callback) {
    py::object cb = std::exchange(io->callback, py::object());
    try {
      cb(RequestHandle{shared_from_this(), io});
    } catch (py::error_already_set& err) {
      hook_failed(err);
    }
  }
  if (rec.on_event) {
    py::object cb = rec.on_event;  // the callback may replace itself
    try {
      cb(e);
    } catch (py::error_already_set& err) {
      hook_failed(err);
    }
  }
}

void WorldState::note(const std::string& source, std::string text) {
  log.push_back(LogEntry{sim.now(), source, std::move(text)});
}

namespace {
std::string format_entry(const LogEntry& e) {
  char when[40];
  std::snprintf(when, sizeof when, "%" PRId64 ".%09" PRId64, e.time / 1'000'000'000, e.time % 1'000'000'000);
  return std::string(when) + " " + e.source + " " + e.text;
}
}  // namespace

std::uint64_t WorldState::log_hash() const {
  std::uint64_t h = sim::fnv1a64("aoeh event log");
  for (const auto& e : log) h = sim::fold(h, sim::fnv1a64(format_entry(e)));
  return h;
}

std::string WorldState::format_log() const {
  std::string out;
  for (const auto& e : log) {
    out += format_entry(e);
    out += '\n';
  }
  return out;
}

const char* event_kind_key(initiator::EventKind k) {
  using K = initiator::EventKind;
  switch (k) {
    case K::DeviceUp: return "device_up";
    case K::DeviceDown: return "device_down";
    case K::DeviceFailed: return "device_failed";
    case K::DeviceResized: return "device_resized";
    case K::IoCompleted: return "io_completed";
    case K::PathAdded: return "path_added";
    case K::PathUnhealthy: return "path_unhealthy";
    case K::PathHealthy: return "path_healthy";
    case K::PayloadFallback: return "payload_fallback";
    case K::ShelfUnset: return "shelf_unset";
    case K::ConfigChanged: return "config_changed";
  }
  return "unknown";
}

const char* io_status_key(initiator::IoStatus s) {
  using S = initiator::IoStatus;
  switch (s) {
    case S::Ok: return "ok";
    case S::AtaError: return "ata_error";
    case S::AoeError: return "aoe_error";
    case S::Reserved: return "reserved";
    case S::DeviceDown: return "device_down";
    case S::Cancelled: return "cancelled";
  }
  return "unknown";
}

const char* device_state_key(initiator::DeviceState s) {
  using S = initiator::DeviceState;
  switch (s) {
    case S::Discovered: return "discovered";
    case S::Up: return "up";
    case S::Down: return "down";
    case S::Closewait: return "closewait";
    case S::Failed: return "failed";
  }
  return "unknown";
}

const char* io_kind_key(initiator::IoKind k) {
  switch (k) {
    case initiator::IoKind::Read: return "read";
    case initiator::IoKind::Write: return "write";
    case initiator::IoKind::Flush: return "flush";
  }
  return "unknown";
}

std::string describe_event(const initiator::Event& e) {
  using K = initiator::EventKind;
  std::string s = std::string(event_kind_key(e.kind)) + " " + e.device.to_string();
  switch (e.kind) {
    case K::DeviceUp:
    case K::DeviceResized:
      s += " sectors=" + std::to_string(e.old_sectors) + "->" + std::to_string(e.new_sectors);
      break;
    case K::DeviceDown:
    case K::DeviceFailed:
      s += std::string(" state=") + device_state_key(e.state);
      if (e.status != initiator::IoStatus::Ok) s += std::string(" status=") + io_status_key(e.status);
      break;
    case K::IoCompleted:
      s += " request=" + std::to_string(e.request) + " status=" + io_status_key(e.status);
      if (e.status == initiator::IoStatus::AtaError) {
        char regs[32];
        std::snprintf(regs, sizeof regs, " ata=%02x/%02x", e.ata_status, e.ata_error);
        s += regs;
      }
      if (e.aoe_error != proto::AoeError::None) s += " aoe_error=" + std::to_string(static_cast<int>(e.aoe_error));
      break;
    case K::PathAdded:
    case K::PathUnhealthy:
    case K::PathHealthy:
    case K::PayloadFallback:
    case K::ShelfUnset:
    case K::ConfigChanged:
      s += " path=" + e.path.to_string() + " port=" + std::to_string(e.port);
      break;
  }
  return s;
}

}  // namespace aoeh::bindings
