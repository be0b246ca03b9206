// RawPort against vblade on a veth pair, and its receive filtering, in a private namespace.
#include <fstream>
#include <map>
#include <vector>

#include "live/tests/live_test_support.hpp"
#include "protocol/ata.hpp"
#include "protocol/frame.hpp"
#include "protocol/query_config.hpp"

namespace aoeh::live::testing {
namespace {

using namespace std::chrono_literals;
using proto::DeviceAddress;
using proto::MacAddress;

std::vector<std::uint8_t> file_bytes(const std::string& path, std::size_t offset, std::size_t count) {
  std::ifstream in(path, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(offset));
  std::vector<std::uint8_t> out(count);
  in.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(count));
  return out;
}

using RawPortTest = LiveTest;

TEST_F(RawPortTest, QueryConfigToVbladeGetsItsReply) {
  NetnsFixture ns;
  const std::string file = ns.make_backing_file("disk.img", 4 << 20, 1);
  const DeviceAddress address{3, 7};
  ns.start_vblade(0, address, file, 24);
  const MacAddress target_mac = ns.mac_of("tgt0");

  boost::asio::io_context io;
  RawPort port = RawPort::open(io, "ini0");
  EXPECT_EQ(port.info().name, "ini0");
  ASSERT_TRUE(port.send(query_config_frame(port.info().mac, MacAddress::broadcast(), DeviceAddress::broadcast(),
                                           0x5EED0001)));
  EXPECT_EQ(port.queued(), 0u);
  EXPECT_EQ(port.counters().tx_frames, 1u);

  bool saw_own_frame = false;
  proto::Header reply;
  proto::QueryConfigArg config;
  const bool got = receive_until(
      io, port,
      [&](RawPort::Frame f) {
        const auto msg = proto::parse_frame(f);
        if (!msg.ok()) return false;
        if (msg->header.src == port.info().mac) saw_own_frame = true;
        if (!msg->header.is_response() || msg->header.tag != 0x5EED0001 || msg->query_config() == nullptr) return false;
        reply = msg->header;
        config = *msg->query_config();
        return true;
      },
      5s);
  ASSERT_TRUE(got) << "no Query Config reply; vblade log: " << ns.peer_log(0);
  EXPECT_FALSE(saw_own_frame) << "the port delivered a frame it sent itself";
  EXPECT_EQ(reply.src, target_mac);
  EXPECT_EQ(reply.dst, port.info().mac);
  EXPECT_EQ(reply.address(), address);
  EXPECT_FALSE(reply.is_error());
  EXPECT_EQ(config.buffer_count, 24);
  EXPECT_EQ(config.effective_sector_count(), proto::sectors_for_mtu(1500));
}

// 32 READs leave in one sendmmsg; every reply's data matches the backing file.
TEST_F(RawPortTest, BatchedReadsReturnTheBackingFileData) {
  NetnsFixture ns;
  const std::string file = ns.make_backing_file("disk.img", 1 << 20, 2);
  const DeviceAddress address{1, 1};
  ns.start_vblade(0, address, file, 64);
  const MacAddress target_mac = ns.mac_of("tgt0");

  boost::asio::io_context io;
  RawPortOptions options;
  options.batch = 32;
  RawPort port = RawPort::open(io, "ini0", options);
  constexpr int kRequests = 32;
  constexpr std::uint8_t kSectors = 2;
  std::vector<std::uint8_t> frame(proto::kMaxFrameSize);
  for (int i = 0; i < kRequests; ++i) {
    const std::uint64_t lba = static_cast<std::uint64_t>(i) * 5;  // spread, overlapping nothing
    const auto h = request_header(port.info().mac, target_mac, address, proto::Command::Ata, 0x1000u + i);
    const std::size_t n = proto::encode_ata(frame, h, proto::ata_read_arg(lba, kSectors, true));
    ASSERT_GT(n, 0u);
    ASSERT_TRUE(port.enqueue({frame.data(), n}));
  }
  EXPECT_EQ(port.queued(), static_cast<std::size_t>(kRequests));
  EXPECT_EQ(port.flush(), static_cast<std::size_t>(kRequests));
  EXPECT_EQ(port.counters().tx_calls, 1u) << "one sendmmsg for the whole batch";

  std::map<std::uint32_t, std::vector<std::uint8_t>> data_by_tag;
  const bool got = receive_until(
      io, port,
      [&](RawPort::Frame f) {
        const auto msg = proto::parse_frame(f);
        // vblade answers with the sector count register at 0 (the count left to transfer), so the
        // data length comes from our request, as an initiator must take it.
        if (msg.ok() && msg->header.is_response() && msg->ata() != nullptr && !msg->header.is_error() &&
            f.size() >= proto::kAtaHeaderSize + kSectors * 512) {
          const auto data = f.subspan(proto::kAtaHeaderSize, kSectors * 512);
          data_by_tag[msg->header.tag].assign(data.begin(), data.end());
        }
        return data_by_tag.size() == kRequests;
      },
      10s);
  ASSERT_TRUE(got) << "replies: " << data_by_tag.size() << "; vblade log: " << ns.peer_log(0);
  for (int i = 0; i < kRequests; ++i) {
    const auto expected = file_bytes(file, static_cast<std::size_t>(i) * 5 * 512, kSectors * 512);
    EXPECT_EQ(data_by_tag[0x1000u + i], expected) << "request " << i;
  }
  EXPECT_GE(port.counters().rx_frames, static_cast<std::uint64_t>(kRequests));
}

// Unicast frames for another MAC are filtered unless the port asks for them (relays do).
TEST_F(RawPortTest, OtherHostFramesAreFilteredUnlessAccepted) {
  NetnsFixture ns;
  boost::asio::io_context io;
  RawPort sender = RawPort::open(io, "tgt0");
  RawPort normal = RawPort::open(io, "ini0");
  RawPortOptions promiscuous_options;
  promiscuous_options.accept_other_host = true;
  RawPort promiscuous = RawPort::open(io, "ini0", promiscuous_options);

  const MacAddress stranger{{0x02, 0x00, 0x00, 0x00, 0x00, 0x99}};
  ASSERT_TRUE(sender.enqueue(query_config_frame(sender.info().mac, stranger, {1, 1}, 1)));
  ASSERT_TRUE(sender.enqueue(query_config_frame(sender.info().mac, normal.info().mac, {1, 1}, 2)));
  ASSERT_EQ(sender.flush(), 2u);

  // veth keeps order: when tag 2 arrives, tag 1 has either been delivered before it or filtered.
  auto collect = [&](RawPort& port) {
    std::vector<std::uint32_t> tags;
    receive_until(
        io, port,
        [&](RawPort::Frame f) {
          const auto msg = proto::parse_frame(f);
          if (msg.ok()) tags.push_back(msg->header.tag);
          return msg.ok() && msg->header.tag == 2;
        },
        5s);
    return tags;
  };
  EXPECT_EQ(collect(normal), (std::vector<std::uint32_t>{2}));
  EXPECT_GE(normal.counters().rx_filtered, 1u);
  EXPECT_EQ(collect(promiscuous), (std::vector<std::uint32_t>{1, 2}));
}

}  // namespace
}  // namespace aoeh::live::testing
