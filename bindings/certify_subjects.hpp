#pragma once
// What aoeh.certify() runs against: the sim::World the conformance runner drives and the facts of
// the run (device address, start-up announcement, whether writes are disposable).
#include <pybind11/pybind11.h>

#include <memory>
#include <string>
#include <vector>

#include "bindings/world_state.hpp"
#include "sim/world.hpp"

namespace aoeh::bindings {

struct CertifySubject {
  std::shared_ptr<void> owner;      // keeps the world alive during the run
  sim::World* world = nullptr;
  WorldState* state = nullptr;      // a Python-built world: locked (and its GIL needs kept) while running
  proto::DeviceAddress target{1, 1};
  bool fresh_start = false;
  Nanos announce_window = 0;
  bool disposable = false;          // the embedded shelf: writes need no permission
  bool live = false;
  std::string mode;
};

CertifySubject certify_subject(const py::object& subject, const py::object& target, std::uint64_t seed, double loss,
                               const std::vector<std::string>& defects, bool read_only);

}  // namespace aoeh::bindings
