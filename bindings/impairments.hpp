#pragma once
// Impairments the bindings install on link directions (until faults/ provides the full set):
// a seeded drop filter with frame matching, a gate (a hung target's cables), and a filter that
// asks a Python callable about each frame.
#include <pybind11/pybind11.h>

#include <cstdint>
#include <memory>

#include "bindings/world_state.hpp"
#include "sim/impairment.hpp"
#include "sim/rng.hpp"

namespace aoeh::bindings {

// Which frames a DropFilter considers (all of them by default).
struct FrameMatch {
  int command = -1;           // AoE command byte (0 ATA, 1 Query Config, ...); -1 any
  int response = -1;          // 1: responses only, 0: requests only, -1 either
  bool broadcast_only = false;  // destination MAC ff:ff:ff:ff:ff:ff
  int ata_command = -1;       // ATA command/status byte at offset 27 (requests), -1 any
  std::size_t min_length = 0; // frames at least this long (e.g. jumbo)
  bool matches(std::span<const std::uint8_t> f) const;
};

// Shared state of a filter, readable from Python while the simulator owns the impairment.
struct FilterState {
  bool active = true;
  std::uint64_t seen = 0;     // matching frames inside the window
  std::uint64_t dropped = 0;
};

// Drops matching frames in [start, end) with probability p, at most `budget` of them (0: no limit).
class DropFilter final : public sim::Impairment {
 public:
  DropFilter(std::shared_ptr<FilterState> state, FrameMatch match, double p, std::uint64_t budget, Nanos start,
             Nanos end, sim::Rng rng)
      : state_(std::move(state)), match_(match), p_(p), budget_(budget), start_(start), end_(end), rng_(rng) {}
  void on_frame(sim::ImpairContext& f) override;

 private:
  std::shared_ptr<FilterState> state_;
  FrameMatch match_;
  double p_;
  std::uint64_t budget_;
  Nanos start_, end_;
  sim::Rng rng_;
};

// Drops everything while closed (a hung target's cables, a black hole).
class Gate final : public sim::Impairment {
 public:
  explicit Gate(std::shared_ptr<bool> closed) : closed_(std::move(closed)) {}
  void on_frame(sim::ImpairContext& f) override {
    if (*closed_) f.drop();
  }

 private:
  std::shared_ptr<bool> closed_;
};

// Calls fn(frame: bytes, time: float) for each frame; a true result drops the frame. Installed
// only with the GIL held for runs (WorldState::python_hooks counts it).
class PythonFilter final : public sim::Impairment {
 public:
  PythonFilter(WorldState& world, std::shared_ptr<FilterState> state, py::object fn)
      : world_(world), state_(std::move(state)), fn_(std::move(fn)) {}
  ~PythonFilter() override;
  void on_frame(sim::ImpairContext& f) override;
  // Disarms and releases the callable (with the GIL held).
  void remove();

 private:
  WorldState& world_;
  std::shared_ptr<FilterState> state_;
  py::object fn_;
};

}  // namespace aoeh::bindings
