#include <cstring>

#include "sim/target/block_store.hpp"

namespace aoeh::target {

SparseSectors::Slot SparseSectors::find(std::uint64_t chunk_index) const {
  const auto it = leaves_.find(chunk_index / kChunksPerLeaf);
  if (it == leaves_.end()) return {};
  const std::size_t c = chunk_index % kChunksPerLeaf;
  return {it->second->chunks[c].get(), it->second->present[c]};
}

std::pair<SparseSectors::Chunk*, std::uint8_t*> SparseSectors::find_or_add(std::uint64_t chunk_index) {
  auto& leaf = leaves_[chunk_index / kChunksPerLeaf];
  if (!leaf) leaf = std::make_unique<Leaf>();
  const std::size_t c = chunk_index % kChunksPerLeaf;
  auto& chunk = leaf->chunks[c];
  if (!chunk) {
    chunk = std::make_unique<Chunk>();
    ++chunks_;
  }
  return {chunk.get(), &leaf->present[c]};
}

bool SparseSectors::read_sector(std::uint64_t lba, std::uint8_t* out) const {
  const Slot slot = find(lba / kSectorsPerChunk);
  const std::size_t s = lba % kSectorsPerChunk;
  if ((slot.present >> s & 1u) == 0) return false;
  std::memcpy(out, slot.chunk->data() + s * kStoreSectorSize, kStoreSectorSize);
  return true;
}

void SparseSectors::write_sector(std::uint64_t lba, const std::uint8_t* data) {
  write(lba, {data, kStoreSectorSize});
}

void SparseSectors::write(std::uint64_t lba, std::span<const std::uint8_t> data) {
  const std::size_t count = data.size() / kStoreSectorSize;
  std::pair<Chunk*, std::uint8_t*> slot{};
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint64_t sector = lba + i;
    const std::size_t s = sector % kSectorsPerChunk;
    if (i == 0 || s == 0) slot = find_or_add(sector / kSectorsPerChunk);  // one lookup per chunk
    const auto bit = static_cast<std::uint8_t>(1u << s);
    if ((*slot.second & bit) == 0) ++sectors_;
    *slot.second |= bit;
    std::memcpy(slot.first->data() + s * kStoreSectorSize, data.data() + i * kStoreSectorSize, kStoreSectorSize);
  }
}

void SparseSectors::read(std::uint64_t lba, std::span<std::uint8_t> out) const {
  const std::size_t count = out.size() / kStoreSectorSize;
  Slot slot;
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint64_t sector = lba + i;
    const std::size_t s = sector % kSectorsPerChunk;
    if (i == 0 || s == 0) slot = find(sector / kSectorsPerChunk);  // one lookup per chunk
    std::uint8_t* dst = out.data() + i * kStoreSectorSize;
    if ((slot.present >> s & 1u) != 0)
      std::memcpy(dst, slot.chunk->data() + s * kStoreSectorSize, kStoreSectorSize);
    else
      std::memset(dst, 0, kStoreSectorSize);
  }
}

bool SparseSectors::contains(std::uint64_t lba) const {
  return (find(lba / kSectorsPerChunk).present >> (lba % kSectorsPerChunk) & 1u) != 0;
}

bool MemoryStore::read(std::uint64_t lba, std::span<std::uint8_t> out) {
  sectors_.read(lba, out);
  return true;
}

bool MemoryStore::write(std::uint64_t lba, std::span<const std::uint8_t> data) {
  sectors_.write(lba, data);
  return true;
}

}  // namespace aoeh::target
