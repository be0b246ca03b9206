#pragma once
// Where a target's sectors live. The target enforces capacity; a store only moves whole sectors.
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <utility>

namespace aoeh::target {

inline constexpr std::size_t kStoreSectorSize = 512;

class BlockStore {
 public:
  virtual ~BlockStore() = default;
  // `out.size()` / `data.size()` are multiples of 512. Return false on an I/O failure.
  virtual bool read(std::uint64_t lba, std::span<std::uint8_t> out) = 0;
  virtual bool write(std::uint64_t lba, std::span<const std::uint8_t> data) = 0;
  // Makes completed writes durable (file: fdatasync). Memory: nothing to do.
  virtual bool flush() = 0;
};

// Sparse sectors in 4 KiB chunks. Sectors never written are absent; a chunk's `present` bits tell
// which of its 8 sectors hold data. Chunks are found through a two-level table: an ordered map of
// 4 MiB leaves (deterministic iteration, few and small nodes that stay cached), each a flat array of
// 1024 chunk pointers and their `present` bits. A map keyed by chunk, as before, walked a node per
// level, each node on its own page beside its 4 KiB of data: that walk was a quarter of a
// simulation's CPU time. The bits live in the leaf for the same reason: in the chunk, after its
// data, reading them was a cache miss of its own.
class SparseSectors {
 public:
  static constexpr std::size_t kChunkBytes = 4096;
  static constexpr std::size_t kSectorsPerChunk = kChunkBytes / kStoreSectorSize;
  static constexpr std::size_t kChunksPerLeaf = 1024;

  // Copies the sector's bytes into `out` (512 bytes) and returns true when present.
  bool read_sector(std::uint64_t lba, std::uint8_t* out) const;
  // Copies `out.size() / 512` consecutive sectors from `lba`; absent ones read as zeros.
  void read(std::uint64_t lba, std::span<std::uint8_t> out) const;
  void write_sector(std::uint64_t lba, const std::uint8_t* data);
  // Copies `data.size() / 512` consecutive sectors to `lba`.
  void write(std::uint64_t lba, std::span<const std::uint8_t> data);
  bool contains(std::uint64_t lba) const;
  void clear() { leaves_.clear(); sectors_ = 0; chunks_ = 0; }
  std::size_t sector_count() const { return sectors_; }
  std::size_t chunk_count() const { return chunks_; }
  // Visits present sectors in ascending LBA order: fn(lba, const uint8_t* 512 bytes).
  template <class Fn>
  void for_each(Fn&& fn) const {
    for (const auto& [leaf_index, leaf] : leaves_)
      for (std::size_t c = 0; c < kChunksPerLeaf; ++c) {
        const Chunk* chunk = leaf->chunks[c].get();
        if (chunk == nullptr) continue;
        const std::uint64_t first = (leaf_index * kChunksPerLeaf + c) * kSectorsPerChunk;
        for (std::size_t s = 0; s < kSectorsPerChunk; ++s)
          if (leaf->present[c] >> s & 1u) fn(first + s, chunk->data() + s * kStoreSectorSize);
      }
  }

 private:
  using Chunk = std::array<std::uint8_t, kChunkBytes>;  // only present sectors are ever read
  struct Leaf {
    std::array<std::unique_ptr<Chunk>, kChunksPerLeaf> chunks;
    std::array<std::uint8_t, kChunksPerLeaf> present{};
  };
  // A chunk and its present bits; `chunk` is null when nothing of it was written.
  struct Slot {
    const Chunk* chunk = nullptr;
    std::uint8_t present = 0;
  };
  Slot find(std::uint64_t chunk_index) const;
  // The chunk (created when missing) and its present bits, to update.
  std::pair<Chunk*, std::uint8_t*> find_or_add(std::uint64_t chunk_index);

  std::map<std::uint64_t, std::unique_ptr<Leaf>> leaves_;
  std::size_t sectors_ = 0;
  std::size_t chunks_ = 0;
};

// In-memory store: unwritten sectors read as zeros, so huge capacities (above 2^28 sectors) cost
// only what is written.
class MemoryStore final : public BlockStore {
 public:
  bool read(std::uint64_t lba, std::span<std::uint8_t> out) override;
  bool write(std::uint64_t lba, std::span<const std::uint8_t> data) override;
  bool flush() override { return true; }
  std::size_t sectors_written() const { return sectors_.sector_count(); }

 private:
  SparseSectors sectors_;
};

// A regular file or block device through pread/pwrite. Reads past the end of the file give zeros.
class FileStore final : public BlockStore {
 public:
  // Opens `path` (created when `create` and missing). Nullptr and `error` set on failure.
  static std::unique_ptr<FileStore> open(const std::string& path, bool read_only, bool create, std::string* error);
  ~FileStore() override;
  FileStore(const FileStore&) = delete;
  FileStore& operator=(const FileStore&) = delete;

  bool read(std::uint64_t lba, std::span<std::uint8_t> out) override;
  bool write(std::uint64_t lba, std::span<const std::uint8_t> data) override;
  bool flush() override;
  // Whole sectors in the file now (block devices: their size).
  std::uint64_t size_sectors() const;

 private:
  explicit FileStore(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace aoeh::target
