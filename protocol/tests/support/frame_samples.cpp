#include "protocol/tests/support/frame_samples.hpp"

namespace aoeh::proto::testing {
namespace {

template <class T>
T uniform(std::mt19937_64& rng, T lo, T hi) {
  return static_cast<T>(std::uniform_int_distribution<std::uint64_t>(lo, hi)(rng));
}
std::uint8_t any_byte(std::mt19937_64& rng) { return uniform<std::uint8_t>(rng, 0, 255); }
bool one_in(std::mt19937_64& rng, int n) { return uniform<int>(rng, 1, n) == 1; }

MacAddress random_mac(std::mt19937_64& rng) {
  MacAddress m;
  for (auto& b : m.bytes) b = any_byte(rng);
  return m;
}

std::vector<std::uint8_t> random_bytes(std::mt19937_64& rng, std::size_t n) {
  std::vector<std::uint8_t> v(n);
  for (auto& b : v) b = any_byte(rng);
  return v;
}

// Counts of list entries: mostly small, sometimes the extremes.
std::size_t random_list_length(std::mt19937_64& rng, std::size_t max) {
  if (one_in(rng, 8)) return 0;
  if (one_in(rng, 8)) return max;
  return uniform<std::size_t>(rng, 0, one_in(rng, 2) ? 8 : max);
}

Header random_header(std::mt19937_64& rng, std::uint8_t command, bool response, bool error) {
  Header h;
  h.dst = random_mac(rng);
  h.src = random_mac(rng);
  h.version = kAoEVersion;
  h.flags = static_cast<std::uint8_t>((response ? kFlagResponse : 0) | (error ? kFlagError : 0));
  h.error = error ? uniform<std::uint8_t>(rng, 1, 255) : 0;  // tshark shows the code only with the flag
  h.shelf = uniform<std::uint16_t>(rng, 0, 0xFFFF);
  h.slot = any_byte(rng);
  h.command = command;
  h.tag = uniform<std::uint32_t>(rng, 0, 0xFFFFFFFF);
  return h;
}

AtaArg random_ata_arg(std::mt19937_64& rng, bool write) {
  AtaArg a;
  a.aflags = static_cast<std::uint8_t>((one_in(rng, 2) ? kAtaFlagExtended : 0) | (one_in(rng, 2) ? kAtaFlagDevice : 0) |
                                       (one_in(rng, 2) ? kAtaFlagAsync : 0) | (write ? kAtaFlagWrite : 0));
  a.err_feature = any_byte(rng);
  a.sector_count = any_byte(rng);
  a.cmd_status = any_byte(rng);
  a.lba = uniform<std::uint64_t>(rng, 0, a.extended() ? ata::kMaxLba48 : ata::kMaxLba28);
  return a;
}

constexpr std::uint8_t kMaxSectorsPerFrame = 17;  // a 9000-byte MTU

}  // namespace

std::string_view sample_kind_name(SampleKind k) {
  switch (k) {
    case SampleKind::AtaRequest: return "AtaRequest";
    case SampleKind::AtaWriteRequest: return "AtaWriteRequest";
    case SampleKind::AtaResponse: return "AtaResponse";
    case SampleKind::AtaErrorResponse: return "AtaErrorResponse";
    case SampleKind::QueryConfigRequest: return "QueryConfigRequest";
    case SampleKind::QueryConfigResponse: return "QueryConfigResponse";
    case SampleKind::MacMaskListRequest: return "MacMaskListRequest";
    case SampleKind::MacMaskListResponse: return "MacMaskListResponse";
    case SampleKind::ReserveReleaseRequest: return "ReserveReleaseRequest";
    case SampleKind::ReserveReleaseResponse: return "ReserveReleaseResponse";
    case SampleKind::Vendor: return "Vendor";
  }
  return "?";
}

Message FrameSpec::message() {
  Message m;
  m.header = header;
  const ByteSpan b(bytes);
  switch (kind) {
    case SampleKind::AtaRequest:
    case SampleKind::AtaWriteRequest:
    case SampleKind::AtaResponse:
    case SampleKind::AtaErrorResponse: {
      AtaBody body;
      body.arg = ata;
      body.data = b;
      m.body = body;
      break;
    }
    case SampleKind::QueryConfigRequest:
    case SampleKind::QueryConfigResponse: {
      QueryConfigArg q = query_config;
      q.config = b;
      m.body = q;
      break;
    }
    case SampleKind::MacMaskListRequest:
    case SampleKind::MacMaskListResponse: {
      wire.assign(directives.size() * kMacMaskDirectiveSize, 0);
      for (std::size_t i = 0; i < directives.size(); ++i) {
        wire[i * kMacMaskDirectiveSize + 1] = directives[i].dcmd;
        directives[i].mac.store(&wire[i * kMacMaskDirectiveSize + 2]);
      }
      MacMaskListBody body;
      body.mcmd = mcmd;
      body.merror = merror;
      body.directive_count = static_cast<std::uint8_t>(directives.size());
      body.directives = ByteSpan(wire);
      m.body = body;
      break;
    }
    case SampleKind::ReserveReleaseRequest:
    case SampleKind::ReserveReleaseResponse: {
      wire.assign(macs.size() * 6, 0);
      for (std::size_t i = 0; i < macs.size(); ++i) macs[i].store(&wire[i * 6]);
      ReserveReleaseBody body;
      body.rcmd = rcmd;
      body.mac_count = static_cast<std::uint8_t>(macs.size());
      body.macs = ByteSpan(wire);
      m.body = body;
      break;
    }
    case SampleKind::Vendor:
      m.body = VendorBody{b};
      break;
  }
  return m;
}

std::vector<std::uint8_t> FrameSpec::encode(bool pad) {
  std::vector<std::uint8_t> out(kMaxFrameSize);
  out.resize(encode_frame(out, message(), pad));
  return out;
}

FrameSpec FrameSpec::padded_expectation() const {
  FrameSpec s = *this;
  if (kind == SampleKind::Vendor && kHeaderSize + s.bytes.size() < kMinFrameSize) s.bytes.resize(kMinFrameSize - kHeaderSize, 0);
  return s;
}

FrameSpec random_frame(std::mt19937_64& rng, SampleKind kind) {
  FrameSpec s;
  s.kind = kind;
  const auto cmd = [](Command c) { return static_cast<std::uint8_t>(c); };
  switch (kind) {
    case SampleKind::AtaRequest:
      s.header = random_header(rng, cmd(Command::Ata), false, false);
      s.ata = random_ata_arg(rng, false);
      break;
    case SampleKind::AtaWriteRequest:
      s.header = random_header(rng, cmd(Command::Ata), false, false);
      s.ata = random_ata_arg(rng, true);
      s.ata.sector_count = uniform<std::uint8_t>(rng, 0, kMaxSectorsPerFrame);
      s.bytes = random_bytes(rng, s.ata.data_bytes());
      break;
    case SampleKind::AtaResponse:
      s.header = random_header(rng, cmd(Command::Ata), true, false);
      s.ata = random_ata_arg(rng, one_in(rng, 4));
      if (!s.ata.write()) s.bytes = random_bytes(rng, kSectorSize * uniform<std::size_t>(rng, 0, kMaxSectorsPerFrame));
      break;
    case SampleKind::AtaErrorResponse:
      s.header = random_header(rng, cmd(Command::Ata), true, true);
      s.ata = random_ata_arg(rng, one_in(rng, 4));
      break;
    case SampleKind::QueryConfigRequest:
    case SampleKind::QueryConfigResponse: {
      const bool response = kind == SampleKind::QueryConfigResponse;
      s.header = random_header(rng, cmd(Command::QueryConfig), response, response && one_in(rng, 4));
      s.query_config.buffer_count = uniform<std::uint16_t>(rng, 0, 0xFFFF);
      s.query_config.firmware_version = uniform<std::uint16_t>(rng, 0, 0xFFFF);
      s.query_config.sector_count = any_byte(rng);
      s.query_config.aoe_version = uniform<std::uint8_t>(rng, 0, 15);
      s.query_config.ccmd = uniform<std::uint8_t>(rng, 0, 15);
      s.bytes = random_bytes(rng, random_list_length(rng, kMaxConfigStringSize));
      break;
    }
    case SampleKind::MacMaskListRequest:
    case SampleKind::MacMaskListResponse: {
      const bool response = kind == SampleKind::MacMaskListResponse;
      s.header = random_header(rng, cmd(Command::MacMaskList), response, response && one_in(rng, 4));
      s.mcmd = any_byte(rng);
      s.merror = any_byte(rng);
      s.directives.resize(random_list_length(rng, 255));
      for (auto& d : s.directives) d = {any_byte(rng), random_mac(rng)};
      break;
    }
    case SampleKind::ReserveReleaseRequest:
    case SampleKind::ReserveReleaseResponse: {
      const bool response = kind == SampleKind::ReserveReleaseResponse;
      s.header = random_header(rng, cmd(Command::ReserveRelease), response, response && one_in(rng, 4));
      s.rcmd = any_byte(rng);
      s.macs.resize(random_list_length(rng, 255));
      for (auto& m : s.macs) m = random_mac(rng);
      break;
    }
    case SampleKind::Vendor:
      s.header = random_header(rng, uniform<std::uint8_t>(rng, kVendorCommandFirst, 0xFF), one_in(rng, 2), false);
      s.bytes = random_bytes(rng, one_in(rng, 2) ? uniform<std::size_t>(rng, 0, 40) : uniform<std::size_t>(rng, 0, 1500));
      break;
  }
  return s;
}

std::vector<FrameSpec> sample_frames(std::uint64_t seed, std::size_t count) {
  std::mt19937_64 rng(seed);
  std::vector<FrameSpec> out;
  out.reserve(count);
  constexpr std::size_t kinds = std::size(kAllSampleKinds);
  for (std::size_t i = 0; i < count; ++i) out.push_back(random_frame(rng, kAllSampleKinds[i % kinds]));
  return out;
}

}  // namespace aoeh::proto::testing
