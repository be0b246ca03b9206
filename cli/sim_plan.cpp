#include "cli/sim_plan.hpp"

#include <chrono>
#include <fstream>
#include <iostream>

#include "cli/command.hpp"
#include "faults/plan_parser.hpp"
#include "faults/report.hpp"
#include "faults/scenario.hpp"
#include "reports/run_directory.hpp"
#include "sim/ns3/ns3_plan.hpp"

namespace aoeh::cli {

int run_plan_file(const PlanRunOptions& o) {
  const auto parsed = faults::load_plan(o.plan);
  if (!parsed.ok()) {
    std::cerr << "aoeh sim: " << o.plan << ": " << parsed.error.to_string() << "\n";
    return kExitUsage;
  }
  // Before any output directory exists: a plan ns-3 cannot run is a usage error, named.
  if (o.backend == "ns3")
    if (const auto why = ns3sim::unsupported(*parsed.plan)) {
      std::cerr << "aoeh sim: " << o.plan << ": " << *why << "\n";
      return kExitUsage;
    }
  std::string error;
  const auto dir = o.out.empty()
                       ? reports::RunDirectory::create_default(reports::make_run_id(std::chrono::system_clock::now()),
                                                               reports::kDefaultRunsRoot, &error)
                       : reports::RunDirectory::open_out(o.out, &error);
  if (!dir) {
    std::cerr << "aoeh sim: " << error << "\n";
    return kExitUsage;
  }
  faults::RunOptions run;
  run.seed = o.seed;
  run.pcap_path = dir->capture_pcap().string();
  faults::ScenarioResult result;
  try {
    result = o.backend == "ns3" ? ns3sim::run_plan(*parsed.plan, run) : faults::run_plan(*parsed.plan, run);
  } catch (const std::exception& e) {
    std::cerr << "aoeh sim: " << e.what() << "\n";
    return kExitUsage;
  }
  const auto doc = faults::result_to_json(*parsed.plan, result);
  {
    std::ofstream out(dir->results_json());
    out << doc.dump(2) << "\n";
    if (!out) {
      std::cerr << "aoeh sim: cannot write " << dir->results_json().string() << "\n";
      return kExitUsage;
    }
  }
  if (o.json) {
    std::cout << doc.dump(2) << "\n";
  } else {
    std::cout << "aoeh sim " << o.plan << " (plan " << result.plan_name << ", seed " << result.seed
              << (o.backend == "ns3" ? ", ns-3 backend" : "") << ")\n";
    faults::print_timeline(std::cout, result);
    faults::print_summary(std::cout, *parsed.plan, result);
    std::cout << "results: " << dir->results_json().string() << "\n";
  }
  return result.passed ? kExitOk : kExitCheckFailed;
}

}  // namespace aoeh::cli
