#pragma once
// Typed environment errors of the live layer. Each carries a one-line message fit for a user:
// the CLI prints it and exits 2.
#include <stdexcept>
#include <string>

namespace aoeh::live {

enum class LiveErrc {
  NoPermission,      // AF_PACKET needs CAP_NET_RAW
  NoSuchInterface,
  InterfaceDown,
  NotEthernet,       // loopback, tun, ...: no Ethernet framing
  MtuTooSmall,       // cannot carry one 512-byte sector per frame
  SocketError,       // any other system call failure
};
const char* live_errc_name(LiveErrc e);

class LiveError : public std::runtime_error {
 public:
  LiveError(LiveErrc code, const std::string& message) : std::runtime_error(message), code_(code) {}
  LiveErrc code() const { return code_; }

 private:
  LiveErrc code_;
};

}  // namespace aoeh::live
