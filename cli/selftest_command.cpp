// `aoeh selftest`: registration of the protocol self-check (cli/selftest.cpp).
#include <iostream>

#include "cli/commands.hpp"
#include "cli/selftest.hpp"

namespace aoeh::cli {

Command add_selftest_command(CLI::App& parent) {
  auto* app = parent.add_subcommand("selftest", "Encode and parse one frame of every AoE kind and print the result");
  return {app, [] { return run_selftest(std::cout); }};
}

}  // namespace aoeh::cli
