#include <cstring>

#include "sim/target/block_store.hpp"

namespace aoeh::target {

bool SparseSectors::read_sector(std::uint64_t lba, std::uint8_t* out) const {
  const auto it = chunks_.find(lba / kSectorsPerChunk);
  const std::size_t s = lba % kSectorsPerChunk;
  if (it == chunks_.end() || (it->second.present >> s & 1u) == 0) return false;
  std::memcpy(out, it->second.bytes.data() + s * kStoreSectorSize, kStoreSectorSize);
  return true;
}

void SparseSectors::write_sector(std::uint64_t lba, const std::uint8_t* data) {
  Chunk& c = chunks_[lba / kSectorsPerChunk];
  const std::size_t s = lba % kSectorsPerChunk;
  const auto bit = static_cast<std::uint8_t>(1u << s);
  if ((c.present & bit) == 0) ++sectors_;
  c.present |= bit;
  std::memcpy(c.bytes.data() + s * kStoreSectorSize, data, kStoreSectorSize);
}

void SparseSectors::read(std::uint64_t lba, std::span<std::uint8_t> out) const {
  const std::size_t count = out.size() / kStoreSectorSize;
  if (chunks_.empty()) {  // nothing written yet (a read-only workload): no lookups
    std::memset(out.data(), 0, count * kStoreSectorSize);
    return;
  }
  // One map lookup per chunk, not per sector: walk the chunks the range touches in order.
  auto it = chunks_.lower_bound(lba / kSectorsPerChunk);
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint64_t sector = lba + i;
    const std::uint64_t index = sector / kSectorsPerChunk;
    while (it != chunks_.end() && it->first < index) ++it;
    std::uint8_t* dst = out.data() + i * kStoreSectorSize;
    const std::size_t s = sector % kSectorsPerChunk;
    if (it != chunks_.end() && it->first == index && (it->second.present >> s & 1u) != 0)
      std::memcpy(dst, it->second.bytes.data() + s * kStoreSectorSize, kStoreSectorSize);
    else
      std::memset(dst, 0, kStoreSectorSize);
  }
}

bool SparseSectors::contains(std::uint64_t lba) const {
  const auto it = chunks_.find(lba / kSectorsPerChunk);
  return it != chunks_.end() && (it->second.present >> (lba % kSectorsPerChunk) & 1u) != 0;
}

bool MemoryStore::read(std::uint64_t lba, std::span<std::uint8_t> out) {
  sectors_.read(lba, out);
  return true;
}

bool MemoryStore::write(std::uint64_t lba, std::span<const std::uint8_t> data) {
  for (std::size_t i = 0; i * kStoreSectorSize < data.size(); ++i)
    sectors_.write_sector(lba + i, data.data() + i * kStoreSectorSize);
  return true;
}

}  // namespace aoeh::target
