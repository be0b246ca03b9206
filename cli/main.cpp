// The `aoeh` command: thin subcommands over the libraries.
// Exit codes: 0 success, 1 a check failed, 2 usage or environment error.
#include <CLI/CLI.hpp>

#include <vector>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  using namespace aoeh::cli;
  CLI::App app{"aoeh: ATA over Ethernet simulation and conformance harness"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("aoeh 0.1.0"));
  app.footer("Exit codes: 0 success, 1 a check failed, 2 usage or environment error (or interrupted).\n"
             "Run `aoeh COMMAND --help` for each command's options and examples.");

  std::vector<Command> commands;
  commands.push_back(add_selftest_command(app));
  commands.push_back(add_stat_command(app));
  commands.push_back(add_ping_command(app));
  commands.push_back(add_read_command(app));
  commands.push_back(add_write_command(app));
  commands.push_back(add_bench_command(app));
  commands.push_back(add_serve_command(app));
#ifdef AOEH_HAVE_SIM
  commands.push_back(add_sim_command(app));
#endif
  commands.push_back(add_certify_command(app));
#ifdef AOEH_HAVE_FAULTS
  commands.push_back(add_soak_command(app));
  commands.push_back(add_relay_command(app));
#endif

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : kExitUsage;
  }

  for (const auto& c : commands) {
    if (c.app->parsed()) return c.run();
  }
  return kExitUsage;
}
