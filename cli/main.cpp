// The `aoeh` command: thin subcommands over the libraries.
// Exit codes: 0 success, 1 a check failed, 2 usage or environment error.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/selftest.hpp"

int main(int argc, char** argv) {
  CLI::App app{"aoeh: ATA over Ethernet simulation and conformance harness"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("aoeh 0.1.0"));

  auto* selftest = app.add_subcommand("selftest", "Encode and parse one frame of every AoE kind and print the result");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }

  if (selftest->parsed()) return aoeh::cli::run_selftest(std::cout);
  return 2;
}
