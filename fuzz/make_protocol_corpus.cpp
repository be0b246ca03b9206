// Writes the seed corpus of fuzz_protocol: frames of every kind, padded and not, plus the peer
// shapes and malformed classes of the golden and malformed tests. Run once:
//   build/<preset>/fuzz/make_protocol_corpus fuzz/corpus/protocol
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "protocol/identify.hpp"
#include "protocol/tests/support/frame_samples.hpp"

namespace {
using namespace aoeh::proto;
using aoeh::proto::testing::FrameSpec;

constexpr std::size_t kMaxSeedSize = 2048;  // keep seeds small; the fuzzer grows them

bool write(const std::filesystem::path& dir, const std::string& name, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::fprintf(stderr, "cannot create %s: %s\n", argv[1], ec.message().c_str());
    return 2;
  }
  int written = 0;
  auto put = [&](const std::string& name, const std::vector<std::uint8_t>& bytes) {
    if (!write(dir, name, bytes)) {
      std::fprintf(stderr, "cannot write %s\n", (dir / name).c_str());
      std::exit(2);
    }
    ++written;
  };

  auto frames = aoeh::proto::testing::sample_frames(0xC0A905, 66);
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const bool pad = (i / std::size(aoeh::proto::testing::kAllSampleKinds)) % 2 == 1;
    auto bytes = frames[i].encode(pad);
    if (bytes.size() > kMaxSeedSize) continue;
    put(std::string(aoeh::proto::testing::sample_kind_name(frames[i].kind)) + (pad ? "-padded-" : "-") +
            std::to_string(i),
        bytes);
  }

  // Peer shapes and malformed classes, derived from generated frames.
  std::mt19937_64 rng(1);
  FrameSpec qc = aoeh::proto::testing::random_frame(rng, aoeh::proto::testing::SampleKind::QueryConfigResponse);
  qc.bytes.clear();
  qc.header.flags = kFlagResponse;
  auto announce = qc.encode(false);
  announce[14] = 0x08;  // vblade's start-up announcement: version 0
  put("vblade-announcement", announce);
  auto reserved = qc.encode(true);
  reserved[14] |= 0x3;
  put("reserved-flags", reserved);
  auto unknown = qc.encode(true);
  unknown[19] = 0x04;
  put("unknown-command", unknown);
  put("truncated-header", std::vector<std::uint8_t>(announce.begin(), announce.begin() + 23));
  auto long_config = qc.encode(true);
  long_config[30] = 0x04;
  long_config[31] = 0x01;  // 1025
  put("config-too-long", long_config);

  std::array<std::uint8_t, kIdentifyPageSize> page{};
  Identity id;
  id.capacity_sectors = 0x123456789ull;
  id.model = "aoeh fuzz seed";
  id.serial = "SEED0001";
  id.firmware = "1.0";
  build_identify(page, id);
  put("identify-page-lba48", std::vector<std::uint8_t>(page.begin(), page.end()));
  id.lba48 = false;
  build_identify(page, id);
  put("identify-page-lba28", std::vector<std::uint8_t>(page.begin(), page.end()));

  std::printf("wrote %d seed inputs to %s\n", written, argv[1]);
  return 0;
}
