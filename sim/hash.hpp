#pragma once
// 64-bit hashing for determinism checks: FNV-1a for short names, a word-at-a-time multiply-mix
// hash for frame bytes (hashed once per frame, so every event can fold a frame cheaply), and a
// fold that chains values into a running event-log hash.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

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

// Hash of a byte string: four independent 64-bit lanes over 32-byte blocks (fast on 1 KiB..9 KiB
// frames), then the tail, then the length.
inline std::uint64_t hash_bytes(std::span<const std::uint8_t> bytes) {
  constexpr std::uint64_t k1 = 0x9E3779B185EBCA87ull, k2 = 0xC2B2AE3D27D4EB4Full;
  const std::uint8_t* p = bytes.data();
  std::size_t n = bytes.size();
  std::uint64_t a = k1, b = k2, c = k1 ^ k2, d = k1 + k2;
  auto load = [](const std::uint8_t* q) {
    std::uint64_t v;
    std::memcpy(&v, q, 8);
    return v;
  };
  auto lane = [&](std::uint64_t acc, std::uint64_t v) {
    acc += v * k2;
    acc = (acc << 31) | (acc >> 33);
    return acc * k1;
  };
  while (n >= 32) {
    a = lane(a, load(p));
    b = lane(b, load(p + 8));
    c = lane(c, load(p + 16));
    d = lane(d, load(p + 24));
    p += 32;
    n -= 32;
  }
  std::uint64_t h = fold(fold(fold(a, b), c), d);
  while (n >= 8) {
    h = fold(h, load(p));
    p += 8;
    n -= 8;
  }
  std::uint64_t tail = 0;
  for (std::size_t i = 0; i < n; ++i) tail |= std::uint64_t{p[i]} << (8 * i);
  return fold(fold(h, tail), bytes.size());
}

}  // namespace aoeh::sim
