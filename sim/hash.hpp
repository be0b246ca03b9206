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
//
// The lanes stay in registers from the first block to the finaliser, and the last partial block is
// masked in registers rather than copied: writing lanes or a padded copy to memory and reading them
// back as vectors defeats store forwarding, which once made a 60-byte frame cost as much to hash
// as a 1 KiB one (about 45 ns).
namespace hash_detail {
alignas(32) inline constexpr std::uint64_t kKeys[8] = {0x9E3779B185EBCA87ull, 0xC2B2AE3D27D4EB4Full, 0x165667B19E3779F9ull,
                                           0xD6E8FEB86659FD93ull, 0xFF51AFD7ED558CCDull, 0xC4CEB9FE1A85EC53ull,
                                           0x27D4EB2F165667C5ull, 0x94D049BB133111EBull};
inline constexpr std::uint64_t kStep = 0x9E3779B97F4A7C15ull;
alignas(32) inline constexpr std::uint64_t kInit[8] = {kKeys[7], kKeys[6], kKeys[5], kKeys[4],
                                                       kKeys[3], kKeys[2], kKeys[1], kKeys[0]};
alignas(32) inline constexpr std::int8_t kByteIndex[32] = {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10,
                                                           11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
                                                           22, 23, 24, 25, 26, 27, 28, 29, 30, 31};

inline std::uint64_t finish(const std::uint64_t acc[8], std::size_t length) {
  std::uint64_t h = mix64(length + kKeys[0]);
  for (int i = 0; i < 8; ++i) h ^= mix64(acc[i] + kKeys[i]);
  return h;
}

// One implementation's whole hash: `length` bytes at `p`, of which the first `length & ~63` are
// read in place. The last `length % 64` bytes are read from `tail`, which must have 64 readable
// bytes (bytes past the data are ignored, so a padded buffer can be its own tail).
using HashFn = std::uint64_t (*)(const std::uint8_t* p, std::size_t length, const std::uint8_t* tail);

inline std::uint64_t hash_scalar(const std::uint8_t* p, std::size_t length, const std::uint8_t* tail) {
  std::uint64_t acc[8];
  for (int i = 0; i < 8; ++i) acc[i] = kInit[i];
  const std::size_t full = length / 64, rest = length % 64;
  auto block = [&acc](const std::uint8_t* b, std::size_t index, std::size_t valid) {
    for (int i = 0; i < 8; ++i) {
      std::uint8_t word[8] = {};
      for (std::size_t k = 0; k < 8; ++k)
        if (8 * std::size_t(i) + k < valid) word[k] = b[8 * i + k];
      std::uint64_t v;
      std::memcpy(&v, word, 8);  // little-endian hosts, like the vector paths
      const std::uint64_t x = v ^ (kKeys[i] + index * kStep);
      acc[i] += ((v << 32) | (v >> 32)) + (x & 0xFFFFFFFFu) * (x >> 32);
    }
  };
  for (std::size_t b = 0; b < full; ++b) block(p + 64 * b, b, 64);
  if (rest > 0) block(tail, full, rest);
  return finish(acc, length);
}

#if defined(__SSE2__)
inline std::uint64_t hash_sse2(const std::uint8_t* p, std::size_t length, const std::uint8_t* tail) {
  __m128i acc[4], key[4];
  const __m128i step = _mm_set1_epi64x(static_cast<long long>(kStep));
  for (int j = 0; j < 4; ++j) {
    acc[j] = _mm_load_si128(reinterpret_cast<const __m128i*>(kInit + 2 * j));
    key[j] = _mm_load_si128(reinterpret_cast<const __m128i*>(kKeys + 2 * j));
  }
  auto block = [&](const __m128i* v) {
    for (int j = 0; j < 4; ++j) {
      const __m128i x = _mm_xor_si128(v[j], key[j]);
      const __m128i product = _mm_mul_epu32(x, _mm_srli_epi64(x, 32));
      const __m128i swapped = _mm_shuffle_epi32(v[j], 0xB1);  // 32-bit halves of each lane exchanged
      acc[j] = _mm_add_epi64(acc[j], _mm_add_epi64(product, swapped));
      key[j] = _mm_add_epi64(key[j], step);
    }
  };
  const std::size_t full = length / 64, rest = length % 64;
  for (std::size_t b = 0; b < full; ++b, p += 64) {
    __m128i v[4];
    for (int j = 0; j < 4; ++j) v[j] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * j));
    block(v);
  }
  if (rest > 0) {
    const __m128i index = _mm_load_si128(reinterpret_cast<const __m128i*>(kByteIndex));
    __m128i v[4];
    for (int j = 0; j < 4; ++j) {
      const __m128i keep = _mm_cmpgt_epi8(_mm_set1_epi8(static_cast<char>(int(rest) - 16 * j)), index);
      v[j] = _mm_and_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(tail + 16 * j)), keep);
    }
    block(v);
  }
  alignas(16) std::uint64_t lanes[8];
  for (int j = 0; j < 4; ++j) _mm_store_si128(reinterpret_cast<__m128i*>(lanes + 2 * j), acc[j]);
  return finish(lanes, length);
}
#endif

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define AOEH_HASH_AVX2 1
__attribute__((target("avx2"))) inline std::uint64_t hash_avx2(const std::uint8_t* p, std::size_t length,
                                                               const std::uint8_t* tail) {
  __m256i acc[2], key[2];
  const __m256i step = _mm256_set1_epi64x(static_cast<long long>(kStep));
  for (int j = 0; j < 2; ++j) {
    acc[j] = _mm256_load_si256(reinterpret_cast<const __m256i*>(kInit + 4 * j));
    key[j] = _mm256_load_si256(reinterpret_cast<const __m256i*>(kKeys + 4 * j));
  }
  auto block = [&](__m256i v0, __m256i v1) __attribute__((target("avx2"))) {
    const __m256i v[2] = {v0, v1};
    for (int j = 0; j < 2; ++j) {
      const __m256i x = _mm256_xor_si256(v[j], key[j]);
      const __m256i product = _mm256_mul_epu32(x, _mm256_srli_epi64(x, 32));
      const __m256i swapped = _mm256_shuffle_epi32(v[j], 0xB1);
      acc[j] = _mm256_add_epi64(acc[j], _mm256_add_epi64(product, swapped));
      key[j] = _mm256_add_epi64(key[j], step);
    }
  };
  const std::size_t full = length / 64, rest = length % 64;
  for (std::size_t b = 0; b < full; ++b, p += 64)
    block(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)),
          _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32)));
  if (rest > 0) {
    const __m256i index = _mm256_load_si256(reinterpret_cast<const __m256i*>(kByteIndex));
    const __m256i keep0 = _mm256_cmpgt_epi8(_mm256_set1_epi8(static_cast<char>(rest)), index);
    const __m256i keep1 = _mm256_cmpgt_epi8(_mm256_set1_epi8(static_cast<char>(int(rest) - 32)), index);
    block(_mm256_and_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(tail)), keep0),
          _mm256_and_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(tail + 32)), keep1));
  }
  alignas(32) std::uint64_t lanes[8];
  for (int j = 0; j < 2; ++j) _mm256_store_si256(reinterpret_cast<__m256i*>(lanes + 4 * j), acc[j]);
  return finish(lanes, length);
}
#endif

inline HashFn pick_hash() {
#if defined(AOEH_HASH_AVX2)
  if (__builtin_cpu_supports("avx2")) return &hash_avx2;
#endif
#if defined(__SSE2__)
  return &hash_sse2;
#else
  return &hash_scalar;
#endif
}
inline const HashFn hash_impl = pick_hash();  // chosen once per process
}  // namespace hash_detail

inline std::uint64_t hash_bytes(std::span<const std::uint8_t> bytes) {
  const std::size_t full = bytes.size() & ~std::size_t{63}, rest = bytes.size() % 64;
  std::uint8_t last[64] = {};  // only the first `rest` bytes are read
  if (rest > 0) std::memcpy(last, bytes.data() + full, rest);
  return hash_detail::hash_impl(bytes.data(), bytes.size(), last);
}

// hash_bytes of the first `length` bytes of `buffer`, which must be readable up to the next multiple
// of 64 (a frame pool buffer): the last block is read in place, without a copy.
inline std::uint64_t hash_padded(const std::uint8_t* buffer, std::size_t length) {
  return hash_detail::hash_impl(buffer, length, buffer + (length & ~std::size_t{63}));
}

}  // namespace aoeh::sim
