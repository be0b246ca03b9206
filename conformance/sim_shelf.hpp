#pragma once
// The embedded simulated shelf `aoeh certify --sim` runs against: two paths (MTU 1500 and 9000),
// three reference targets e1.0, e1.1, e1.2 with a port on each path, and a probe port per path.
// e1.1 is the device under test (large enough for the LBA28/LBA48 boundary tests, write-back cache,
// a config string); its neighbours make the broadcast and addressing tests meaningful.
#include <cstdint>
#include <memory>

#include "sim/sim_world.hpp"
#include "sim/simulator.hpp"
#include "sim/target/defects.hpp"
#include "sim/target/target.hpp"

namespace aoeh::conformance {

struct SimShelfOptions {
  std::uint64_t seed = 1;
  target::DefectSet defects;  // given to the device under test only
  double loss = 0.0;          // independent random loss on every cable, each direction
  bool read_only = false;
};

class SimShelf {
 public:
  explicit SimShelf(const SimShelfOptions& options);
  ~SimShelf();
  SimShelf(const SimShelf&) = delete;
  SimShelf& operator=(const SimShelf&) = delete;

  sim::World& world() { return *world_; }
  sim::Simulator& simulator() { return *sim_; }
  proto::DeviceAddress device() const { return {1, 1}; }
  target::Target& device_model() { return *dut_; }
  // How long to listen for the start-up announcement before the first request.
  static constexpr sim::Nanos kAnnounceWindow = 5'000'000;
  static constexpr std::uint64_t kDeviceSectors = (std::uint64_t{1} << 28) + 8192;

 private:
  std::unique_ptr<sim::Simulator> sim_;
  std::unique_ptr<sim::SimWorld> world_;
  target::Target* dut_ = nullptr;
};

}  // namespace aoeh::conformance
