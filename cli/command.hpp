#pragma once
// One `aoeh` subcommand: its CLI11 app with options registered, and what runs when it is chosen.
#include <CLI/CLI.hpp>

#include <functional>

namespace aoeh::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitCheckFailed = 1;  // ran, but what was checked did not hold
inline constexpr int kExitUsage = 2;        // usage or environment error, or interrupted

struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;  // returns the exit code
};

}  // namespace aoeh::cli
