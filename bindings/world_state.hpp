#pragma once
// The C++ side of an `aoeh.World`: one Simulator plus the records Python handles point into
// (switches, host ports, initiators, targets, probes), the requests in flight with the buffers the
// engine reads and writes, the world's event log, and the run loop that releases the GIL when no
// Python code can be called from inside it.
//
// Ownership: every Python handle (Initiator, Target, Link, Request...) holds a shared_ptr to its
// WorldState, so a world lives as long as anything that can reach into it. A request's buffer is
// owned by its PendingIo, which the world keeps until the engine's completion event: the engine
// never sees a dangling buffer even when Python drops the Request object.
#include <pybind11/pybind11.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "faults/fault_install.hpp"
#include "faults/faulty_target.hpp"
#include "initiator/engine.hpp"
#include "sim/engine_host.hpp"
#include "sim/sim_world.hpp"
#include "sim/simulator.hpp"
#include "sim/target_host.hpp"

namespace aoeh::bindings {

namespace py = pybind11;
using sim::Nanos;

// A host NIC cabled to a switch port.
struct PortRecord {
  std::string name;
  sim::NicId nic = 0;
  sim::LinkId link = 0;
  sim::SwitchId sw = 0;
  std::uint32_t switch_port = 0;  // index of the switch port facing the NIC
};

struct SwitchRecord {
  std::string name;
  sim::SwitchId id = 0;
  std::uint32_t mtu = 1500;   // default MTU of ports added to it
  sim::LinkConfig link;       // default cable into it
};

struct InitiatorRecord {
  std::string name;
  sim::EngineHost* host = nullptr;
  std::vector<PortRecord> ports;   // ports[k] is engine PortId k while k < allowed
  std::uint32_t allowed = 0;       // the engine's allow-list is the first `allowed` ports
  std::vector<initiator::Event> events;
  std::set<std::uint32_t> up;      // DeviceAddress::key() of devices up (from events: every way out of Up has one)
  py::object on_event;             // null or a callable(Event) (null needs no GIL)
};

struct TargetRecord {
  std::string name;                // "e1.0" at creation
  faults::FaultyTargetHost* host = nullptr;  // the reference target with the faults/ frame hooks
  std::vector<PortRecord> ports;
  std::shared_ptr<bool> gate;      // closed while hung (installed on the first hang)
  target::Target& target() const { return host->target(); }
};

struct ProbeRecord {
  std::string name;
  PortRecord port;
  std::vector<sim::ReceivedFrame> inbox;
};

// One submitted request: owns the buffer the engine reads (write) or fills (read).
struct PendingIo {
  std::uint64_t key = 0;           // the engine's user_data
  std::uint32_t initiator = 0;
  proto::DeviceAddress device;
  initiator::IoKind kind = initiator::IoKind::Read;
  std::uint64_t lba = 0;
  std::uint32_t sectors = 0;
  std::vector<std::uint8_t> buffer;
  initiator::RequestId id = 0;
  Nanos submitted_at = 0;
  bool done = false;
  Nanos completed_at = 0;
  initiator::Event completion;     // the IoCompleted event
  // Null unless the caller gave a callable(Request): a null handle needs no GIL to destroy, so
  // requests without callbacks can complete while the GIL is released.
  py::object callback;
};

struct LogEntry {
  Nanos time = 0;
  std::string source;  // "i0", "e1.0", "world", "link3", ...
  std::string text;
};

class WorldState : public std::enable_shared_from_this<WorldState> {
 public:
  explicit WorldState(std::uint64_t seed);
  ~WorldState();
  WorldState(const WorldState&) = delete;
  WorldState& operator=(const WorldState&) = delete;

  sim::Simulator sim;
  std::vector<SwitchRecord> switches;
  std::vector<InitiatorRecord> initiators;
  std::vector<TargetRecord> targets;
  std::vector<ProbeRecord> probes;
  std::map<std::uint64_t, std::shared_ptr<PendingIo>> pending;  // by key, until completion
  std::vector<LogEntry> log;
  std::optional<sim::CaptureId> capture;
  std::string capture_path;
  bool capture_all_initiators = false;  // hosts added later are tapped too
  bool capture_all = false;
  std::uint32_t python_hooks = 0;  // Python filters and scheduled actions installed in the world
  bool started = false;            // hosts added later must announce/discover themselves
  // Holds on links, by LinkId: injected down/flap/partition faults and Link.down()/set_up(False)
  // (one hold per link in `links_set_down`); a link is up when no hold is left.
  faults::CableHolds link_holds;
  std::set<sim::LinkId> links_set_down;
  void hold_link(sim::LinkId l, bool down) {
    if (down ? link_holds.hold(l) : link_holds.release(l)) sim.set_link_up(l, !down);
  }
  std::unique_ptr<faults::FaultWorld> injected;       // World.inject's faults (bindings/fault_injection.cpp)
  std::uint32_t faults_injected = 0;                  // names the injected faults' random streams

  // ---- construction helpers ----
  // A NIC on `host` cabled to switch `sw` (port MTU `switch_mtu`, link from the switch's default).
  PortRecord attach(sim::HostId host, std::uint32_t host_port, const std::string& name, std::uint32_t sw,
                    std::uint32_t switch_mtu, const sim::LinkConfig& link);
  sim::SimWorld& probe_world();

  // ---- running ----
  // Runs until `done()` or `deadline`; rethrows a Python exception raised by a hook meanwhile.
  // `python_done` says whether `done` calls Python (then the GIL stays held).
  bool run(const std::function<bool()>& done, Nanos deadline, bool python_done);
  bool running() const { return running_; }
  bool last_run_released_gil = false;  // diagnostics: did the last run() release the GIL
  // A Python exception raised inside a hook: stored, the run stops, run() rethrows it.
  void hook_failed(py::error_already_set& e);
  // After a direct engine/target call outside run(): raises what a hook raised meanwhile.
  void rethrow_hook_error();
  bool needs_gil() const;

  // ---- engine events ----
  void on_engine_event(std::uint32_t initiator, const initiator::Event& e);
  std::uint64_t next_key() { return ++last_key_; }

  // ---- log ----
  void note(const std::string& source, std::string text);
  std::uint64_t log_hash() const;
  std::string format_log() const;

  // ---- locking: one thread at a time in a world (a run releases the GIL, not the world) ----
  class Lock {
   public:
    explicit Lock(WorldState& w);
    ~Lock() { w_.mutex_.unlock(); }
    Lock(const Lock&) = delete;
    Lock& operator=(const Lock&) = delete;

   private:
    WorldState& w_;
  };

 private:
  std::recursive_mutex mutex_;
  std::unique_ptr<sim::SimWorld> probe_world_;
  bool running_ = false;
  std::optional<py::error_already_set> hook_error_;
  std::uint64_t last_key_ = 0;
};

using WorldPtr = std::shared_ptr<WorldState>;

// What a Python `Request` wraps (also what request callbacks receive).
struct RequestHandle {
  WorldPtr world;
  std::shared_ptr<PendingIo> io;
};

// Text forms shared by the bindings (snake_case, stable: scenarios compare against them).
const char* event_kind_key(initiator::EventKind k);
const char* io_status_key(initiator::IoStatus s);
const char* device_state_key(initiator::DeviceState s);
const char* io_kind_key(initiator::IoKind k);
std::string describe_event(const initiator::Event& e);

}  // namespace aoeh::bindings
