#pragma once
// ATA frame tags: the frame-pool slot index in the low 20 bits and the low 11 bits of the slot's
// transmission counter above it; bit 31 stays clear (Linux and aoetools reserve it for tools, and
// our own Query Config probes use it). A reply's tag leads straight to its slot without a lookup,
// and every transmission of a slot (first send, retransmission, reuse) carries a fresh tag.
#include <cstdint>

namespace aoeh::initiator::tag {

inline constexpr unsigned kSlotBits = 20;
inline constexpr std::uint32_t kMaxSlots = 1u << kSlotBits;
inline constexpr unsigned kGenBits = 11;
inline constexpr std::uint32_t kGenMask = (1u << kGenBits) - 1;
inline constexpr std::uint32_t kToolBit = 0x8000'0000u;

inline constexpr std::uint32_t make(std::uint32_t slot, std::uint32_t gen) {
  return ((gen & kGenMask) << kSlotBits) | (slot & (kMaxSlots - 1));
}
inline constexpr std::uint32_t slot_of(std::uint32_t t) { return t & (kMaxSlots - 1); }
inline constexpr std::uint32_t gen_of(std::uint32_t t) { return (t >> kSlotBits) & kGenMask; }

// Query Config tags. Discovery broadcasts use 0 like Linux. Probes (health, MTU liveness) carry
// the tool bit so that their answers can be told apart: they never trigger a re-IDENTIFY.
inline constexpr std::uint32_t kDiscover = 0;
inline constexpr std::uint32_t kProbe = kToolBit | 1u;

}  // namespace aoeh::initiator::tag
