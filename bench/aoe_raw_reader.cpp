// aoe_raw_reader: the baseline for `aoeh bench`. A deliberately minimal pipelined AoE sequential
// reader on one AF_PACKET socket: find the target (Query Config), size it (IDENTIFY), then keep
// `depth` READ requests in flight, one per free slot, for a fixed time. No engine, no congestion
// control, no multipath: whatever this reaches is what the wire and the target allow.
//
//   aoe_raw_reader --iface IF --target eS.L [--seconds S] [--depth N] [--json]
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "protocol/ata.hpp"
#include "protocol/frame.hpp"
#include "protocol/identify.hpp"
#include "protocol/query_config.hpp"

#ifndef PACKET_IGNORE_OUTGOING  // Linux 4.20; older headers lack the name
#define PACKET_IGNORE_OUTGOING 23
#endif

namespace {

using namespace aoeh;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kBatch = 64;
constexpr auto kRetransmitAfter = std::chrono::milliseconds(200);

[[noreturn]] void die(const std::string& msg) {
  std::fprintf(stderr, "aoe_raw_reader: %s\n", msg.c_str());
  std::exit(2);
}

struct Options {
  std::string iface;
  proto::DeviceAddress target;
  double seconds = 5;
  unsigned depth = 0;  // 0: the target's buffer count
  bool json = false;
};

Options parse_args(int argc, char** argv) {
  Options o;
  bool have_target = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die("missing value for " + a);
      return argv[++i];
    };
    if (a == "--iface") {
      o.iface = value();
    } else if (a == "--target") {
      const auto t = proto::DeviceAddress::parse(value());
      if (!t) die("--target wants eS.L");
      o.target = *t;
      have_target = true;
    } else if (a == "--seconds") {
      o.seconds = std::atof(value().c_str());
    } else if (a == "--depth") {
      o.depth = static_cast<unsigned>(std::atoi(value().c_str()));
      if (o.depth > 256) die("--depth is at most 256");
    } else if (a == "--json") {
      o.json = true;
    } else {
      die("usage: aoe_raw_reader --iface IF --target eS.L [--seconds S] [--depth N] [--json]");
    }
  }
  if (o.iface.empty() || !have_target) die("--iface and --target are required");
  if (o.seconds <= 0) die("--seconds must be positive");
  return o;
}

struct Socket {
  int fd = -1;
  proto::MacAddress mac;
  unsigned mtu = 0;
};

Socket open_socket(const std::string& iface) {
  Socket s;
  s.fd = ::socket(AF_PACKET, SOCK_RAW, 0);
  if (s.fd < 0) die(std::string("socket: ") + std::strerror(errno));
  ifreq req{};
  std::strncpy(req.ifr_name, iface.c_str(), IFNAMSIZ - 1);
  if (::ioctl(s.fd, SIOCGIFINDEX, &req) < 0) die("no interface " + iface);
  const int index = req.ifr_ifindex;
  if (::ioctl(s.fd, SIOCGIFHWADDR, &req) < 0) die("SIOCGIFHWADDR failed");
  s.mac = proto::MacAddress::from(reinterpret_cast<const std::uint8_t*>(req.ifr_hwaddr.sa_data));
  if (::ioctl(s.fd, SIOCGIFMTU, &req) < 0) die("SIOCGIFMTU failed");
  s.mtu = static_cast<unsigned>(req.ifr_mtu);
  int rcvbuf = 8 << 20;
  (void)::setsockopt(s.fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf);
  // Our own requests would come back as receive copies and take half of every receive batch.
  int ignore_outgoing = 1;
  (void)::setsockopt(s.fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &ignore_outgoing, sizeof ignore_outgoing);
  sockaddr_ll sll{};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(proto::kEtherTypeAoE);
  sll.sll_ifindex = index;
  if (::bind(s.fd, reinterpret_cast<sockaddr*>(&sll), sizeof sll) < 0) die(std::string("bind: ") + std::strerror(errno));
  return s;
}

proto::Header header(const Socket& s, const proto::MacAddress& dst, proto::DeviceAddress to, proto::Command c,
                     std::uint32_t tag) {
  proto::Header h;
  h.src = s.mac;
  h.dst = dst;
  h.set_address(to);
  h.command = static_cast<std::uint8_t>(c);
  h.tag = tag;
  return h;
}

// Sends `frame` until a response with `tag` arrives (at most 5 s); returns its bytes.
std::vector<std::uint8_t> exchange(const Socket& s, std::span<const std::uint8_t> frame, std::uint32_t tag) {
  std::vector<std::uint8_t> buf(proto::kMaxFrameSize);
  const auto give_up = Clock::now() + std::chrono::seconds(5);
  while (Clock::now() < give_up) {
    if (::send(s.fd, frame.data(), frame.size(), 0) < 0) die(std::string("send: ") + std::strerror(errno));
    const auto resend = Clock::now() + std::chrono::milliseconds(500);
    while (Clock::now() < resend) {
      pollfd p{s.fd, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      const ssize_t n = ::recv(s.fd, buf.data(), buf.size(), 0);
      if (n <= 0) continue;
      const auto h = proto::parse_header({buf.data(), static_cast<std::size_t>(n)});
      if (h.ok() && h->is_response() && h->tag == tag && !h->is_error()) {
        buf.resize(static_cast<std::size_t>(n));
        return buf;
      }
    }
  }
  die("no answer from the target");
}

struct Slot {
  std::uint32_t tag = 0;
  Clock::time_point sent;
  std::uint64_t lba = 0;
};

}  // namespace

int main(int argc, char** argv) {
  const Options opt = parse_args(argc, argv);
  Socket s = open_socket(opt.iface);
  std::vector<std::uint8_t> frame(proto::kMaxFrameSize);

  // Discover: the reply gives the target's MAC, buffer count and sectors per request.
  const std::size_t qn = proto::encode_query_config(
      frame, header(s, proto::MacAddress::broadcast(), opt.target, proto::Command::QueryConfig, 0x7F000001u), {});
  const auto qreply = exchange(s, {frame.data(), qn}, 0x7F000001u);
  const auto qmsg = proto::parse_frame(qreply);
  if (!qmsg.ok() || qmsg->query_config() == nullptr) die("bad Query Config reply");
  const proto::MacAddress target_mac = qmsg->header.src;
  const unsigned bufcnt = qmsg->query_config()->buffer_count;
  const unsigned sectors = std::min(qmsg->query_config()->effective_sector_count(), proto::sectors_for_mtu(s.mtu));
  const unsigned depth = opt.depth != 0 ? opt.depth : std::max(1u, bufcnt);

  const std::size_t in = proto::encode_ata(
      frame, header(s, target_mac, opt.target, proto::Command::Ata, 0x7F000002u), proto::ata_identify_arg());
  const auto ireply = exchange(s, {frame.data(), in}, 0x7F000002u);
  if (ireply.size() < proto::kAtaHeaderSize + proto::kIdentifyPageSize) die("short IDENTIFY reply");
  const auto id = proto::parse_identify({ireply.data() + proto::kAtaHeaderSize, proto::kIdentifyPageSize});
  if (!id.ok() || id->capacity_sectors < sectors) die("target too small");
  const std::uint64_t capacity = id->capacity_sectors;

  // The pipeline: slot i's tag is (generation << 8) | i, so a stale reply never matches.
  std::vector<Slot> slots(depth);
  std::uint64_t next_lba = 0;
  std::uint32_t generation = 1;
  std::uint64_t bytes = 0, frames_done = 0, retransmits = 0;
  std::vector<std::uint8_t> tx(kBatch * proto::kMaxFrameSize);
  std::vector<iovec> tx_iov(kBatch);
  std::vector<mmsghdr> tx_msgs(kBatch);
  std::size_t tx_count = 0;
  auto flush = [&] {
    std::size_t done = 0;
    while (done < tx_count) {
      const int n = ::sendmmsg(s.fd, tx_msgs.data() + done, static_cast<unsigned>(tx_count - done), 0);
      if (n < 0) die(std::string("sendmmsg: ") + std::strerror(errno));
      done += static_cast<std::size_t>(n);
    }
    tx_count = 0;
  };
  auto queue_read = [&](std::size_t i, std::uint64_t lba, Clock::time_point now) {
    if (tx_count == kBatch) flush();  // never skip a request: its slot would idle until the retransmit
    slots[i] = {static_cast<std::uint32_t>((generation++ << 8) | i), now, lba};
    std::uint8_t* p = tx.data() + tx_count * proto::kMaxFrameSize;
    const std::size_t n = proto::encode_ata({p, proto::kMaxFrameSize},
                                            header(s, target_mac, opt.target, proto::Command::Ata, slots[i].tag),
                                            proto::ata_read_arg(lba, static_cast<std::uint8_t>(sectors), true));
    tx_iov[tx_count] = {p, n};
    tx_msgs[tx_count] = {};
    tx_msgs[tx_count].msg_hdr.msg_iov = &tx_iov[tx_count];
    tx_msgs[tx_count].msg_hdr.msg_iovlen = 1;
    ++tx_count;
  };
  auto next_read_lba = [&] {
    if (next_lba + sectors > capacity) next_lba = 0;  // wrap: sequential over the whole device
    const std::uint64_t lba = next_lba;
    next_lba += sectors;
    return lba;
  };

  const auto start = Clock::now();
  for (std::size_t i = 0; i < depth; ++i) queue_read(i, next_read_lba(), start);
  flush();

  std::vector<std::uint8_t> rx(kBatch * proto::kMaxFrameSize);
  std::vector<iovec> rx_iov(kBatch);
  std::vector<mmsghdr> rx_msgs(kBatch);
  for (std::size_t i = 0; i < kBatch; ++i) {
    rx_iov[i] = {rx.data() + i * proto::kMaxFrameSize, proto::kMaxFrameSize};
    rx_msgs[i] = {};
    rx_msgs[i].msg_hdr.msg_iov = &rx_iov[i];
    rx_msgs[i].msg_hdr.msg_iovlen = 1;
  }
  const auto end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(opt.seconds));
  const std::size_t reply_size = proto::kAtaHeaderSize + std::size_t{sectors} * proto::kSectorSize;
  Clock::time_point now = start;
  while (now < end) {
    pollfd p{s.fd, POLLIN, 0};
    (void)::poll(&p, 1, 50);
    const int n = ::recvmmsg(s.fd, rx_msgs.data(), kBatch, MSG_DONTWAIT, nullptr);
    now = Clock::now();
    for (int k = 0; k < n; ++k) {
      const std::uint8_t* f = rx.data() + static_cast<std::size_t>(k) * proto::kMaxFrameSize;
      const auto h = proto::parse_header({f, rx_msgs[static_cast<std::size_t>(k)].msg_len});
      if (!h.ok() || !h->is_response() || h->is_error() || h->command != 0) continue;
      const std::size_t i = h->tag & 0xFF;
      if (i >= depth || slots[i].tag != h->tag) continue;  // stale or foreign
      if (rx_msgs[static_cast<std::size_t>(k)].msg_len < reply_size) continue;
      bytes += std::size_t{sectors} * proto::kSectorSize;
      ++frames_done;
      queue_read(i, next_read_lba(), now);
    }
    for (std::size_t i = 0; i < depth && tx_count < kBatch; ++i) {
      if (now - slots[i].sent > kRetransmitAfter) {
        ++retransmits;
        queue_read(i, slots[i].lba, now);
      }
    }
    flush();
  }
  const double elapsed = std::chrono::duration<double>(now - start).count();
  const double mbps = static_cast<double>(bytes) / elapsed / 1e6;
  if (opt.json) {
    std::printf("{\"mb_per_s\": %.2f, \"bytes\": %llu, \"frames\": %llu, \"retransmits\": %llu, \"seconds\": %.3f, "
                "\"depth\": %u, \"sectors_per_frame\": %u}\n",
                mbps, static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(frames_done),
                static_cast<unsigned long long>(retransmits), elapsed, depth, sectors);
  } else {
    std::printf("%.2f MB/s  (%llu frames of %u sectors, depth %u, %llu retransmits, %.2f s)\n", mbps,
                static_cast<unsigned long long>(frames_done), sectors, depth, static_cast<unsigned long long>(retransmits),
                elapsed);
  }
  return 0;
}
