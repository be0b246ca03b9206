// PcapWriter / read_pcap: frames and nanosecond stamps survive a round trip; files written by
// other tools (microsecond, other byte order) read correctly; bad files give a reason.
#include <gtest/gtest.h>

#include <fstream>

#include "protocol/pcap_file.hpp"
#include "protocol/tests/support/bytes.hpp"
#include "protocol/tests/support/frame_samples.hpp"
#include "protocol/tests/support/temp_dir.hpp"

namespace aoeh::proto {
namespace {

using testing::Bytes;
using testing::hex;

void write_file(const std::string& path, const Bytes& bytes) {
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

Bytes read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

TEST(Pcap, WriterAndReaderRoundTripFramesAndTimes) {
  testing::TempDir dir;
  const auto path = dir.file("round.pcap");
  auto frames = testing::sample_frames(99, 40);
  std::vector<Bytes> wire;
  {
    std::string error;
    auto w = PcapWriter::create(path, &error);
    ASSERT_TRUE(w.has_value()) << error;
    for (std::size_t i = 0; i < frames.size(); ++i) {
      wire.push_back(frames[i].encode(i % 2 == 0));
      ASSERT_TRUE(w->write(static_cast<std::int64_t>(i) * 1'234'567'891 + 7, wire.back()));
    }
    ASSERT_TRUE(w->write(5'000'000'000'000, {}));  // an empty record is legal
    EXPECT_EQ(w->frames_written(), frames.size() + 1);
    ASSERT_TRUE(w->flush());
  }
  std::string error;
  auto records = read_pcap(path, &error);
  ASSERT_TRUE(records.has_value()) << error;
  ASSERT_EQ(records->size(), frames.size() + 1);
  for (std::size_t i = 0; i < frames.size(); ++i) {
    EXPECT_EQ((*records)[i].time_ns, static_cast<std::int64_t>(i) * 1'234'567'891 + 7) << i;
    EXPECT_EQ((*records)[i].bytes, wire[i]) << i;
  }
  EXPECT_EQ(records->back().time_ns, 5'000'000'000'000);
  EXPECT_TRUE(records->back().bytes.empty());
}

TEST(Pcap, FileHeaderIsNanosecondEthernet) {
  testing::TempDir dir;
  const auto path = dir.file("header.pcap");
  { ASSERT_TRUE(PcapWriter::create(path).has_value()); }
  const Bytes bytes = read_file(path);
  // Little-endian host: magic a1b23c4d, version 2.4, zone 0, sigfigs 0, snaplen 65535, link type 1.
  EXPECT_EQ(testing::to_hex(bytes), testing::to_hex(hex("4d 3c b2 a1 | 02 00 04 00 | 00 00 00 00 | 00 00 00 00 |"
                                                         "ff ff 00 00 | 01 00 00 00")));
}

TEST(Pcap, ReadsMicrosecondFilesInEitherByteOrder) {
  testing::TempDir dir;
  // One 4-byte record at 3 s + 250 us, in little-endian and big-endian microsecond files.
  const Bytes little = hex("d4 c3 b2 a1 02 00 04 00 00 00 00 00 00 00 00 00 ff ff 00 00 01 00 00 00"
                           "03 00 00 00 fa 00 00 00 04 00 00 00 04 00 00 00 de ad be ef");
  const Bytes big = hex("a1 b2 c3 d4 00 02 00 04 00 00 00 00 00 00 00 00 00 00 ff ff 00 00 00 01"
                        "00 00 00 03 00 00 00 fa 00 00 00 04 00 00 00 04 de ad be ef");
  for (const Bytes* file : {&little, &big}) {
    const auto path = dir.file("micro.pcap");
    write_file(path, *file);
    std::string error;
    auto records = read_pcap(path, &error);
    ASSERT_TRUE(records.has_value()) << error;
    ASSERT_EQ(records->size(), 1u);
    EXPECT_EQ((*records)[0].time_ns, 3'000'250'000);
    EXPECT_EQ((*records)[0].bytes, hex("de ad be ef"));
  }
}

TEST(Pcap, BadFilesGiveAReason) {
  testing::TempDir dir;
  const Bytes good_header = hex("4d 3c b2 a1 02 00 04 00 00 00 00 00 00 00 00 00 ff ff 00 00 01 00 00 00");
  struct Case {
    const char* name;
    Bytes bytes;
    const char* reason;
  };
  const Case cases[] = {
      {"empty", {}, "truncated pcap header"},
      {"short header", Bytes(good_header.begin(), good_header.begin() + 20), "truncated pcap header"},
      {"not pcap", Bytes(24, 0x41), "not a pcap file"},
      {"raw IP link type", testing::cat({Bytes(good_header.begin(), good_header.begin() + 20), hex("65 00 00 00")}),
       "link type is not Ethernet"},
      {"truncated record", testing::cat({good_header, hex("00 00 00 00 00 00 00 00 08 00 00 00 08 00 00 00 01 02")}),
       "truncated record"},
      {"absurd record length", testing::cat({good_header, hex("00 00 00 00 00 00 00 00 00 00 00 40 00 00 00 40")}),
       "record length out of range"},
  };
  for (const auto& c : cases) {
    const auto path = dir.file("bad.pcap");
    write_file(path, c.bytes);
    std::string error;
    EXPECT_FALSE(read_pcap(path, &error).has_value()) << c.name;
    EXPECT_NE(error.find(c.reason), std::string::npos) << c.name << ": " << error;
    EXPECT_NE(error.find(path), std::string::npos) << c.name << ": " << error;
  }
  std::string error;
  EXPECT_FALSE(read_pcap(dir.file("missing.pcap"), &error).has_value());
  EXPECT_NE(error.find("missing.pcap"), std::string::npos) << error;
}

TEST(Pcap, CreateInAMissingDirectoryFails) {
  testing::TempDir dir;
  std::string error;
  EXPECT_FALSE(PcapWriter::create(dir.file("no/such/dir.pcap"), &error).has_value());
  EXPECT_NE(error.find("cannot create"), std::string::npos) << error;
}

TEST(Pcap, TempDirIsRemoved) {
  std::filesystem::path kept;
  {
    testing::TempDir dir;
    kept = dir.path();
    write_file(dir.file("x"), hex("00"));
    EXPECT_TRUE(std::filesystem::exists(kept));
  }
  EXPECT_FALSE(std::filesystem::exists(kept));
}

}  // namespace
}  // namespace aoeh::proto
