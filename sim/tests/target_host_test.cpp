// The reference target as a simulated host, driven through probe ports.
#include "sim/target_host.hpp"

#include <gtest/gtest.h>

#include "protocol/frame.hpp"
#include "protocol/query_config.hpp"
#include "sim/sim_world.hpp"

namespace aoeh::sim {
namespace {

struct OneTarget {
  Simulator sim{11};
  SwitchId sw;
  TargetHost* host = nullptr;
  SimWorld world{sim};
  proto::MacAddress mac{{2, 0, 0, 0, 0x7A, 1}};
  explicit OneTarget(target::ServiceTime service = {}) {
    sw = sim.add_switch({"sw", 0});
    world.add_probe("p", sw, probe_mac(0), 9000);
    target::TargetConfig c;
    c.ports = {target::TargetPort{mac, 9000}};
    c.shelf = 5;
    c.slot = 3;
    c.capacity_sectors = 1 << 20;
    c.service = service;
    auto t = std::make_unique<TargetHost>(c);
    host = t.get();
    sim.add_host(std::move(t), {NicConfig{"t", mac, 9000}});
    sim.connect(host->nics()[0], sw, 9000);
  }
  std::vector<ReceivedFrame> exchange(std::span<const std::uint8_t> request, Nanos within = kSecond) {
    world.send("p", request);
    std::vector<ReceivedFrame> got;
    world.run_until(
        [&] {
          for (auto& f : world.take_received()) got.push_back(std::move(f));
          return !got.empty();
        },
        world.now() + within);
    return got;
  }
};

std::vector<std::uint8_t> query_config_broadcast() {
  proto::Header h;
  h.dst = proto::MacAddress::broadcast();
  h.src = probe_mac(0);
  h.set_address(proto::DeviceAddress::broadcast());
  h.command = static_cast<std::uint8_t>(proto::Command::QueryConfig);
  h.tag = 77;
  std::vector<std::uint8_t> out(64);
  out.resize(proto::encode_query_config(out, h, {}));
  return out;
}

TEST(TargetHost, AnnouncesOnStartAndAnswersQueryConfig) {
  OneTarget t;
  t.sim.run_for(kMillisecond);
  auto announce = t.world.take_received();
  ASSERT_EQ(announce.size(), 1u);  // unsolicited Query Config response at start
  auto got = t.exchange(query_config_broadcast());
  ASSERT_EQ(got.size(), 1u);
  auto m = proto::parse_frame(got[0].bytes);
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->header.is_response());
  EXPECT_EQ(m->header.tag, 77u);
  EXPECT_EQ(m->header.address(), (proto::DeviceAddress{5, 3}));
  EXPECT_EQ(m->header.src, t.mac);
  ASSERT_NE(m->query_config(), nullptr);
  EXPECT_EQ(m->query_config()->sector_count, proto::sectors_for_mtu(9000));
}

TEST(TargetHost, WriteThenReadThroughTheNetwork) {
  OneTarget t;
  t.sim.run_for(kMillisecond);
  t.world.take_received();  // the start-up announcement
  proto::Header h;
  h.dst = t.mac;
  h.src = probe_mac(0);
  h.set_address({5, 3});
  h.command = static_cast<std::uint8_t>(proto::Command::Ata);
  h.tag = 1;
  std::vector<std::uint8_t> data(4 * 512);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 7);
  std::vector<std::uint8_t> frame(9100);
  frame.resize(proto::encode_ata(frame, h, proto::ata_write_arg(1000, 4, true), data));
  auto w = t.exchange(frame);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(proto::parse_header(w[0].bytes)->tag, 1u);
  h.tag = 2;
  frame.resize(9100);
  frame.resize(proto::encode_ata(frame, h, proto::ata_read_arg(1000, 4, true)));
  t.world.take_received();
  auto r = t.exchange(frame);
  ASSERT_EQ(r.size(), 1u);
  auto m = proto::parse_frame(r[0].bytes);
  ASSERT_TRUE(m.ok());
  ASSERT_NE(m->ata(), nullptr);
  EXPECT_EQ(m->header.tag, 2u);
  EXPECT_EQ(std::vector<std::uint8_t>(m->ata()->data.begin(), m->ata()->data.end()), data);
}

TEST(TargetHost, ServiceTimeDelaysTheReplyThroughTheHostTimer) {
  OneTarget fast, slow(target::ServiceTime{50 * kMicrosecond, 0});
  auto identify = [](OneTarget& t) {
    proto::Header h;
    h.dst = t.mac;
    h.src = probe_mac(0);
    h.set_address({5, 3});
    h.command = static_cast<std::uint8_t>(proto::Command::Ata);
    std::vector<std::uint8_t> f(64);
    f.resize(proto::encode_ata(f, h, proto::ata_identify_arg()));
    const Nanos t0 = t.world.now();
    auto got = t.exchange(f);
    EXPECT_EQ(got.size(), 1u);
    return got.empty() ? Nanos{-1} : got[0].time - t0;
  };
  fast.sim.run_for(kMillisecond);
  slow.sim.run_for(kMillisecond);
  fast.world.take_received();
  slow.world.take_received();
  const Nanos rtt_fast = identify(fast), rtt_slow = identify(slow);
  EXPECT_GT(rtt_fast, 0);
  EXPECT_EQ(rtt_slow - rtt_fast, 50 * kMicrosecond);
}

TEST(TargetHost, FactoryGivesEachTargetItsAddressAndPorts) {
  Simulator sim;
  TopologySpec spec;
  spec.targets = 20;
  spec.target_ports = 2;
  target::TargetConfig base;
  base.capacity_sectors = 4096;
  std::vector<RawHost*> inits;
  auto topo = build_topology(
      sim, spec,
      [&](std::uint32_t, const std::vector<NicConfig>&) {
        auto h = std::make_unique<RawHost>();
        inits.push_back(h.get());
        return h;
      },
      TargetHost::factory(spec, base, [](std::uint32_t i, target::TargetConfig& c) { c.capacity_sectors += i; }));
  auto& t17 = static_cast<TargetHost&>(sim.host(topo.targets[17].host)).target();
  EXPECT_EQ(t17.address(), (proto::DeviceAddress{2, 1}));
  ASSERT_EQ(t17.config().ports.size(), 2u);
  EXPECT_EQ(t17.config().ports[1].mac, target_mac(17, 1));
  EXPECT_EQ(t17.config().capacity_sectors, 4096u + 17);
  // Every target announces on both ports; the initiator sees 20 on each of its two ports.
  sim.run_for(kMillisecond);
  std::uint32_t per_port[2] = {};
  for (const auto& f : inits[0]->received()) ++per_port[f.port];
  EXPECT_EQ(per_port[0], 20u);
  EXPECT_EQ(per_port[1], 20u);
}

}  // namespace
}  // namespace aoeh::sim
