// Same seed -> same event-log hash and byte-identical capture; another seed -> other losses.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

#include "sim/simulator.hpp"
#include "sim/tests/test_hosts.hpp"

namespace aoeh::sim {
namespace {

struct Outcome {
  std::uint64_t hash = 0;
  std::uint64_t events = 0;
  std::vector<std::uint32_t> answered;
  std::uint64_t dropped = 0;
};

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          (std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "_" + name))
      .string();
}

std::vector<char> file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Two generators and two responders on one switch, 10% loss on every host link in both directions.
Outcome run_scenario(std::uint64_t seed, const std::string& pcap) {
  Simulator sim(seed);
  const SwitchId sw = sim.add_switch({"sw", 100});
  LinkConfig link;
  link.bits_per_second = 1'000'000'000;
  link.propagation = 2 * kMicrosecond;
  std::vector<testing::Generator*> gens;
  std::vector<LinkId> links;
  for (std::uint8_t i = 0; i < 2; ++i) {
    const proto::MacAddress g{{2, 0, 0, 1, 0, i}}, r{{2, 0, 0, 2, 0, i}};
    auto gen = std::make_unique<testing::Generator>(g, r, 200, 10 * kMicrosecond + i * 3);
    gens.push_back(gen.get());
    const HostId gh = sim.add_host(std::move(gen), {NicConfig{"g" + std::to_string(i), g, 1500}});
    const HostId rh = sim.add_host(std::make_unique<testing::Responder>(r), {NicConfig{"r" + std::to_string(i), r, 1500}});
    links.push_back(sim.connect(sim.host(gh).nics()[0], sw, 1500, link));
    links.push_back(sim.connect(sim.host(rh).nics()[0], sw, 1500, link));
  }
  std::vector<RandomLoss*> losses;
  for (LinkId l : links)
    for (Direction d : {Direction::AtoB, Direction::BtoA}) {
      auto loss = std::make_unique<RandomLoss>(
          sim.rng("loss:" + std::to_string(l) + (d == Direction::AtoB ? ":ab" : ":ba")), 0.1);
      losses.push_back(loss.get());
      sim.add_impairment(l, d, std::move(loss));
    }
  if (!pcap.empty()) {
    auto cap = sim.open_capture(pcap);
    EXPECT_TRUE(cap.has_value());
    sim.tap_link(links[0], Direction::AtoB, *cap);
    sim.tap_nic(sim.host(0).nics()[0], *cap);
  }
  sim.run_until_idle(kSecond);
  sim.flush_captures();
  Outcome o;
  o.hash = sim.event_hash();
  o.events = sim.events_processed();
  for (auto* g : gens) o.answered.insert(o.answered.end(), g->answered.begin(), g->answered.end());
  for (auto* l : losses) o.dropped += l->dropped();
  return o;
}

TEST(Determinism, SameSeedGivesSameHashAndIdenticalPcap) {
  const std::string p1 = temp_path("1.pcap"), p2 = temp_path("2.pcap");
  const Outcome a = run_scenario(99, p1);
  const Outcome b = run_scenario(99, p2);
  EXPECT_GT(a.events, 1000u);
  EXPECT_GT(a.dropped, 0u);
  EXPECT_LT(a.answered.size(), 400u);  // losses happened...
  EXPECT_GT(a.answered.size(), 200u);  // ...but most exchanges completed
  EXPECT_EQ(a.hash, b.hash);
  EXPECT_EQ(a.events, b.events);
  EXPECT_EQ(a.answered, b.answered);
  const auto f1 = file_bytes(p1), f2 = file_bytes(p2);
  EXPECT_GT(f1.size(), 24u + 100 * 16);
  EXPECT_TRUE(f1 == f2) << "captures differ";
  std::filesystem::remove(p1);
  std::filesystem::remove(p2);
}

TEST(Determinism, DifferentSeedGivesDifferentLossPattern) {
  const Outcome a = run_scenario(1, "");
  const Outcome b = run_scenario(2, "");
  EXPECT_NE(a.answered, b.answered);
  EXPECT_NE(a.hash, b.hash);
}

TEST(Determinism, AddingAnImpairmentElsewhereKeepsOtherStreams) {
  // The loss stream of one link depends only on (seed, its name), not on what else exists.
  Simulator s1(5), s2(5);
  (void)s2.rng("something-else").next();
  RandomLoss a(s1.rng("loss:0:ab"), 0.5), b(s2.rng("loss:0:ab"), 0.5);
  FramePool pool;
  for (int i = 0; i < 64; ++i) {
    FrameHandle h1 = pool.create(std::vector<std::uint8_t>(60, 0)), h2 = pool.create(std::vector<std::uint8_t>(60, 0));
    ImpairContext c1(pool, h1, 0, 0, Direction::AtoB), c2(pool, h2, 0, 0, Direction::AtoB);
    a.on_frame(c1);
    b.on_frame(c2);
    EXPECT_EQ(c1.dropped(), c2.dropped());
    pool.unref(h1);
    pool.unref(h2);
  }
  EXPECT_GT(a.dropped(), 0u);
  EXPECT_LT(a.dropped(), 64u);
}

}  // namespace
}  // namespace aoeh::sim
