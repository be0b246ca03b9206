// Independent cross-check: Wireshark's AoE dissector reads a pcap of generated frames of every kind;
// every header and ATA field it reports must equal what the codec was asked to encode, and it must
// flag no frame as malformed.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "protocol/pcap_file.hpp"
#include "protocol/tests/support/bytes.hpp"
#include "protocol/tests/support/frame_samples.hpp"
#include "protocol/tests/support/temp_dir.hpp"

namespace aoeh::proto {
namespace {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs a shell command; stdout is captured, stderr goes to a file (tshark warns when run as root,
// so only the exit code judges success; stderr is shown when something fails).
CommandResult run(const std::string& command, const testing::TempDir& dir) {
  CommandResult r;
  const std::string err_file = dir.file("stderr.txt");
  std::FILE* p = ::popen((command + " 2>" + err_file).c_str(), "r");
  if (!p) return r;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err_file);
  r.err.assign(std::istreambuf_iterator<char>(in), {});
  return r;
}

bool have_tshark() { return std::system("command -v tshark >/dev/null 2>&1") == 0; }

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) parts.push_back(cur);
  if (!s.empty() && s.back() == sep) parts.emplace_back();
  return parts;
}

// tshark prints hex fields as 0x..., others in decimal, booleans as 0/1.
std::uint64_t number(const std::string& s) { return std::strtoull(s.c_str(), nullptr, 0); }

// The fields asked of tshark, in column order.
const char* const kFields[] = {
    "aoe.version",  "aoe.response",  "aoe.flags_error", "aoe.error",         "aoe.major",   "aoe.minor",
    "aoe.cmd",      "aoe.tag",       "aoe.aflags.e",    "aoe.aflags.d",      "aoe.aflags.a", "aoe.aflags.w",
    "aoe.err_feature", "aoe.sector_count", "aoe.ata.cmd", "aoe.ata.status",  "aoe.lba",
};
enum Column { Version, Response, ErrorFlag, Error, Major, Minor, Cmd, Tag, E, D, A, W, ErrFeature, Count, AtaCmd, AtaStatus, Lba };

constexpr std::uint64_t kSeed = 0x75A4C;
constexpr std::size_t kFrames = 330;  // 30 of each kind

TEST(Tshark, DecodesEveryGeneratedFrameAsEncoded) {
  ASSERT_TRUE(have_tshark()) << "tshark is not installed: run `bash scripts/deps.sh` (Debian package tshark)";
  testing::TempDir dir;
  const std::string pcap = dir.file("frames.pcap");
  auto specs = testing::sample_frames(kSeed, kFrames);
  {
    std::string error;
    auto writer = PcapWriter::create(pcap, &error);
    ASSERT_TRUE(writer.has_value()) << error;
    for (std::size_t i = 0; i < specs.size(); ++i)
      ASSERT_TRUE(writer->write(static_cast<std::int64_t>(i) * 1'000'000, specs[i].encode(i % 3 != 0)));
    ASSERT_TRUE(writer->flush());
  }

  std::string command = "tshark -n -r '" + pcap + "' -T fields -E separator=/t -E occurrence=f";
  for (const char* f : kFields) command += std::string(" -e ") + f;
  const auto fields = run(command, dir);
  ASSERT_EQ(fields.exit_code, 0) << command << "\n" << fields.err;
  const auto lines = split(fields.out, '\n');
  ASSERT_GE(lines.size(), specs.size());
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const auto& s = specs[i];
    const Header& h = s.header;
    SCOPED_TRACE(::testing::Message() << "frame " << i + 1 << " (" << testing::sample_kind_name(s.kind) << "): " << lines[i]);
    const auto col = split(lines[i], '\t');
    ASSERT_EQ(col.size(), std::size(kFields));
    EXPECT_EQ(number(col[Version]), h.version);
    EXPECT_EQ(number(col[Response]), h.is_response() ? 1u : 0u);
    EXPECT_EQ(number(col[ErrorFlag]), h.is_error() ? 1u : 0u);
    if (h.is_error()) {
      EXPECT_EQ(number(col[Error]), h.error);
    } else {
      EXPECT_EQ(col[Error], "");  // tshark shows the code only with the Error flag
    }
    EXPECT_EQ(number(col[Major]), h.shelf);
    EXPECT_EQ(number(col[Minor]), h.slot);
    EXPECT_EQ(number(col[Cmd]), h.command);
    EXPECT_EQ(number(col[Tag]), h.tag);
    if (h.command != static_cast<std::uint8_t>(Command::Ata)) {
      for (int c : {E, D, A, W, ErrFeature, Count, AtaCmd, AtaStatus, Lba}) EXPECT_EQ(col[c], "") << kFields[c];
      continue;
    }
    const AtaArg& a = s.ata;
    EXPECT_EQ(number(col[E]), a.extended() ? 1u : 0u);
    // tshark shows D, A and W only for some frames; when shown they must match.
    if (!col[D].empty()) {
      EXPECT_EQ(number(col[D]), (a.aflags & kAtaFlagDevice) ? 1u : 0u);
    }
    if (!col[A].empty()) {
      EXPECT_EQ(number(col[A]), a.async() ? 1u : 0u);
    }
    EXPECT_EQ(number(col[W]), a.write() ? 1u : 0u);
    EXPECT_EQ(number(col[ErrFeature]), a.err_feature);
    EXPECT_EQ(number(col[Count]), a.sector_count);
    if (h.is_response()) {
      EXPECT_EQ(number(col[AtaStatus]), a.cmd_status);
      EXPECT_EQ(col[AtaStatus].empty(), false);
      // A response's aoe.ata.cmd, when present, is the matched request's command, not a wire field.
    } else {
      EXPECT_EQ(number(col[AtaCmd]), a.cmd_status);
      EXPECT_EQ(col[AtaStatus], "");
    }
    // tshark reads bytes 28..33 as one little-endian number: an LBA28 frame shows the 0xE0 | bits
    // 24..27 device register in byte 31.
    const std::uint64_t wire_lba = a.extended() ? a.lba : ((a.lba & ata::kMaxLba28) | (0xE0ull << 24));
    EXPECT_EQ(number(col[Lba]), wire_lba);
  }

  const auto malformed = run("tshark -n -r '" + pcap + "' -Y 'aoe && _ws.malformed' -T fields -e frame.number", dir);
  ASSERT_EQ(malformed.exit_code, 0) << malformed.err;
  EXPECT_EQ(malformed.out, "") << "frames tshark flags as malformed (frame numbers)";

  const auto decoded = run("tshark -n -r '" + pcap + "' -Y aoe -T fields -e frame.number", dir);
  ASSERT_EQ(decoded.exit_code, 0) << decoded.err;
  EXPECT_EQ(split(decoded.out, '\n').size(), specs.size() + 1) << "every frame must decode as AoE";
}

TEST(Tshark, FlagsATruncatedFrameAsMalformed) {
  // The check above could pass by tshark never flagging anything; prove it does flag a frame cut
  // inside the ATA argument.
  ASSERT_TRUE(have_tshark()) << "tshark is not installed: run `bash scripts/deps.sh` (Debian package tshark)";
  testing::TempDir dir;
  const std::string pcap = dir.file("cut.pcap");
  auto specs = testing::sample_frames(kSeed, 1);  // an ATA request
  ASSERT_EQ(specs[0].kind, testing::SampleKind::AtaRequest);
  auto bytes = specs[0].encode(false);
  bytes.resize(30);
  {
    auto writer = PcapWriter::create(pcap);
    ASSERT_TRUE(writer.has_value());
    ASSERT_TRUE(writer->write(0, bytes));
  }
  const auto malformed = run("tshark -n -r '" + pcap + "' -Y 'aoe && _ws.malformed' -T fields -e frame.number", dir);
  ASSERT_EQ(malformed.exit_code, 0) << malformed.err;
  EXPECT_EQ(malformed.out, "1\n");
}

}  // namespace
}  // namespace aoeh::proto
