#pragma once
// 64-bit hashing for determinism checks: FNV-1a for short names, a word-at-a-time multiply-mix
// hash for frame bytes (hashed once per frame, so every event can fold a frame cheaply), and a
// fold that chains values into a running event-log hash.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#if defined(__x86_64__)
#include <immintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace aoeh::sim {

inline constexpr std::uint64_t fnv1a64(std::string_view s) {
  std::uint64_t h = 0xCBF29CE484222325ull;
  for (char c : s) {
    h ^= static_cast<std::uint8_t>(c);
    h *= 0x100000001B3ull;
  }
  return h;
}

// Finaliser with full avalanche (the Murmur3/SplitMix64 constants).
inline constexpr std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Chains `value` into the running hash `h`: order-sensitive, so reordered events give another hash.
inline constexpr std::uint64_t fold(std::uint64_t h, std::uint64_t value) {
  return mix64(h ^ (value + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2)));
}

// Hash of a byte string (not cryptographic; made for telling frames apart in determinism checks).
// Eight 64-bit lanes over 64-byte blocks (the last one zero-padded): each lane adds its word with
// the halves swapped plus the product of the halves of the word keyed with kKeys[i] + block * kStep
// (32x32->64; the per-block key makes the sum depend on where each block sits). SSE2 does two
// lanes per instruction, AVX2 four; the scalar path computes exactly the same value. A full-avalanche
// finaliser per lane and the length close it.
namespace hash_detail {
inline constexpr std::uint64_t kKeys[8] = {0x9E3779B185EBCA87ull, 0xC2B2AE3D27D4EB4Full, 0x165667B19E3779F9ull,
                                           0xD6E8FEB86659FD93ull, 0xFF51AFD7ED558CCDull, 0xC4CEB9FE1A85EC53ull,
                                           0x27D4EB2F165667C5ull, 0x94D049BB133111EBull};
inline constexpr std::uint64_t kStep = 0x9E3779B97F4A7C15ull;
// Processes `count` 64-byte blocks starting at block number `first`. Three implementations of
// one formula (scalar, SSE2, AVX2); tests check each against a plain reference.
inline void blocks_scalar(std::uint64_t acc[8], const std::uint8_t* p, std::size_t first, std::size_t count) {
  for (std::size_t b = first; b < first + count; ++b, p += 64)
    for (int i = 0; i < 8; ++i) {
      std::uint64_t v;
      std::memcpy(&v, p + 8 * i, 8);  // little-endian hosts, like the vector paths
      const std::uint64_t x = v ^ (kKeys[i] + b * kStep);
      acc[i] += ((v << 32) | (v >> 32)) + (x & 0xFFFFFFFFu) * (x >> 32);
    }
}
using BlocksFn = void (*)(std::uint64_t*, const std::uint8_t*, std::size_t, std::size_t);
#if defined(__SSE2__)
inline void blocks_sse2(std::uint64_t acc_out[8], const std::uint8_t* p, std::size_t first, std::size_t count) {
  __m128i acc[4], key[4];
  const __m128i step = _mm_set1_epi64x(static_cast<long long>(kStep));
  const __m128i offset = _mm_set1_epi64x(static_cast<long long>(kStep * first));
  for (int j = 0; j < 4; ++j) {
    acc[j] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(acc_out + 2 * j));
    key[j] = _mm_add_epi64(_mm_loadu_si128(reinterpret_cast<const __m128i*>(kKeys + 2 * j)), offset);
  }
  for (; count > 0; --count, p += 64)
    for (int j = 0; j < 4; ++j) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * j));
      const __m128i x = _mm_xor_si128(v, key[j]);
      const __m128i product = _mm_mul_epu32(x, _mm_srli_epi64(x, 32));
      const __m128i swapped = _mm_shuffle_epi32(v, 0xB1);  // 32-bit halves of each lane exchanged
      acc[j] = _mm_add_epi64(acc[j], _mm_add_epi64(product, swapped));
      key[j] = _mm_add_epi64(key[j], step);
    }
  for (int j = 0; j < 4; ++j) _mm_storeu_si128(reinterpret_cast<__m128i*>(acc_out + 2 * j), acc[j]);
}
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define AOEH_HASH_AVX2 1
__attribute__((target("avx2"))) inline void blocks_avx2(std::uint64_t acc_out[8], const std::uint8_t* p,
                                                        std::size_t first, std::size_t count) {
  __m256i acc[2], key[2];
  const __m256i step = _mm256_set1_epi64x(static_cast<long long>(kStep));
  const __m256i offset = _mm256_set1_epi64x(static_cast<long long>(kStep * first));
  for (int j = 0; j < 2; ++j) {
    acc[j] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(acc_out + 4 * j));
    key[j] = _mm256_add_epi64(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(kKeys + 4 * j)), offset);
  }
  for (; count > 0; --count, p += 64)
    for (int j = 0; j < 2; ++j) {
      const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * j));
      const __m256i x = _mm256_xor_si256(v, key[j]);
      const __m256i product = _mm256_mul_epu32(x, _mm256_srli_epi64(x, 32));
      const __m256i swapped = _mm256_shuffle_epi32(v, 0xB1);
      acc[j] = _mm256_add_epi64(acc[j], _mm256_add_epi64(product, swapped));
      key[j] = _mm256_add_epi64(key[j], step);
    }
  for (int j = 0; j < 2; ++j) _mm256_storeu_si256(reinterpret_cast<__m256i*>(acc_out + 4 * j), acc[j]);
}
#endif
inline BlocksFn pick_blocks() {
#if defined(AOEH_HASH_AVX2)
  if (__builtin_cpu_supports("avx2")) return &blocks_avx2;
#endif
#if defined(__SSE2__)
  return &blocks_sse2;
#else
  return &blocks_scalar;
#endif
}
inline const BlocksFn blocks = pick_blocks();  // chosen once per process
}  // namespace hash_detail

inline std::uint64_t hash_bytes(std::span<const std::uint8_t> bytes) {
  using hash_detail::kKeys;
  std::uint64_t acc[8];
  for (int i = 0; i < 8; ++i) acc[i] = kKeys[7 - i];
  const std::size_t full = bytes.size() / 64, rest = bytes.size() % 64;
  if (full > 0) hash_detail::blocks(acc, bytes.data(), 0, full);
  if (rest > 0) {
    // One block: computed inline (same formula) rather than through the dispatch pointer, which
    // costs more than the block itself for a 60-byte frame.
    std::uint8_t last[64] = {};
    std::memcpy(last, bytes.data() + full * 64, rest);
#if defined(__SSE2__)
    hash_detail::blocks_sse2(acc, last, full, 1);
#else
    hash_detail::blocks_scalar(acc, last, full, 1);
#endif
  }
  std::uint64_t h = mix64(bytes.size() + kKeys[0]);
  for (int i = 0; i < 8; ++i) h ^= mix64(acc[i] + kKeys[i]);
  return h;
}

}  // namespace aoeh::sim
