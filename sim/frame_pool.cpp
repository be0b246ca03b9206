#include "sim/frame_pool.hpp"

#include <bit>
#include <cstring>
#include <stdexcept>

#include "sim/hash.hpp"

namespace aoeh::sim {

int FramePool::class_for(std::size_t length) {
  // The smallest c with 64 << c >= length.
  return length <= 64 ? 0 : static_cast<int>(std::bit_width(length - 1)) - 6;
}

FrameHandle FramePool::take(int size_class) {
  auto& list = free_[size_class];
  if (list.empty()) {
    // One chunk of about 64 KiB (at least 4 buffers) per refill keeps malloc calls rare.
    const std::size_t buffer = std::size_t{64} << size_class;
    const std::size_t count = buffer >= 16384 ? 4 : 65536 / buffer;
    auto chunk = std::make_unique<std::uint8_t[]>(buffer * count);
    for (std::size_t i = 0; i < count; ++i) {
      Slot s;
      s.data = chunk.get() + i * buffer;
      s.size_class = static_cast<std::uint8_t>(size_class);
      list.push_back(static_cast<FrameHandle>(slots_.size()));
      slots_.push_back(s);
    }
    reserved_bytes_ += buffer * count;
    chunks_.push_back(std::move(chunk));
  }
  const FrameHandle h = list.back();
  list.pop_back();
  return h;
}

FrameHandle FramePool::create(std::span<const std::uint8_t> bytes) {
  if (bytes.size() > kMaxFrame) throw std::length_error("sim frame larger than 64 KiB");
  const FrameHandle h = take(class_for(bytes.size()));
  Slot& s = slots_[h];
  if (!bytes.empty()) std::memcpy(s.data, bytes.data(), bytes.size());
  s.length = static_cast<std::uint32_t>(bytes.size());
  s.refs = 1;
  s.hash = hash_padded(s.data, bytes.size());  // buffers are whole multiples of 64 bytes
  return h;
}

FrameHandle FramePool::make_unique(FrameHandle h) {
  if (slots_[h].refs == 1) return h;
  const FrameHandle copy = create(bytes(h));
  unref(h);
  return copy;
}

void FramePool::rehash(FrameHandle h) { slots_[h].hash = hash_padded(slots_[h].data, slots_[h].length); }

std::size_t FramePool::live_count() const {
  std::size_t free_total = 0;
  for (const auto& list : free_) free_total += list.size();
  return slots_.size() - free_total;
}

}  // namespace aoeh::sim
