#pragma once
// Seeded randomness for the simulator: xoshiro256** (Blackman & Vigna) with its state filled by
// SplitMix64. Every component draws from its own stream, derived from (seed, component id), so
// adding a component never shifts the randomness another one sees.
#include <cstdint>
#include <string_view>

#include "sim/hash.hpp"

namespace aoeh::sim {

// SplitMix64: a tiny generator used only to expand a 64-bit seed into xoshiro state.
struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
};

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0) {
    SplitMix64 sm{seed};
    for (auto& w : s_) w = sm.next();
  }
  // The stream of `component` under `seed`: independent of every other component's stream.
  static Rng stream(std::uint64_t seed, std::uint64_t component) {
    SplitMix64 sm{seed};
    return Rng(sm.next() ^ mix64(component + 0x632BE59BD9B4E019ull));
  }
  static Rng stream(std::uint64_t seed, std::string_view component) { return stream(seed, fnv1a64(component)); }
  // Raw state, for checking against the reference implementation's published outputs.
  static Rng from_state(std::uint64_t a, std::uint64_t b, std::uint64_t c, std::uint64_t d) {
    Rng r;
    r.s_[0] = a, r.s_[1] = b, r.s_[2] = c, r.s_[3] = d;
    return r;
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Uniform in [0, bound) (bound > 0), by Lemire's multiply-shift; the tiny bias is irrelevant here.
  std::uint64_t below(std::uint64_t bound) {
    __extension__ using u128 = unsigned __int128;
    return static_cast<std::uint64_t>((static_cast<u128>(next()) * bound) >> 64);
  }
  bool chance(double p) { return p > 0 && (p >= 1 || uniform() < p); }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

}  // namespace aoeh::sim
