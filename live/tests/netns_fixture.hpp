#pragma once
// A private network namespace with veth pairs and vblade peers, for live tests.
//
// How tests run inside the namespace: the fixture creates a uniquely named namespace
// ("aoeh<pid>.<n>", at most 15 characters) with `ip netns add`, builds veth pairs in it with
// `ip -n`, and then moves the *calling thread* into it with setns(2) for the fixture's lifetime.
// Everything the test body does (RawPort::open, read_interface, forked children) therefore
// happens in the namespace; the destructor moves the thread back before deleting the namespace.
// Nothing is ever created or changed outside it, so the veth names inside are fixed and short
// ("ini0"/"tgt0", "ini1"/"tgt1", ...): the namespace name is what keeps parallel tests apart.
//
// Clean-up: the destructor (and a failing constructor) stops every vblade, returns to the
// original namespace, deletes the namespace and the temporary directory. If the test process
// is killed instead, its vblades die with it (PR_SET_PDEATHSIG) and the next fixture deletes
// namespaces whose owning pid no longer exists.
//
// Peer (vblade, aoeh serve) readiness is its start-up announcement (a Query Config response) arriving on the
// initiator end of the pair, not a sleep.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "live/tests/process.hpp"
#include "protocol/device_address.hpp"
#include "protocol/mac_address.hpp"

namespace aoeh::live::testing {

// Why live tests cannot run on this machine ("" when they can): not root, ip or vblade missing.
std::string live_skip_reason();
// The whole file as bytes ("" when it cannot be read): logs, backing files, data read back.
std::string read_file_text(const std::string& path);

struct NetnsOptions {
  int pairs = 1;               // veth pairs ini<i> <-> tgt<i>
  std::uint32_t mtu = 1500;    // on both ends of every pair
};

class NetnsFixture {
 public:
  explicit NetnsFixture(NetnsOptions options = {});
  ~NetnsFixture();
  NetnsFixture(const NetnsFixture&) = delete;
  NetnsFixture& operator=(const NetnsFixture&) = delete;

  const std::string& name() const { return name_; }
  int pairs() const { return options_.pairs; }
  static std::string initiator_if(int pair) { return "ini" + std::to_string(pair); }
  static std::string target_if(int pair) { return "tgt" + std::to_string(pair); }
  proto::MacAddress mac_of(const std::string& ifname) const;

  void set_mtu(int pair, std::uint32_t mtu);   // both ends of the pair
  void set_link(const std::string& ifname, bool up);
  // Waits until `ip link` shows the interface's operational state as UP (or as not UP): the
  // kernel sets it (and IFF_RUNNING) asynchronously after a carrier change. Throws on timeout.
  void wait_operstate(const std::string& ifname, bool up,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

  // A directory removed with the fixture, and a file in it of `bytes` deterministic pseudo-random
  // content (seeded), for vblade to serve.
  const std::string& temp_dir() const { return temp_dir_; }
  std::string make_backing_file(const std::string& file_name, std::uint64_t bytes, std::uint32_t seed);

  // Starts a target peer (argv runs through `ip netns exec NAME`) that serves `address` on
  // tgt<pair>, and returns once its start-up announcement has arrived on ini<pair>. Throws (with
  // the peer's log) when it exits or stays silent. The handle names it for stop_peer / peer_log.
  int start_peer(int pair, proto::DeviceAddress address, const std::vector<std::string>& argv);
  // `vblade -b bufcnt [extra...] SHELF SLOT tgt<pair> FILE` through start_peer.
  int start_vblade(int pair, proto::DeviceAddress address, const std::string& file, int bufcnt = 16,
                   const std::vector<std::string>& extra_args = {});
  void stop_peer(int handle);
  bool peer_running(int handle);
  std::string peer_log(int handle) const;

  // Runs argv in the namespace through `ip netns exec NAME argv...`.
  CommandResult run_in(const std::vector<std::string>& argv,
                       std::chrono::milliseconds timeout = std::chrono::seconds(120)) const;

 private:
  struct Peer {
    pid_t pid = -1;
    std::string log;
  };
  void create();
  void cleanup() noexcept;
  void ip(const std::vector<std::string>& args) const;  // `ip -n NAME args...`, throws on failure

  NetnsOptions options_;
  std::string name_;
  std::string temp_dir_;
  int original_netns_fd_ = -1;
  bool entered_ = false;
  bool created_ = false;
  std::vector<Peer> peers_;
  boost::asio::io_context io_;
};

}  // namespace aoeh::live::testing
