#pragma once
// Hosts with no protocol logic, for measuring a network alone (bench_sim, bench_ns3): a Pinger
// keeps `depth` frames in flight to each of its peers, sending the next to whoever answered, and
// an Echo answers every frame at once from the port it came in on. A request longer than
// kSmallFrame gets a kSmallFrame answer and a short one a `large`-byte answer, so a Pinger that
// alternates sizes loads both directions like a mix of reads and writes.
#include <cstdint>
#include <cstring>
#include <span>
#include <utility>
#include <vector>

#include "protocol/mac_address.hpp"
#include "sim/host.hpp"

namespace aoeh::bench {

inline constexpr std::size_t kSmallFrame = 60;

// Destination, source and the AoE ethertype.
inline void fill_header(std::vector<std::uint8_t>& frame, const std::uint8_t* dst, const std::uint8_t* src) {
  std::memcpy(frame.data(), dst, 6);
  std::memcpy(frame.data() + 6, src, 6);
  frame[12] = 0x88, frame[13] = 0xA2;
}

class Pinger final : public sim::Host {
 public:
  struct Peer {
    std::uint32_t port;  // this host's port toward the peer
    proto::MacAddress mac;
  };
  // `own[k]` is port k's MAC; requests cycle through `sizes`; none is sent at or after `stop`.
  Pinger(std::vector<proto::MacAddress> own, std::vector<Peer> peers, int depth, std::vector<std::size_t> sizes,
         sim::Nanos stop = sim::kNever)
      : own_(std::move(own)), peers_(std::move(peers)), depth_(depth), sizes_(std::move(sizes)), stop_(stop) {
    std::size_t largest = kSmallFrame;
    for (std::size_t s : sizes_) largest = s > largest ? s : largest;
    frame_.assign(largest, 0x5A);
  }
  void start(sim::Nanos) override {
    for (int i = 0; i < depth_; ++i)
      for (const Peer& p : peers_) send(p.port, p.mac.bytes.data());
  }
  void receive(std::uint32_t port, std::span<const std::uint8_t> frame, sim::Nanos now) override {
    ++answers_;
    if (now < stop_) send(port, frame.data() + 6);
  }
  std::uint64_t answers() const { return answers_; }

 private:
  void send(std::uint32_t port, const std::uint8_t* dst) {
    fill_header(frame_, dst, own_[port].bytes.data());
    transmit(port, std::span(frame_.data(), sizes_[sent_++ % sizes_.size()]));
  }
  std::vector<proto::MacAddress> own_;
  std::vector<Peer> peers_;
  int depth_;
  std::vector<std::size_t> sizes_;
  sim::Nanos stop_;
  std::vector<std::uint8_t> frame_;
  std::uint64_t sent_ = 0, answers_ = 0;
};

class Echo final : public sim::Host {
 public:
  // `own[k]` is port k's MAC; `large` the size of the answer to a short request.
  Echo(std::vector<proto::MacAddress> own, std::size_t large)
      : own_(std::move(own)), large_(large), frame_(large > kSmallFrame ? large : kSmallFrame) {}
  void receive(std::uint32_t port, std::span<const std::uint8_t> frame, sim::Nanos) override {
    fill_header(frame_, frame.data() + 6, own_[port].bytes.data());
    transmit(port, std::span(frame_.data(), frame.size() > kSmallFrame ? kSmallFrame : large_));
  }

 private:
  std::vector<proto::MacAddress> own_;
  std::size_t large_;
  std::vector<std::uint8_t> frame_;
};

}  // namespace aoeh::bench
