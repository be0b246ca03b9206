#pragma once
// A full-duplex point-to-point link. Each direction is an independent FIFO transmitter: a frame
// waits for the frames ahead of it, takes wire_bytes * 8 / bandwidth to serialise, then
// `propagation` to reach the far end. A direction holds at most `queue_limit` frames (the one on
// the wire included); frames beyond that are dropped and counted.
#include <cstdint>
#include <vector>

#include "sim/time.hpp"

namespace aoeh::sim {

struct LinkConfig {
  std::uint64_t bits_per_second = 10'000'000'000;  // 0: infinitely fast (no serialisation delay)
  Nanos propagation = 1 * kMicrosecond;
  std::uint32_t queue_limit = 1000;                // frames per direction, like a txqueuelen
};

struct LinkCounters {
  std::uint64_t frames = 0, bytes = 0;   // accepted onto the wire (duplicates not included)
  std::uint64_t delivered = 0;           // reached the far end (duplicates included)
  std::uint64_t queue_drops = 0;
  std::uint64_t impairment_drops = 0;
  std::uint64_t down_drops = 0;          // link administratively down
  std::uint64_t duplicates = 0;
  std::uint64_t edited = 0;              // corrupted or truncated by an impairment
  std::uint32_t max_queue = 0;           // high-water mark of frames queued
};

// Bytes a frame occupies on the wire: padded to 60, plus FCS (4), preamble+SFD (8) and the
// inter-frame gap (12).
inline constexpr std::uint64_t wire_bytes(std::size_t frame_length) {
  return (frame_length < 60 ? 60 : frame_length) + 24;
}

inline constexpr Nanos serialisation_delay(std::size_t frame_length, std::uint64_t bits_per_second) {
  if (bits_per_second == 0) return 0;
  // At most 65,560 wire bytes: 8e9 * that fits comfortably in 64 bits.
  const std::uint64_t bit_ns = wire_bytes(frame_length) * 8 * 1'000'000'000ull;
  return static_cast<Nanos>((bit_ns + bits_per_second - 1) / bits_per_second);
}

// The transmit side of one link direction: when each queued frame finishes serialising.
class Transmitter {
 public:
  // Admits a frame ready at `ready` (>= every earlier ready time). Returns the time its last bit
  // leaves, or -1 when the queue is full.
  Nanos admit(Nanos ready, std::size_t frame_length, const LinkConfig& config) {
    while (count_ > 0 && finish_[head_] <= ready) {
      head_ = (head_ + 1) & (finish_.size() - 1);
      --count_;
    }
    if (count_ >= config.queue_limit) return -1;
    const Nanos start = ready > busy_until_ ? ready : busy_until_;
    busy_until_ = start + serialisation_delay(frame_length, config.bits_per_second);
    if (count_ == finish_.size()) grow();
    finish_[(head_ + count_) & (finish_.size() - 1)] = busy_until_;
    ++count_;
    return busy_until_;
  }
  std::uint32_t queued() const { return count_; }

 private:
  void grow() {
    std::vector<Nanos> bigger(finish_.empty() ? 8 : finish_.size() * 2);
    for (std::uint32_t i = 0; i < count_; ++i) bigger[i] = finish_[(head_ + i) & (finish_.size() - 1)];
    finish_.swap(bigger);
    head_ = 0;
  }
  std::vector<Nanos> finish_;  // ring, power-of-two size
  std::uint32_t head_ = 0, count_ = 0;
  Nanos busy_until_ = 0;
};

}  // namespace aoeh::sim
