// Interface facts and the typed errors of opening a port, checked against `ip` in a private namespace.
#include <linux/capability.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <regex>

#include "live/errors.hpp"
#include "live/interface_info.hpp"
#include "live/tests/live_test_support.hpp"

namespace aoeh::live::testing {
namespace {

struct IpFacts {
  int index = 0;
  std::uint32_t mtu = 0;
  std::string mac;
};

// The same facts as `ip -o link show` reports them: an independent reading of the kernel's state.
IpFacts ip_link_facts(const NetnsFixture& ns, const std::string& ifname) {
  const CommandResult r = ns.run_in({"ip", "-o", "link", "show", ifname});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::smatch m;
  IpFacts f;
  if (std::regex_search(r.output, m, std::regex(R"(^(\d+): )"))) f.index = std::stoi(m[1].str());
  if (std::regex_search(r.output, m, std::regex(R"( mtu (\d+) )"))) f.mtu = static_cast<std::uint32_t>(std::stoul(m[1].str()));
  if (std::regex_search(r.output, m, std::regex(R"(link/ether ([0-9a-f:]{17}))"))) f.mac = m[1].str();
  return f;
}

template <class Fn>
LiveErrc error_of(Fn&& fn) {
  try {
    fn();
  } catch (const LiveError& e) {
    EXPECT_FALSE(std::string(e.what()).empty());
    return e.code();
  }
  ADD_FAILURE() << "no LiveError thrown";
  return LiveErrc::SocketError;
}

using InterfaceInfoTest = LiveTest;

TEST_F(InterfaceInfoTest, ReadsIndexMacMtuAndStateAsIpShowsThem) {
  NetnsFixture ns({.pairs = 1, .mtu = 9000});
  const IpFacts facts = ip_link_facts(ns, "ini0");
  const InterfaceInfo info = read_interface("ini0");
  EXPECT_EQ(info.name, "ini0");
  EXPECT_EQ(info.index, facts.index);
  EXPECT_EQ(info.mtu, 9000u);
  EXPECT_EQ(info.mtu, facts.mtu);
  EXPECT_EQ(info.mac.to_string(), facts.mac);
  EXPECT_TRUE(info.up);
  EXPECT_TRUE(info.running);

  ns.set_mtu(0, 1500);
  EXPECT_EQ(read_interface("ini0").mtu, 1500u);
  EXPECT_NE(read_interface("tgt0").mac, info.mac);
}

TEST_F(InterfaceInfoTest, PeerDownLeavesInterfaceUpButNotRunning) {
  NetnsFixture ns;
  ns.set_link("tgt0", false);
  ns.wait_operstate("ini0", false);  // the kernel applies the carrier change asynchronously
  const InterfaceInfo info = read_interface("ini0");
  EXPECT_TRUE(info.up);
  EXPECT_FALSE(info.running);
}

TEST_F(InterfaceInfoTest, UnknownInterfaceIsNoSuchInterface) {
  NetnsFixture ns;
  EXPECT_EQ(error_of([] { read_interface("nosuch0"); }), LiveErrc::NoSuchInterface);
  EXPECT_EQ(error_of([] { read_interface("a-name-far-too-long-for-linux"); }), LiveErrc::NoSuchInterface);
  EXPECT_EQ(error_of([] { read_interface(""); }), LiveErrc::NoSuchInterface);
  boost::asio::io_context io;
  EXPECT_EQ(error_of([&] { RawPort::open(io, "nosuch0"); }), LiveErrc::NoSuchInterface);
  try {
    RawPort::open(io, "nosuch0");
  } catch (const LiveError& e) {
    EXPECT_NE(std::string(e.what()).find("nosuch0"), std::string::npos) << e.what();
  }
}

TEST_F(InterfaceInfoTest, LoopbackIsNotEthernet) {
  NetnsFixture ns;
  boost::asio::io_context io;
  RawPortOptions any_state;
  any_state.require_up = false;  // lo is down in a fresh namespace
  EXPECT_EQ(error_of([&] { RawPort::open(io, "lo", any_state); }), LiveErrc::NotEthernet);
}

TEST_F(InterfaceInfoTest, DownInterfaceIsRefused) {
  NetnsFixture ns;
  ns.set_link("ini0", false);
  EXPECT_FALSE(read_interface("ini0").up);
  boost::asio::io_context io;
  EXPECT_EQ(error_of([&] { RawPort::open(io, "ini0"); }), LiveErrc::InterfaceDown);
  RawPortOptions any_state;
  any_state.require_up = false;
  EXPECT_NO_THROW(RawPort::open(io, "ini0", any_state));
}

TEST_F(InterfaceInfoTest, MtuTooSmallForOneSectorIsRefused) {
  NetnsFixture ns;
  ns.set_mtu(0, kMinAoeMtu - 1);
  boost::asio::io_context io;
  EXPECT_EQ(error_of([&] { RawPort::open(io, "ini0"); }), LiveErrc::MtuTooSmall);
  ns.set_mtu(0, kMinAoeMtu);
  EXPECT_NO_THROW(RawPort::open(io, "ini0"));
}

// Drops CAP_NET_RAW from the effective set in a child and reports what RawPort::open threw.
TEST_F(InterfaceInfoTest, MissingCapNetRawIsNoPermission) {
  NetnsFixture ns;
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2]{};
    if (::syscall(SYS_capget, &header, data) != 0) ::_exit(10);
    data[CAP_NET_RAW / 32].effective &= ~(1u << (CAP_NET_RAW % 32));
    if (::syscall(SYS_capset, &header, data) != 0) ::_exit(11);
    boost::asio::io_context io;
    try {
      RawPort::open(io, "ini0");
    } catch (const LiveError& e) {
      ::_exit(e.code() == LiveErrc::NoPermission ? 0 : 20 + static_cast<int>(e.code()));
    } catch (...) {
      ::_exit(12);
    }
    ::_exit(13);  // opened a raw socket without the capability
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "child exit code (13: opened without CAP_NET_RAW; 2x: other LiveErrc)";
}

}  // namespace
}  // namespace aoeh::live::testing
