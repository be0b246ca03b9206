#include "live/raw_port.hpp"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "live/errors.hpp"
#include "protocol/constants.hpp"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

namespace aoeh::live {
namespace {

constexpr std::size_t kEthernetOverhead = proto::kEthernetHeaderSize + 4;  // room for a VLAN tag
constexpr int kSendWaitMs = 50;  // how long a full send queue may stall us before we drop

std::size_t slot_size_for(std::uint32_t mtu) {
  return std::max<std::size_t>(proto::kMaxFrameSize, std::size_t{mtu} + kEthernetOverhead);
}

void set_int_option(int fd, int level, int name, int value) {
  (void)::setsockopt(fd, level, name, &value, sizeof value);  // best effort: tuning only
}

// Root may exceed net.core.rmem_max with the *FORCE options; others get what the sysctl allows.
void set_buffer(int fd, int force_name, int name, int bytes) {
  if (bytes <= 0) return;
  if (::setsockopt(fd, SOL_SOCKET, force_name, &bytes, sizeof bytes) != 0) set_int_option(fd, SOL_SOCKET, name, bytes);
}

std::string describe(std::string_view ifname) { return "'" + std::string(ifname) + "'"; }

}  // namespace

struct RawPort::Buffers {
  std::size_t slot = 0;
  std::vector<std::uint8_t> rx_data;
  std::vector<iovec> rx_iov;
  std::vector<sockaddr_ll> rx_addr;
  std::vector<mmsghdr> rx_msgs;
  std::vector<Frame> rx_frames;
  std::vector<std::uint8_t> tx_data;
  std::vector<iovec> tx_iov;
  std::vector<mmsghdr> tx_msgs;

  Buffers(std::size_t batch, std::size_t slot_size)
      : slot(slot_size),
        rx_data(batch * slot_size),
        rx_iov(batch),
        rx_addr(batch),
        rx_msgs(batch),
        rx_frames(batch),
        tx_data(batch * slot_size),
        tx_iov(batch),
        tx_msgs(batch) {
    for (std::size_t i = 0; i < batch; ++i) {
      rx_iov[i] = {rx_data.data() + i * slot, slot};
      rx_msgs[i] = {};
      rx_msgs[i].msg_hdr.msg_iov = &rx_iov[i];
      rx_msgs[i].msg_hdr.msg_iovlen = 1;
      rx_msgs[i].msg_hdr.msg_name = &rx_addr[i];
      tx_iov[i] = {tx_data.data() + i * slot, 0};
      tx_msgs[i] = {};
      tx_msgs[i].msg_hdr.msg_iov = &tx_iov[i];
      tx_msgs[i].msg_hdr.msg_iovlen = 1;  // no address: the socket's binding names the interface
    }
  }
  std::uint8_t* tx_slot(std::size_t i) { return tx_data.data() + i * slot; }
};

RawPort RawPort::open(boost::asio::io_context& io, std::string_view ifname, const RawPortOptions& options) {
  Protocol::socket sock(io);
  boost::system::error_code ec;
  // Protocol 0: the socket hears nothing until bind() names the interface and ethertype, so no
  // frame from another interface can slip in between socket() and bind().
  sock.open(Protocol(AF_PACKET, 0), ec);
  if (ec) {
    if (ec.value() == EPERM || ec.value() == EACCES) {
      throw LiveError(LiveErrc::NoPermission,
                      "raw AoE sockets need CAP_NET_RAW: run as root or `setcap cap_net_raw+ep` the aoeh binary");
    }
    throw LiveError(LiveErrc::SocketError, "socket(AF_PACKET): " + ec.message());
  }
  const int fd = sock.native_handle();
  InterfaceInfo info = read_interface(fd, ifname);
  if (options.require_up && !info.up) {
    throw LiveError(LiveErrc::InterfaceDown,
                    "interface " + describe(ifname) + " is down (bring it up: ip link set " + info.name + " up)");
  }
  if (options.min_mtu != 0 && info.mtu < options.min_mtu) {
    throw LiveError(LiveErrc::MtuTooSmall, "interface " + describe(ifname) + " has MTU " + std::to_string(info.mtu) +
                                               "; AoE needs at least " + std::to_string(options.min_mtu) +
                                               " to carry one sector per frame");
  }

  set_buffer(fd, SO_RCVBUFFORCE, SO_RCVBUF, options.receive_buffer_bytes);
  set_buffer(fd, SO_SNDBUFFORCE, SO_SNDBUF, options.send_buffer_bytes);
  set_int_option(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1);
  if (options.qdisc_bypass) set_int_option(fd, SOL_PACKET, PACKET_QDISC_BYPASS, 1);

  if (options.promiscuous) {
    // A socket membership, not IFF_PROMISC: the kernel drops it when the socket closes, so a
    // crashed relay leaves no interface promiscuous.
    packet_mreq mr{};
    mr.mr_ifindex = info.index;
    mr.mr_type = PACKET_MR_PROMISC;
    if (::setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr) != 0) {
      throw LiveError(LiveErrc::SocketError, "promiscuous mode on " + describe(ifname) + ": " + std::strerror(errno));
    }
  }

  sockaddr_ll sll{};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(proto::kEtherTypeAoE);
  sll.sll_ifindex = info.index;
  sock.bind(Protocol::endpoint(&sll, sizeof sll, htons(proto::kEtherTypeAoE)), ec);
  if (ec) throw LiveError(LiveErrc::SocketError, "bind to " + describe(ifname) + ": " + ec.message());

  return RawPort(std::move(sock), std::move(info), options);
}

RawPort::RawPort(Protocol::socket socket, InterfaceInfo info, const RawPortOptions& options)
    : socket_(std::move(socket)), info_(std::move(info)), options_(options) {
  options_.batch = std::max<std::size_t>(1, options_.batch);
  buffers_ = std::make_unique<Buffers>(options_.batch, slot_size_for(info_.mtu));
}

RawPort::RawPort(RawPort&&) noexcept = default;
RawPort& RawPort::operator=(RawPort&&) noexcept = default;
RawPort::~RawPort() = default;

const InterfaceInfo& RawPort::refresh_info() {
  info_ = read_interface(socket_.native_handle(), info_.name);
  return info_;
}

std::span<const RawPort::Frame> RawPort::receive_batch() {
  Buffers& b = *buffers_;
  for (std::size_t i = 0; i < options_.batch; ++i) {
    b.rx_msgs[i].msg_hdr.msg_namelen = sizeof(sockaddr_ll);
    b.rx_msgs[i].msg_hdr.msg_flags = 0;
  }
  int n;
  do {
    n = ::recvmmsg(socket_.native_handle(), b.rx_msgs.data(), static_cast<unsigned>(options_.batch), MSG_DONTWAIT,
                   nullptr);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK) last_error_ = errno;  // e.g. ENETDOWN once after a link drop
    return {};
  }
  ++counters_.rx_calls;
  std::size_t kept = 0;
  for (int i = 0; i < n; ++i) {
    const mmsghdr& m = b.rx_msgs[static_cast<std::size_t>(i)];
    const sockaddr_ll& from = b.rx_addr[static_cast<std::size_t>(i)];
    if ((m.msg_hdr.msg_flags & MSG_TRUNC) != 0) {
      ++counters_.rx_truncated;
      continue;
    }
    if (from.sll_pkttype == PACKET_OUTGOING || (from.sll_pkttype == PACKET_OTHERHOST && !options_.accept_other_host)) {
      ++counters_.rx_filtered;
      continue;
    }
    ++counters_.rx_frames;
    counters_.rx_bytes += m.msg_len;
    b.rx_frames[kept++] = Frame(b.rx_data.data() + static_cast<std::size_t>(i) * b.slot, m.msg_len);
  }
  return {b.rx_frames.data(), kept};
}

bool RawPort::enqueue(Frame frame) {
  Buffers& b = *buffers_;
  if (frame.size() > b.slot) {
    ++counters_.tx_errors;
    last_error_ = EMSGSIZE;
    return false;
  }
  if (tx_count_ == options_.batch) {
    flush();
    if (tx_count_ == options_.batch) {
      // The kernel's send buffer is full: the wire is saturated. Wait briefly for room rather
      // than spin; if none comes, drop (the initiator retransmits lost frames).
      pollfd p{socket_.native_handle(), POLLOUT, 0};
      (void)::poll(&p, 1, kSendWaitMs);
      flush();
      if (tx_count_ == options_.batch) {
        ++counters_.tx_dropped;
        return false;
      }
    }
  }
  std::memcpy(b.tx_slot(tx_count_), frame.data(), frame.size());
  b.tx_iov[tx_count_].iov_len = frame.size();
  ++tx_count_;
  return true;
}

std::size_t RawPort::send_queued_once() {
  Buffers& b = *buffers_;
  std::size_t start = 0;
  std::size_t handed = 0;
  while (start < tx_count_) {
    const int n = ::sendmmsg(socket_.native_handle(), b.tx_msgs.data() + start, static_cast<unsigned>(tx_count_ - start),
                             MSG_DONTWAIT);
    if (n > 0) {
      ++counters_.tx_calls;
      for (std::size_t i = start; i < start + static_cast<std::size_t>(n); ++i) counters_.tx_bytes += b.tx_iov[i].iov_len;
      counters_.tx_frames += static_cast<std::uint64_t>(n);
      handed += static_cast<std::size_t>(n);
      start += static_cast<std::size_t>(n);
      continue;
    }
    const int err = errno;
    if (err == EINTR) continue;
    if (err == EAGAIN || err == EWOULDBLOCK) break;  // keep the rest queued
    // The kernel refused the first remaining frame: drop it and go on with the others.
    if (err == ENOBUFS) {
      ++counters_.tx_dropped;  // transient device-queue congestion
    } else {
      ++counters_.tx_errors;
      last_error_ = err;
    }
    ++start;
  }
  if (start > 0 && start < tx_count_) {
    for (std::size_t i = start; i < tx_count_; ++i) {
      std::memmove(b.tx_slot(i - start), b.tx_slot(i), b.tx_iov[i].iov_len);
      b.tx_iov[i - start].iov_len = b.tx_iov[i].iov_len;
    }
  }
  tx_count_ -= start;
  return handed;
}

std::size_t RawPort::flush() { return tx_count_ == 0 ? 0 : send_queued_once(); }

void RawPort::update_kernel_stats() {
  tpacket_stats stats{};
  socklen_t len = sizeof stats;
  if (::getsockopt(socket_.native_handle(), SOL_PACKET, PACKET_STATISTICS, &stats, &len) == 0) {
    counters_.rx_kernel_drops += stats.tp_drops;  // the kernel resets its counts on every read
  }
}

}  // namespace aoeh::live
