#include "protocol/pcap_file.hpp"

#include <cerrno>
#include <cstring>

namespace aoeh::proto {
namespace {
constexpr std::uint32_t kMagicNanos = 0xa1b23c4d;
constexpr std::uint32_t kMagicMicros = 0xa1b2c3d4;
constexpr std::uint32_t kLinkTypeEthernet = 1;
constexpr std::uint32_t kSnapLen = 65535;

std::uint32_t swap32(std::uint32_t v) { return __builtin_bswap32(v); }
}  // namespace

std::optional<PcapWriter> PcapWriter::create(const std::string& path, std::string* error) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) {
    if (error) *error = "cannot create " + path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  PcapWriter w;
  w.file_.reset(f);
  // magic, version 2.4 (two u16), thiszone, sigfigs, snaplen, link type; host byte order.
  const std::uint32_t magic = kMagicNanos;
  const std::uint16_t version[2] = {2, 4};
  const std::uint32_t rest[4] = {0, 0, kSnapLen, kLinkTypeEthernet};
  if (std::fwrite(&magic, 4, 1, f) != 1 || std::fwrite(version, 2, 2, f) != 2 || std::fwrite(rest, 4, 4, f) != 4) {
    if (error) *error = "cannot write pcap header to " + path;
    return std::nullopt;
  }
  return w;
}

bool PcapWriter::write(std::int64_t time_ns, std::span<const std::uint8_t> frame) {
  if (!file_) return false;
  const std::uint32_t len = static_cast<std::uint32_t>(frame.size());
  const std::uint32_t rec[4] = {static_cast<std::uint32_t>(time_ns / 1'000'000'000),
                                static_cast<std::uint32_t>(time_ns % 1'000'000'000), len, len};
  if (std::fwrite(rec, 4, 4, file_.get()) != 4) return false;
  if (len && std::fwrite(frame.data(), 1, len, file_.get()) != len) return false;
  ++frames_;
  return true;
}

bool PcapWriter::flush() { return file_ && std::fflush(file_.get()) == 0; }

std::optional<std::vector<PcapRecord>> read_pcap(const std::string& path, std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<std::vector<PcapRecord>> {
    if (error) *error = path + ": " + why;
    return std::nullopt;
  };
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return fail(std::strerror(errno));
  std::uint32_t gh[6];
  if (std::fread(gh, 4, 6, f.get()) != 6) return fail("truncated pcap header");
  bool swapped = false, nanos = false;
  switch (gh[0]) {
    case kMagicNanos: nanos = true; break;
    case kMagicMicros: break;
    default:
      if (swap32(gh[0]) == kMagicNanos) { nanos = true; swapped = true; }
      else if (swap32(gh[0]) == kMagicMicros) { swapped = true; }
      else return fail("not a pcap file");
  }
  auto fix = [&](std::uint32_t v) { return swapped ? swap32(v) : v; };
  if (fix(gh[5]) != kLinkTypeEthernet) return fail("link type is not Ethernet");
  std::vector<PcapRecord> out;
  std::uint32_t rec[4];
  while (std::fread(rec, 4, 4, f.get()) == 4) {
    const std::uint32_t incl = fix(rec[2]);
    if (incl > (1u << 20)) return fail("record length out of range");
    PcapRecord r;
    r.time_ns = std::int64_t{fix(rec[0])} * 1'000'000'000 + std::int64_t{fix(rec[1])} * (nanos ? 1 : 1000);
    r.bytes.resize(incl);
    if (incl && std::fread(r.bytes.data(), 1, incl, f.get()) != incl) return fail("truncated record");
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace aoeh::proto
