#pragma once
// A growable FIFO ring. Steady state never allocates: capacity only doubles when full, so queues
// reach their working size once and stay there. Capacity is a power of two so that indexing is a
// mask, not a division (this sits on the per-frame path several times).
#include <cstddef>
#include <utility>
#include <vector>

namespace aoeh::initiator {

template <class T>
class Ring {
 public:
  explicit Ring(std::size_t capacity = 16) : slots_(round_up(capacity)), mask_(slots_.size() - 1) {}

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return slots_.size(); }

  void push_back(T value) {
    if (size_ == slots_.size()) grow();
    slots_[(head_ + size_) & mask_] = std::move(value);
    ++size_;
  }
  // Appends a value-initialised element and returns it, for filling in place.
  T& push_back_slot() {
    if (size_ == slots_.size()) grow();
    T& slot = slots_[(head_ + size_) & mask_];
    slot = T{};
    ++size_;
    return slot;
  }
  void push_front(T value) {
    if (size_ == slots_.size()) grow();
    head_ = (head_ + mask_) & mask_;
    slots_[head_] = std::move(value);
    ++size_;
  }
  T& front() { return slots_[head_]; }
  const T& operator[](std::size_t i) const { return slots_[(head_ + i) & mask_]; }
  T pop_front() {
    T value = std::move(slots_[head_]);
    head_ = (head_ + 1) & mask_;
    --size_;
    return value;
  }
  void clear() {
    head_ = 0;
    size_ = 0;
  }

 private:
  void grow() {
    std::vector<T> bigger(slots_.size() * 2);
    for (std::size_t i = 0; i < size_; ++i) bigger[i] = std::move(slots_[(head_ + i) & mask_]);
    slots_ = std::move(bigger);
    mask_ = slots_.size() - 1;
    head_ = 0;
  }
  static std::size_t round_up(std::size_t n) {
    std::size_t c = 2;
    while (c < n) c *= 2;
    return c;
  }

  std::vector<T> slots_;
  std::size_t mask_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace aoeh::initiator
