#include "sim/hash.hpp"

#include <gtest/gtest.h>

#include <cstring>
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

// Every implementation this machine can run (scalar, SSE2, AVX2) gives the reference value for
// every length up to three blocks, both from a copied tail and in place from a padded buffer whose
// bytes past the data are garbage (they must be ignored).
TEST(Hash, EveryImplementationAndThePaddedEntryGiveTheReference) {
  std::vector<hash_detail::HashFn> impls = {&hash_detail::hash_scalar};
#if defined(__SSE2__)
  impls.push_back(&hash_detail::hash_sse2);
#endif
#if defined(AOEH_HASH_AVX2)
  if (__builtin_cpu_supports("avx2")) impls.push_back(&hash_detail::hash_avx2);
#endif
  std::vector<std::uint8_t> buffer(256 + 64);
  for (std::size_t length = 0; length <= 256; ++length) {
    for (std::size_t i = 0; i < buffer.size(); ++i) buffer[i] = static_cast<std::uint8_t>(i * 131 + 7 + length);
    const std::span<const std::uint8_t> data(buffer.data(), length);
    const std::uint64_t want = reference_hash(data);
    ASSERT_EQ(hash_padded(buffer.data(), length), want) << "length " << length;
    std::uint8_t tail[64] = {};
    std::memcpy(tail, buffer.data() + (length & ~std::size_t{63}), length % 64);
    for (auto impl : impls) {
      ASSERT_EQ(impl(buffer.data(), length, tail), want) << "length " << length;
      ASSERT_EQ(impl(buffer.data(), length, buffer.data() + (length & ~std::size_t{63})), want) << "length " << length;
    }
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
