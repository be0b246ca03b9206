#pragma once
// pcap files (LINKTYPE_ETHERNET, nanosecond timestamps): one writer and reader for sim captures,
// live evidence, reports and tests. tshark and Wireshark read them.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace aoeh::proto {

class PcapWriter {
 public:
  // Creates (truncates) `path`. On failure returns nullopt and sets `error` to a readable reason.
  static std::optional<PcapWriter> create(const std::string& path, std::string* error = nullptr);
  // Appends one frame stamped `time_ns` (nanoseconds since the epoch of the capture).
  bool write(std::int64_t time_ns, std::span<const std::uint8_t> frame);
  bool flush();
  std::uint64_t frames_written() const { return frames_; }

 private:
  struct Closer {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, Closer> file_;
  std::uint64_t frames_ = 0;
};

struct PcapRecord {
  std::int64_t time_ns = 0;
  std::vector<std::uint8_t> bytes;
};

// Reads a whole pcap file (microsecond or nanosecond, either byte order). Nullopt + error on bad files.
std::optional<std::vector<PcapRecord>> read_pcap(const std::string& path, std::string* error = nullptr);

}  // namespace aoeh::proto
