#pragma once
// Reference-counted frame buffers for frames in flight. Buffers come in power-of-two size classes
// (64 B .. 64 KiB), are carved from chunks and recycled through per-class free lists, so the hot
// path never allocates once the pool has warmed up. A flooded frame is one buffer with several
// references; an impairment that corrupts a shared frame gets its own copy (copy-on-write).
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace aoeh::sim {

using FrameHandle = std::uint32_t;

class FramePool {
 public:
  static constexpr std::size_t kMaxFrame = 65536;

  // A new frame holding a copy of `bytes` (at most kMaxFrame), one reference, content hashed.
  FrameHandle create(std::span<const std::uint8_t> bytes);
  // A writable copy of `h` if others share it (dropping one reference to `h`), else `h` itself.
  // Call rehash() after changing the bytes.
  FrameHandle make_unique(FrameHandle h);
  // Shortens a frame in place (length only grows back by creating a new frame).
  void truncate(FrameHandle h, std::size_t length) {
    if (length < slots_[h].length) slots_[h].length = static_cast<std::uint32_t>(length);
  }
  void rehash(FrameHandle h);

  std::span<const std::uint8_t> bytes(FrameHandle h) const { return {slots_[h].data, slots_[h].length}; }
  std::span<std::uint8_t> mutable_bytes(FrameHandle h) { return {slots_[h].data, slots_[h].length}; }
  std::uint64_t hash(FrameHandle h) const { return slots_[h].hash; }
  std::size_t size(FrameHandle h) const { return slots_[h].length; }

  void ref(FrameHandle h) { ++slots_[h].refs; }
  void unref(FrameHandle h) {
    if (--slots_[h].refs == 0) free_[slots_[h].size_class].push_back(h);
  }

  std::size_t live_frames() const { return live_count(); }
  std::size_t reserved_bytes() const { return reserved_bytes_; }

 private:
  struct Slot {
    std::uint8_t* data = nullptr;
    std::uint64_t hash = 0;
    std::uint32_t length = 0;
    std::uint32_t refs = 0;
    std::uint8_t size_class = 0;
  };
  static constexpr int kClasses = 11;  // 64 << 0 .. 64 << 10
  static int class_for(std::size_t length);
  FrameHandle take(int size_class);
  std::size_t live_count() const;

  std::vector<Slot> slots_;
  std::vector<FrameHandle> free_[kClasses];
  std::vector<std::unique_ptr<std::uint8_t[]>> chunks_;
  std::size_t reserved_bytes_ = 0;
};

}  // namespace aoeh::sim
