#pragma once
// Runs selected catalogue tests against a World: device identity first (Query Config on every probe
// port, then IDENTIFY), then each test with its evidence, restoring whatever it changed. The result
// is the report model (reports/model.hpp) plus the capture of every frame.
#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "conformance/catalogue.hpp"
#include "conformance/probe.hpp"
#include "reports/model.hpp"
#include "sim/world.hpp"

namespace aoeh::conformance {

struct RunOptions {
  proto::DeviceAddress target{1, 1};
  std::vector<std::string> patterns;  // globs; empty selects every test
  bool allow_write = false;
  bool read_only_target = false;      // the user says writes must be refused
  bool fresh_start = false;           // the target starts with the world: its announcement is expected
  Nanos announce_window = 0;          // listen this long for announcements before the first request
  ProbeTiming timing;
  const std::atomic<bool>* stop = nullptr;  // set by Ctrl-C: restore, skip the rest, report
  // Report header facts.
  std::string mode = "sim";
  std::string run_id;
  std::string started_at;
  std::optional<std::uint64_t> seed;
};

struct Progress {
  std::size_t index = 0;  // 0-based position among the selected tests
  std::size_t total = 0;
  const TestInfo* test = nullptr;
  const reports::TestResult* result = nullptr;  // null when the test is starting
};

struct RunOutput {
  reports::Report report;
  std::vector<CapturedFrame> capture;
  int exit_code = 0;               // 0 every MUST passed, 1 a MUST failed/errored, 2 environment error
  std::string environment_error;   // set with exit code 2 (e.g. the target never answered)
  bool interrupted = false;
};

using ProgressFn = std::function<void(const Progress&)>;

RunOutput run_suite(sim::World& world, const std::vector<const TestCase*>& tests, const RunOptions& options,
                    const ProgressFn& progress = {});

// 1 when a MUST test failed or errored, else 0.
int exit_code_for(const reports::Report& report);

}  // namespace aoeh::conformance
