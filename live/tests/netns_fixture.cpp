#include "live/tests/netns_fixture.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "live/interface_info.hpp"
#include "live/raw_port.hpp"
#include "protocol/frame.hpp"

namespace aoeh::live::testing {
namespace {

std::atomic<int> g_counter{0};
constexpr auto kPeerReadyTimeout = std::chrono::seconds(10);

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

bool pid_alive(long pid) { return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM; }

// Namespaces named by this fixture whose creating process is gone were left by a killed test.
void sweep_stale_namespaces() {
  std::error_code ec;
  const std::regex ours(R"(aoeh([0-9]+)\.([0-9]+))");
  for (const auto& entry : std::filesystem::directory_iterator("/run/netns", ec)) {
    const std::string n = entry.path().filename().string();
    std::smatch m;
    if (!std::regex_match(n, m, ours)) continue;
    if (pid_alive(std::stol(m[1].str()))) continue;
    (void)run_command({"ip", "netns", "del", n}, std::chrono::seconds(10));
  }
}

}  // namespace

std::string read_file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string live_skip_reason() {
  if (::geteuid() != 0) return "live tests need root (network namespaces, veth, raw sockets); run ctest as root";
  if (find_program("ip").empty()) return "iproute2 `ip` not found (scripts/deps.sh installs it)";
  if (find_program("vblade").empty()) return "vblade not found (scripts/deps.sh installs it)";
  return {};
}

NetnsFixture::NetnsFixture(NetnsOptions options) : options_(options) {
  if (options_.pairs < 1 || options_.pairs > 8) throw std::invalid_argument("NetnsFixture: pairs must be 1..8");
  try {
    create();
  } catch (...) {
    cleanup();
    throw;
  }
}

NetnsFixture::~NetnsFixture() { cleanup(); }

void NetnsFixture::create() {
  sweep_stale_namespaces();
  name_ = "aoeh" + std::to_string(::getpid()) + "." + std::to_string(g_counter++);
  if (name_.size() > 15) throw std::runtime_error("namespace name too long: " + name_);

  char dir_template[] = "/tmp/aoeh-live-XXXXXX";
  if (::mkdtemp(dir_template) == nullptr) throw std::runtime_error(errno_text("mkdtemp"));
  temp_dir_ = dir_template;

  const CommandResult add = run_command({"ip", "netns", "add", name_}, std::chrono::seconds(10));
  if (add.exit_code != 0) throw std::runtime_error("ip netns add " + name_ + " failed: " + add.output);
  created_ = true;

  for (int i = 0; i < options_.pairs; ++i) {
    ip({"link", "add", initiator_if(i), "type", "veth", "peer", "name", target_if(i)});
    set_mtu(i, options_.mtu);
    ip({"link", "set", initiator_if(i), "up"});
    ip({"link", "set", target_if(i), "up"});
  }
  for (int i = 0; i < options_.pairs; ++i) {
    wait_operstate(initiator_if(i), true);
    wait_operstate(target_if(i), true);
  }

  original_netns_fd_ = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (original_netns_fd_ < 0) throw std::runtime_error(errno_text("open /proc/thread-self/ns/net"));
  const int ns_fd = ::open(("/run/netns/" + name_).c_str(), O_RDONLY | O_CLOEXEC);
  if (ns_fd < 0) throw std::runtime_error(errno_text("open /run/netns/" + name_));
  const int rc = ::setns(ns_fd, CLONE_NEWNET);
  ::close(ns_fd);
  if (rc != 0) throw std::runtime_error(errno_text("setns " + name_));
  entered_ = true;
}

void NetnsFixture::cleanup() noexcept {
  for (auto& p : peers_) {
    stop_process(p.pid);
    p.pid = -1;
  }
  if (entered_) {
    // Back to where we came from before the namespace disappears under the thread.
    if (::setns(original_netns_fd_, CLONE_NEWNET) == 0) entered_ = false;
  }
  if (original_netns_fd_ >= 0) {
    ::close(original_netns_fd_);
    original_netns_fd_ = -1;
  }
  if (created_) {
    try {
      (void)run_command({"ip", "netns", "del", name_}, std::chrono::seconds(10));
    } catch (...) {
    }
    created_ = false;
  }
  if (!temp_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(temp_dir_, ec);
    temp_dir_.clear();
  }
}

void NetnsFixture::ip(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{"ip", "-n", name_};
  argv.insert(argv.end(), args.begin(), args.end());
  const CommandResult r = run_command(argv, std::chrono::seconds(10));
  if (r.exit_code != 0) {
    std::string cmd;
    for (const auto& a : argv) cmd += a + " ";
    throw std::runtime_error(cmd + "failed: " + r.output);
  }
}

proto::MacAddress NetnsFixture::mac_of(const std::string& ifname) const {
  // The thread is inside the namespace, so the kernel answers for our interfaces.
  return read_interface(ifname).mac;
}

void NetnsFixture::set_mtu(int pair, std::uint32_t mtu) {
  ip({"link", "set", initiator_if(pair), "mtu", std::to_string(mtu)});
  ip({"link", "set", target_if(pair), "mtu", std::to_string(mtu)});
}

void NetnsFixture::set_link(const std::string& ifname, bool up) { ip({"link", "set", ifname, up ? "up" : "down"}); }

void NetnsFixture::wait_operstate(const std::string& ifname, bool up, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const std::regex state(R"( state (\w+) )");
  std::string last;
  while (std::chrono::steady_clock::now() < deadline) {
    const CommandResult r = run_command({"ip", "-n", name_, "-o", "link", "show", ifname}, std::chrono::seconds(5));
    std::smatch m;
    last = r.output;
    if (r.exit_code == 0 && std::regex_search(r.output, m, state) && (m[1].str() == "UP") == up) return;
    // Linkwatch applies carrier changes in the background; each `ip` run takes a few ms anyway.
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  throw std::runtime_error(ifname + " did not become operationally " + (up ? "up" : "not up") + ": " + last);
}

std::string NetnsFixture::make_backing_file(const std::string& file_name, std::uint64_t bytes, std::uint32_t seed) {
  const std::string path = temp_dir_ + "/" + file_name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot create " + path);
  std::uint64_t x = 0x9E3779B97F4A7C15ull ^ seed;
  std::vector<std::uint8_t> chunk(1 << 20);
  std::uint64_t left = bytes;
  while (left > 0) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, chunk.size()));
    for (std::size_t i = 0; i < n; i += 8) {
      x ^= x << 13;  // xorshift64: cheap, seeded, reproducible
      x ^= x >> 7;
      x ^= x << 17;
      for (std::size_t k = 0; k < 8 && i + k < n; ++k) chunk[i + k] = static_cast<std::uint8_t>(x >> (8 * k));
    }
    out.write(reinterpret_cast<const char*>(chunk.data()), static_cast<std::streamsize>(n));
    left -= n;
  }
  if (!out.flush()) throw std::runtime_error("cannot write " + path);
  return path;
}

int NetnsFixture::start_vblade(int pair, proto::DeviceAddress address, const std::string& file, int bufcnt,
                               const std::vector<std::string>& extra_args) {
  std::vector<std::string> argv{"vblade", "-b", std::to_string(bufcnt)};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  argv.insert(argv.end(), {std::to_string(address.shelf), std::to_string(address.slot), target_if(pair), file});
  return start_peer(pair, address, argv);
}

int NetnsFixture::start_peer(int pair, proto::DeviceAddress address, const std::vector<std::string>& argv) {
  if (pair < 0 || pair >= options_.pairs) throw std::invalid_argument("start_peer: no such pair");
  // Listen before the peer starts so its one announcement cannot be missed.
  RawPortOptions listen_options;
  listen_options.min_mtu = 0;
  RawPort listener = RawPort::open(io_, initiator_if(pair), listen_options);

  Peer peer;
  peer.log = temp_dir_ + "/peer" + std::to_string(peers_.size()) + ".log";
  std::vector<std::string> full{"ip", "netns", "exec", name_};
  full.insert(full.end(), argv.begin(), argv.end());
  peer.pid = spawn_logged(full, peer.log);
  peers_.push_back(peer);
  const int handle = static_cast<int>(peers_.size()) - 1;

  const proto::MacAddress target_mac = mac_of(target_if(pair));
  const auto deadline = std::chrono::steady_clock::now() + kPeerReadyTimeout;
  proto::ParseOptions lenient;
  lenient.require_version_1 = false;  // vblade announces with version nibble 0
  lenient.reject_reserved = false;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{listener.native_handle(), POLLIN, 0};
    (void)::poll(&p, 1, 100);  // wakes on the frame; the timeout only lets us notice an exit
    for (const auto& frame : listener.receive_batch()) {
      const auto msg = proto::parse_frame(frame, lenient);
      if (!msg.ok() || !msg->header.is_response() || msg->query_config() == nullptr) continue;
      if (msg->header.src == target_mac && msg->header.address() == address) return handle;
    }
    if (!peer_running(handle)) {
      throw std::runtime_error(argv[0] + " exited before announcing itself: " + peer_log(handle));
    }
  }
  throw std::runtime_error(argv[0] + " did not announce itself on " + initiator_if(pair) + " within 10 s: " +
                           peer_log(handle));
}

void NetnsFixture::stop_peer(int handle) {
  Peer& p = peers_.at(static_cast<std::size_t>(handle));
  stop_process(p.pid);
  p.pid = -1;
}

bool NetnsFixture::peer_running(int handle) {
  Peer& p = peers_.at(static_cast<std::size_t>(handle));
  if (p.pid <= 0) return false;
  if (process_running(p.pid)) return true;
  p.pid = -1;
  return false;
}

std::string NetnsFixture::peer_log(int handle) const {
  return read_file_text(peers_.at(static_cast<std::size_t>(handle)).log);
}

CommandResult NetnsFixture::run_in(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) const {
  std::vector<std::string> full{"ip", "netns", "exec", name_};
  full.insert(full.end(), argv.begin(), argv.end());
  return run_command(full, timeout);
}

}  // namespace aoeh::live::testing
