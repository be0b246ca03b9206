// LiveWorld: the world contract on a veth pair with vblade behind it.
#include "live/interface_info.hpp"
#include "live/live_world.hpp"
#include "live/tests/live_test_support.hpp"
#include "protocol/frame.hpp"
#include "protocol/query_config.hpp"

namespace aoeh::live::testing {
namespace {

using proto::DeviceAddress;
using proto::MacAddress;

std::vector<std::uint8_t> query_config(const MacAddress& src, std::uint32_t tag) {
  proto::Header h;
  h.src = src;
  h.dst = MacAddress::broadcast();
  h.set_address(DeviceAddress::broadcast());
  h.command = static_cast<std::uint8_t>(proto::Command::QueryConfig);
  h.tag = tag;
  std::vector<std::uint8_t> frame(128);
  frame.resize(proto::encode_query_config(frame, h, {}));
  return frame;
}

std::uint32_t tag_of(const sim::ReceivedFrame& f) {
  const auto h = proto::parse_header(f.bytes);
  return h.ok() ? h->tag : 0;
}

using LiveWorldTest = LiveTest;

TEST_F(LiveWorldTest, PortsReportTheInterfaceFacts) {
  NetnsFixture ns({.pairs = 2, .mtu = 9000});
  LiveWorld world({"ini0", "ini1"});
  EXPECT_EQ(world.probe_ports(), (std::vector<std::string>{"ini0", "ini1"}));
  EXPECT_EQ(world.port_mac("ini1"), read_interface("ini1").mac);
  EXPECT_EQ(world.port_mtu("ini0"), 9000u);
  EXPECT_THROW(world.port_mac("tgt0"), std::out_of_range);
}

TEST_F(LiveWorldTest, SendsAndReceivesVbladesReplyInWorldTime) {
  NetnsFixture ns;
  const std::string file = ns.make_backing_file("disk.img", 1 << 20, 4);
  ns.start_vblade(0, {5, 1}, file);
  LiveWorld world({"ini0"});
  const sim::Nanos sent_at = world.now();
  world.send("ini0", query_config(world.port_mac("ini0"), 77));
  std::vector<sim::ReceivedFrame> got;
  const bool ok = world.run_until(
      [&] {
        for (auto& f : world.take_received()) got.push_back(std::move(f));
        return !got.empty() && tag_of(got.back()) == 77;
      },
      world.now() + 5'000'000'000);
  ASSERT_TRUE(ok) << ns.peer_log(0);
  const auto msg = proto::parse_frame(got.back().bytes);
  ASSERT_TRUE(msg.ok());
  EXPECT_TRUE(msg->header.is_response());
  EXPECT_EQ(msg->header.address(), (DeviceAddress{5, 1}));
  EXPECT_EQ(got.back().port, "ini0");
  EXPECT_GE(got.back().time, sent_at);
  EXPECT_LE(got.back().time, world.now());
}

TEST_F(LiveWorldTest, DeliversFramesOneByOneAndHonoursTheDeadline) {
  NetnsFixture ns;
  LiveWorld world({"ini0"});
  boost::asio::io_context io;
  RawPort peer = RawPort::open(io, "tgt0");
  for (std::uint32_t tag = 1; tag <= 3; ++tag) ASSERT_TRUE(peer.enqueue(query_config(peer.info().mac, tag)));
  ASSERT_EQ(peer.flush(), 3u);

  std::vector<std::uint32_t> tags;
  auto take_one = [&] {
    for (const auto& f : world.take_received()) tags.push_back(tag_of(f));
    return !tags.empty();
  };
  for (std::uint32_t expected = 1; expected <= 3; ++expected) {
    tags.clear();
    ASSERT_TRUE(world.run_until(take_one, world.now() + 5'000'000'000));
    EXPECT_EQ(tags, (std::vector<std::uint32_t>{expected})) << "exactly one frame per satisfied predicate";
  }
  const sim::Nanos deadline = world.now() + 20'000'000;
  EXPECT_FALSE(world.run_until([] { return false; }, deadline));
  EXPECT_GE(world.now(), deadline);
  EXPECT_TRUE(world.take_received().empty());
}

}  // namespace
}  // namespace aoeh::live::testing
