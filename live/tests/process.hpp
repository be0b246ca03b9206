#pragma once
// Child processes for live tests: run a command to completion with its output captured, or start a
// long-running one (vblade) that dies with the test process even if the test crashes.
#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace aoeh::live::testing {

struct CommandResult {
  int exit_code = -1;      // -1 when killed by a signal or the timeout
  bool timed_out = false;
  std::string output;      // stdout and stderr interleaved
};

// Runs argv (no shell) and waits for it, killing it after `timeout`.
CommandResult run_command(const std::vector<std::string>& argv,
                          std::chrono::milliseconds timeout = std::chrono::seconds(120));

// Starts argv with stdout/stderr appended to `log_path`. The child gets SIGKILL when the test
// process dies (PR_SET_PDEATHSIG), so a crashed test leaves no peer running. Throws on failure.
pid_t spawn_logged(const std::vector<std::string>& argv, const std::string& log_path);

// Sends SIGTERM, waits up to `grace`, then SIGKILL; reaps the child. Safe on already-reaped pids.
void stop_process(pid_t pid, std::chrono::milliseconds grace = std::chrono::seconds(2));

// True while the child has not exited (reaps it if it has).
bool process_running(pid_t pid);

// Absolute path of an executable found on PATH (plus /usr/sbin and /sbin), or "".
std::string find_program(const std::string& name);

}  // namespace aoeh::live::testing
