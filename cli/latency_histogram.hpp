#pragma once
// Latency percentiles without storing every sample: log-linear buckets (32 per power of two, so a
// reported percentile is within ~3% of the true value), a fixed array, no allocation per sample.
#include <array>
#include <bit>
#include <cstdint>

namespace aoeh::cli {

class LatencyHistogram {
 public:
  void record(std::int64_t ns) {
    const std::uint64_t v = ns <= 0 ? 1 : static_cast<std::uint64_t>(ns);
    ++counts_[bucket_of(v)];
    ++total_;
    if (v > max_) max_ = v;
  }
  std::uint64_t count() const { return total_; }
  std::uint64_t max() const { return max_; }
  // The value below which fraction `q` (0..1) of the samples fall (bucket midpoint), 0 when empty.
  std::uint64_t percentile(double q) const {
    if (total_ == 0) return 0;
    if (q >= 1.0) return max_;
    const auto rank = static_cast<std::uint64_t>(q * static_cast<double>(total_ - 1)) + 1;
    std::uint64_t seen = 0;
    for (std::size_t b = 0; b < kBuckets; ++b) {
      seen += counts_[b];
      if (seen >= rank) {
        const std::uint64_t lo = lower_bound_of(b);
        const std::uint64_t mid = lo + (lower_bound_of(b + 1) - lo) / 2;
        return mid < max_ ? mid : max_;
      }
    }
    return max_;
  }

 private:
  static constexpr int kSubBits = 5;  // 32 sub-buckets per power of two
  static constexpr std::size_t kBuckets = (64 - kSubBits + 1) << kSubBits;

  static std::size_t bucket_of(std::uint64_t v) {
    if (v < (1u << kSubBits)) return static_cast<std::size_t>(v);  // exact below 32 ns
    const int exp = 63 - std::countl_zero(v);                          // >= kSubBits
    const std::uint64_t sub = (v >> (exp - kSubBits)) & ((1u << kSubBits) - 1);
    return (static_cast<std::size_t>(exp - kSubBits + 1) << kSubBits) | static_cast<std::size_t>(sub);
  }
  static std::uint64_t lower_bound_of(std::size_t b) {
    if (b < (1u << kSubBits)) return b;
    const int exp = static_cast<int>(b >> kSubBits) + kSubBits - 1;
    const std::uint64_t sub = b & ((1u << kSubBits) - 1);
    if (exp >= 63) return ~std::uint64_t{0};
    return (std::uint64_t{1} << exp) | (sub << (exp - kSubBits));
  }

  std::array<std::uint64_t, kBuckets> counts_{};
  std::uint64_t total_ = 0;
  std::uint64_t max_ = 0;
};

}  // namespace aoeh::cli
