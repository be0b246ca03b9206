#pragma once
// One AF_PACKET raw socket bound to one interface and to ethertype 0x88A2 only, through
// Boost.Asio's generic raw protocol. Receive and send are batched (recvmmsg / sendmmsg) so a
// busy port costs one system call per batch rather than per frame; the hot path never allocates.
#include <boost/asio/generic/raw_protocol.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/socket_base.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <utility>

#include "live/interface_info.hpp"

namespace aoeh::live {

struct RawPortOptions {
  bool require_up = true;                  // refuse an interface that is administratively down
  std::uint32_t min_mtu = kMinAoeMtu;      // refuse smaller MTUs (0: accept any)
  bool accept_other_host = false;          // also deliver unicast frames for other MACs (relays)
  bool promiscuous = false;                // NIC in promiscuous mode while the socket is open (relays)
  std::size_t batch = 64;                  // frames per recvmmsg / sendmmsg
  int receive_buffer_bytes = 8 << 20;      // absorbs a full window of jumbo replies
  int send_buffer_bytes = 4 << 20;
  // PACKET_QDISC_BYPASS skips the qdisc and also the capture taps: tcpdump/tshark on the interface
  // would not see what we send, so it stays off unless asked for.
  bool qdisc_bypass = false;
};

struct PortCounters {
  std::uint64_t rx_frames = 0, rx_bytes = 0, rx_calls = 0;
  std::uint64_t rx_truncated = 0;  // larger than the receive slot: dropped
  std::uint64_t rx_filtered = 0;   // our own outgoing frames, or unicast for another MAC
  std::uint64_t rx_kernel_drops = 0;  // socket queue overflows (PACKET_STATISTICS)
  std::uint64_t tx_frames = 0, tx_bytes = 0, tx_calls = 0;
  std::uint64_t tx_errors = 0;     // the kernel refused a frame (link down, too big, ...)
  std::uint64_t tx_dropped = 0;    // send queue stayed full: dropped here (AoE retransmits)
};

class RawPort {
 public:
  using Protocol = boost::asio::generic::raw_protocol;
  using Frame = std::span<const std::uint8_t>;

  // Opens and binds the port. Throws LiveError: NoPermission, NoSuchInterface, NotEthernet,
  // InterfaceDown, MtuTooSmall, SocketError.
  static RawPort open(boost::asio::io_context& io, std::string_view ifname, const RawPortOptions& options = {});

  RawPort(RawPort&&) noexcept;
  RawPort& operator=(RawPort&&) noexcept;
  ~RawPort();

  const InterfaceInfo& info() const { return info_; }
  // Re-reads MTU, MAC and link state (after an MTU change or a link flap).
  const InterfaceInfo& refresh_info();

  // ---- receive ----
  // Takes the frames already queued in the kernel (at most `batch`) without blocking. The views
  // stay valid until the next receive_batch. Filtered frames are not returned.
  std::span<const Frame> receive_batch();
  // Waits (asynchronously) until a frame or an error is ready.
  template <class Handler>
  void async_wait_readable(Handler&& handler) {
    socket_.async_wait(boost::asio::socket_base::wait_read, std::forward<Handler>(handler));
  }

  // ---- send ----
  // Copies the frame into the send batch; sends the batch first when it is full. Returns false
  // when the frame cannot be sent (bigger than a slot, or dropped on a persistently full queue).
  bool enqueue(Frame frame);
  // Sends every queued frame (sendmmsg). Frames the kernel refuses are counted and dropped.
  // Returns the number of frames handed to the kernel.
  std::size_t flush();
  std::size_t queued() const { return tx_count_; }
  bool send(Frame frame) { return enqueue(frame) && (flush(), true); }

  // errno of the most recent refused send or failed receive (ENETDOWN after a link goes down), or
  // 0. Cleared by take_last_error.
  int take_last_error() { return std::exchange(last_error_, 0); }

  const PortCounters& counters() const { return counters_; }
  // Adds the kernel's drop count since the last call to counters().rx_kernel_drops.
  void update_kernel_stats();

  Protocol::socket& socket() { return socket_; }
  int native_handle() { return socket_.native_handle(); }

 private:
  struct Buffers;
  RawPort(Protocol::socket socket, InterfaceInfo info, const RawPortOptions& options);
  std::size_t send_queued_once();

  Protocol::socket socket_;
  InterfaceInfo info_;
  RawPortOptions options_;
  std::unique_ptr<Buffers> buffers_;
  std::size_t tx_count_ = 0;
  int last_error_ = 0;
  PortCounters counters_;
};

}  // namespace aoeh::live
