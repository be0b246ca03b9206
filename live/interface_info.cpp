#include "live/interface_info.hpp"

#include <net/if.h>
#include <net/if_arp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "live/errors.hpp"

namespace aoeh::live {
namespace {

std::string quoted(std::string_view name) { return "'" + std::string(name) + "'"; }

ifreq request_for(std::string_view name) {
  ifreq req{};
  std::memcpy(req.ifr_name, name.data(), name.size());  // length checked by the caller
  return req;
}

// ENODEV is the kernel's answer for an unknown name; anything else is a real failure.
[[noreturn]] void throw_ioctl(std::string_view name, const char* what, int err) {
  if (err == ENODEV || err == ENXIO) {
    throw LiveError(LiveErrc::NoSuchInterface, "no interface " + quoted(name) + " in this network namespace");
  }
  throw LiveError(LiveErrc::SocketError, std::string(what) + " on " + quoted(name) + ": " + std::strerror(err));
}

}  // namespace

InterfaceInfo read_interface(int fd, std::string_view name) {
  if (name.empty() || name.size() >= IFNAMSIZ || name.find('/') != std::string_view::npos) {
    throw LiveError(LiveErrc::NoSuchInterface,
                    "no interface " + quoted(name) + " (names are 1 to " + std::to_string(IFNAMSIZ - 1) + " characters)");
  }
  InterfaceInfo info;
  info.name = std::string(name);

  ifreq req = request_for(name);
  if (::ioctl(fd, SIOCGIFINDEX, &req) < 0) throw_ioctl(name, "SIOCGIFINDEX", errno);
  info.index = req.ifr_ifindex;

  req = request_for(name);
  if (::ioctl(fd, SIOCGIFHWADDR, &req) < 0) throw_ioctl(name, "SIOCGIFHWADDR", errno);
  if (req.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
    throw LiveError(LiveErrc::NotEthernet,
                    "interface " + quoted(name) + " is not Ethernet (hardware type " +
                        std::to_string(req.ifr_hwaddr.sa_family) + "); AoE needs Ethernet framing");
  }
  info.mac = proto::MacAddress::from(reinterpret_cast<const std::uint8_t*>(req.ifr_hwaddr.sa_data));

  req = request_for(name);
  if (::ioctl(fd, SIOCGIFMTU, &req) < 0) throw_ioctl(name, "SIOCGIFMTU", errno);
  info.mtu = static_cast<std::uint32_t>(req.ifr_mtu);

  req = request_for(name);
  if (::ioctl(fd, SIOCGIFFLAGS, &req) < 0) throw_ioctl(name, "SIOCGIFFLAGS", errno);
  info.up = (req.ifr_flags & IFF_UP) != 0;
  info.running = (req.ifr_flags & IFF_RUNNING) != 0;
  return info;
}

InterfaceInfo read_interface(std::string_view name) {
  // An AF_UNIX socket needs no privilege and still reaches the interface ioctls of its namespace.
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw LiveError(LiveErrc::SocketError, std::string("socket(AF_UNIX): ") + std::strerror(errno));
  try {
    InterfaceInfo info = read_interface(fd, name);
    ::close(fd);
    return info;
  } catch (...) {
    ::close(fd);
    throw;
  }
}

}  // namespace aoeh::live
