#include "sim/hash.hpp"

#include <gtest/gtest.h>

#include <set>
#include <vector>

namespace aoeh::sim {
namespace {

// The documented formula, written plainly: the SSE2 path must give exactly this value, so
// hashes (and determinism records) agree on every machine.
std::uint64_t reference_hash(std::span<const std::uint8_t> bytes) {
  using hash_detail::kKeys;
  std::uint64_t acc[8];
  for (int i = 0; i < 8; ++i) acc[i] = kKeys[7 - i];
  std::vector<std::uint8_t> padded(bytes.begin(), bytes.end());
  padded.resize((padded.size() + 63) / 64 * 64, 0);
  for (std::size_t off = 0; off < padded.size(); off += 64)
    for (int i = 0; i < 8; ++i) {
      std::uint64_t v = 0;
      for (int b = 0; b < 8; ++b) v |= std::uint64_t{padded[off + 8 * i + b]} << (8 * b);
      const std::uint64_t x = v ^ (kKeys[i] + (off / 64) * hash_detail::kStep);
      acc[i] += ((v << 32) | (v >> 32)) + (x & 0xFFFFFFFFu) * (x >> 32);
    }
  std::uint64_t h = mix64(bytes.size() + kKeys[0]);
  for (int i = 0; i < 8; ++i) h ^= mix64(acc[i] + kKeys[i]);
  return h;
}

TEST(Hash, MatchesTheReferenceFormulaForEveryLength) {
  std::vector<std::uint8_t> bytes;
  for (int n = 0; n < 1200; ++n) {
    ASSERT_EQ(hash_bytes(bytes), reference_hash(bytes)) << "length " << n;
    bytes.push_back(static_cast<std::uint8_t>(n * 37 + 11));
  }
}

TEST(Hash, EveryBlockImplementationComputesTheSameSums) {
  std::vector<hash_detail::BlocksFn> impls = {&hash_detail::blocks_scalar};
#if defined(__SSE2__)
  impls.push_back(&hash_detail::blocks_sse2);
#endif
#if defined(AOEH_HASH_AVX2)
  if (__builtin_cpu_supports("avx2")) impls.push_back(&hash_detail::blocks_avx2);
#endif
  std::vector<std::uint8_t> data(64 * 9);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 131 + 7);
  std::uint64_t want[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  hash_detail::blocks_scalar(want, data.data(), 3, 9);
  for (auto impl : impls) {
    std::uint64_t got[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    impl(got, data.data(), 3, 9);
    for (int i = 0; i < 8; ++i) EXPECT_EQ(got[i], want[i]) << "lane " << i;
  }
  EXPECT_GE(impls.size(), 1u);
}

TEST(Hash, EveryBitFlipAndTrailingZeroChangesTheHash) {
  std::vector<std::uint8_t> frame(1060, 0x5A);
  std::set<std::uint64_t> seen{hash_bytes(frame)};
  for (std::size_t byte = 0; byte < frame.size(); ++byte)
    for (int bit = 0; bit < 8; ++bit) {
      frame[byte] ^= static_cast<std::uint8_t>(1 << bit);
      seen.insert(hash_bytes(frame));
      frame[byte] ^= static_cast<std::uint8_t>(1 << bit);
    }
  EXPECT_EQ(seen.size(), 1 + 1060u * 8);
  frame.push_back(0);  // zero padding is not the same as absence
  EXPECT_EQ(seen.count(hash_bytes(frame)), 0u);
}

TEST(Hash, SwappingBlocksChangesTheHash) {
  std::vector<std::uint8_t> a(256), b(256);
  for (std::size_t i = 0; i < 64; ++i) a[i] = b[64 + i] = 1, a[64 + i] = b[i] = 2;
  EXPECT_NE(hash_bytes(a), hash_bytes(b));
}

TEST(Hash, FnvAndFoldAreOrderSensitive) {
  EXPECT_EQ(fnv1a64(""), 0xCBF29CE484222325ull);
  EXPECT_EQ(fnv1a64("a"), 0xAF63DC4C8601EC8Cull);
  EXPECT_NE(fold(fold(0, 1), 2), fold(fold(0, 2), 1));
}

}  // namespace
}  // namespace aoeh::sim
