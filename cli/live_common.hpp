#pragma once
// What the live subcommands share: guarded execution with one-line errors, opening ports, and
// human-readable sizes.
#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "live/raw_port.hpp"

namespace aoeh::cli {

// Runs `body`; a LiveError or any other exception becomes "aoeh NAME: message" on stderr and exit
// code 2 (environment error).
int run_guarded(const std::string& name, const std::function<int()>& body);

// Prints "aoeh NAME: message" to stderr and returns 2.
int usage_error(const std::string& name, const std::string& message);

// Opens every interface (throws LiveError with the first failure).
std::vector<live::RawPort> open_ports(boost::asio::io_context& io, const std::vector<std::string>& interfaces,
                                      const live::RawPortOptions& options = {});

// "64.0 MiB", "1.50 GiB", "512 B".
std::string human_bytes(std::uint64_t bytes);

// True when stdout is a terminal (progress lines and colour only then).
bool stdout_is_terminal();

}  // namespace aoeh::cli
