#pragma once
// The link faults of a fault plan, set up for `aoeh relay`: one real cable between interface A and
// interface B. The decisions are the simulator's own models (faults/link_faults.hpp), fed with
// relay-relative time by the caller, so a relay run with a given seed drops, delays and duplicates
// the same frames (by arrival order) as any other run with that seed.
//
// Direction mapping: the relay stands for every cable the plan names. The host of an initiator
// port sits on side A, the host of a target port on side B, so `"link": "eth0", "direction": "out"`
// (from the initiator) acts on A->B, and `"link": "e1.0:0", "direction": "out"` (from the target)
// on B->A. Path sites act on both directions.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "faults/link_faults.hpp"
#include "faults/plan.hpp"
#include "sim/impairment.hpp"

namespace aoeh::live {

enum class RelayDirection : std::uint8_t { AtoB = 0, BtoA = 1 };
inline constexpr std::size_t kRelayDirections = 2;
const char* relay_direction_name(RelayDirection d);  // "a->b", "b->a"

// One fault instance acting on one direction.
struct RelayFault {
  std::string description;  // "loss 20% on path a (faults[0])"
  RelayDirection direction = RelayDirection::AtoB;
  const faults::LinkFault* model = nullptr;  // for its counters
};

struct RelayFaults {
  // Per direction, in plan order: every frame passes each of them (like a simulated link).
  std::array<std::vector<std::unique_ptr<faults::LinkFault>>, kRelayDirections> chains;
  std::vector<RelayFault> faults;
  bool empty(RelayDirection d) const { return chains[static_cast<std::size_t>(d)].empty(); }
};

struct RelayFaultsResult {
  std::optional<RelayFaults> faults;
  std::string error;  // "faults[1]: hang on target e1.0: the relay applies link faults only ..."
};

// Builds the relay's fault chains from a parsed plan, with per-fault, per-direction random streams
// derived from `seed`. Faults the relay cannot apply (target and initiator-port faults) are refused
// by name. Plan times (`at`, `for`) count from the relay's start.
RelayFaultsResult relay_faults_from_plan(const faults::Plan& plan, std::uint64_t seed);

}  // namespace aoeh::live
