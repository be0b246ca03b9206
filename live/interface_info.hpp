#pragma once
// Facts about one network interface, read from the kernel (SIOCGIF* ioctls) in the calling
// thread's network namespace.
#include <cstdint>
#include <string>
#include <string_view>

#include "protocol/constants.hpp"
#include "protocol/mac_address.hpp"

namespace aoeh::live {

// Smallest MTU that carries one sector per ATA frame, by the (mtu - 36) / 512 rule vblade and the
// Linux driver use.
inline constexpr std::uint32_t kMinAoeMtu = proto::kAtaHeaderSize + proto::kSectorSize;

struct InterfaceInfo {
  std::string name;
  int index = 0;
  proto::MacAddress mac;
  std::uint32_t mtu = 0;
  bool up = false;       // IFF_UP: administratively up
  bool running = false;  // IFF_RUNNING: carrier present (a veth whose peer is down is up, not running)
};

// Throws LiveError: NoSuchInterface (also for names that cannot exist), NotEthernet, SocketError.
InterfaceInfo read_interface(std::string_view name);
// The same through an existing socket of any family (the socket's namespace is the one asked).
InterfaceInfo read_interface(int fd, std::string_view name);

}  // namespace aoeh::live
