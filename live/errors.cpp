#include "live/errors.hpp"

namespace aoeh::live {

const char* live_errc_name(LiveErrc e) {
  switch (e) {
    case LiveErrc::NoPermission: return "no-permission";
    case LiveErrc::NoSuchInterface: return "no-such-interface";
    case LiveErrc::InterfaceDown: return "interface-down";
    case LiveErrc::NotEthernet: return "not-ethernet";
    case LiveErrc::MtuTooSmall: return "mtu-too-small";
    case LiveErrc::SocketError: return "socket-error";
  }
  return "unknown";
}

}  // namespace aoeh::live
