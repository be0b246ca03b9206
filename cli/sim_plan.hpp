#pragma once
// `aoeh sim PLAN.json`: runs a fault plan (faults/README.md) instead of the built-in topology.
#include <cstdint>
#include <optional>
#include <string>

namespace aoeh::cli {

struct PlanRunOptions {
  std::string plan;
  std::optional<std::uint64_t> seed;
  std::string out;   // directory for capture.pcap and results.json ("" : reports/runs/<id>/)
  bool json = false; // results.json on stdout instead of the timeline and summary
  std::string backend = "sim";  // or "ns3" (sim/ns3/ns3_plan.hpp)
};

// Exit codes: 0 every expectation held, 1 one failed, 2 bad plan or output directory.
int run_plan_file(const PlanRunOptions& options);

}  // namespace aoeh::cli
