#pragma once
// What each Python class wraps: a shared pointer to its world (which keeps the world alive) and
// an index into one of the world's record tables. Plus the conversions every binding file shares.
#include <pybind11/pybind11.h>

#include <cmath>
#include <optional>
#include <cstdint>
#include <string>
#include <vector>

#include "bindings/world_state.hpp"

namespace aoeh::bindings {

struct SwitchHandle {
  WorldPtr world;
  std::uint32_t index = 0;
  SwitchRecord& rec() const { return world->switches.at(index); }
};

struct LinkHandle {
  WorldPtr world;
  sim::LinkId id = 0;
  std::string name;  // "i0:eth0", "e1.0:0", "path0-path1"
};

struct PortHandle {
  enum class Owner : std::uint8_t { Initiator, Target, Probe };
  WorldPtr world;
  Owner owner = Owner::Initiator;
  std::uint32_t host = 0;  // index into initiators / targets / probes
  std::uint32_t port = 0;
  PortRecord& rec() const;
};

struct InitiatorHandle {
  WorldPtr world;
  std::uint32_t index = 0;
  InitiatorRecord& rec() const { return world->initiators.at(index); }
  sim::EngineHost& host() const { return *rec().host; }
};

struct TargetHandle {
  WorldPtr world;
  std::uint32_t index = 0;
  TargetRecord& rec() const { return world->targets.at(index); }
  target::Target& target() const { return rec().target(); }
};

struct ProbeHandle {
  WorldPtr world;
  std::uint32_t index = 0;
  ProbeRecord& rec() const { return world->probes.at(index); }
};

// ---- conversions (raise ValueError on bad input) ----
// Seconds (int or float, finite, >= 0) to nanoseconds.
Nanos to_nanos(double seconds, const char* what);
inline double to_seconds(Nanos t) { return static_cast<double>(t) / 1e9; }
// "e1.0", "1.0", (1, 0), or anything with an `address` attribute holding one of those.
proto::DeviceAddress to_address(py::handle h);
proto::MacAddress to_mac(py::handle h);
// bytes, bytearray, memoryview or any contiguous buffer of bytes.
std::vector<std::uint8_t> to_byte_vector(py::handle h, const char* what);
std::string mac_string(const proto::MacAddress& m);

// ---- world building (world.cpp) ----
// A Switch or a switch name -> index into world->switches.
std::uint32_t switch_index(const WorldPtr& w, py::handle h);
sim::LinkConfig link_config(double bandwidth, double latency, std::uint32_t queue);
// ports=[switch, (switch, mtu), ...]: where a host's NICs are cabled and their NIC MTU.
struct PortSpec {
  std::uint32_t sw = 0;
  std::optional<std::uint32_t> mtu;
};
std::vector<PortSpec> port_specs(const WorldPtr& w, const py::object& ports, const char* who);
void check_mtu(std::uint32_t mtu, const char* what);
void tap_ports(WorldState& w, const std::vector<PortRecord>& ports);
// The World class object, for area files that add their own World methods.
py::class_<WorldState, WorldPtr> world_class(py::module_& m);

// Registration of each area (one .cpp file each).
void bind_world(py::module_& m);
void bind_initiator(py::module_& m);
void bind_target(py::module_& m);
void bind_faults(py::module_& m);
void bind_frames(py::module_& m);
void bind_certify(py::module_& m);
void bind_plans(py::module_& m);
void bind_fault_injection(py::module_& m);

}  // namespace aoeh::bindings
