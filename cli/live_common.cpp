#include "cli/live_common.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "cli/command.hpp"
#include "live/errors.hpp"

namespace aoeh::cli {

int usage_error(const std::string& name, const std::string& message) {
  std::cerr << "aoeh " << name << ": " << message << "\n";
  return kExitUsage;
}

int run_guarded(const std::string& name, const std::function<int()>& body) {
  try {
    return body();
  } catch (const live::LiveError& e) {
    return usage_error(name, e.what());
  } catch (const std::exception& e) {
    return usage_error(name, e.what());
  }
}

std::vector<live::RawPort> open_ports(boost::asio::io_context& io, const std::vector<std::string>& interfaces,
                                      const live::RawPortOptions& options) {
  std::vector<live::RawPort> ports;
  for (const auto& name : interfaces) ports.push_back(live::RawPort::open(io, name, options));
  return ports;
}

std::string human_bytes(std::uint64_t bytes) {
  static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 5) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  if (u == 0) {
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  } else {
    std::snprintf(buf, sizeof buf, v >= 100 ? "%.0f %s" : v >= 10 ? "%.1f %s" : "%.2f %s", v, units[u]);
  }
  return buf;
}

bool stdout_is_terminal() { return ::isatty(STDOUT_FILENO) == 1; }

}  // namespace aoeh::cli
