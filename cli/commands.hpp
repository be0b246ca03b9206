#pragma once
// Every `aoeh` subcommand registers itself on the top-level app through one of these (one file
// each: cli/<name>_command.cpp); cli/main.cpp runs the one that was parsed.
#include "cli/command.hpp"

namespace aoeh::cli {

Command add_selftest_command(CLI::App& parent);
Command add_stat_command(CLI::App& parent);
Command add_ping_command(CLI::App& parent);
Command add_read_command(CLI::App& parent);
Command add_write_command(CLI::App& parent);
Command add_bench_command(CLI::App& parent);
Command add_serve_command(CLI::App& parent);
Command add_sim_command(CLI::App& parent);  // built when the simulator has engine and target (AOEH_HAVE_SIM)
Command add_certify_command(CLI::App& parent);
Command add_soak_command(CLI::App& parent);  // with the fault library (AOEH_HAVE_FAULTS)
Command add_relay_command(CLI::App& parent);  // with the fault library (AOEH_HAVE_FAULTS)

}  // namespace aoeh::cli
