// Captures of simulated AoE traffic are well-formed pcap that tshark reads without malformed frames.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include <unistd.h>

#include "protocol/pcap_file.hpp"
#include "sim/simulator.hpp"
#include "sim/tests/test_hosts.hpp"

namespace aoeh::sim {
namespace {

std::string run(const std::string& cmd) {
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), &pclose);
  if (!p) return "popen failed";
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p.get())) > 0) out.append(buf.data(), n);
  return out;
}

TEST(PcapCapture, TsharkReadsSimCaptureWithoutMalformedFrames) {
  if (std::system("command -v tshark >/dev/null 2>&1") != 0) GTEST_SKIP() << "tshark not installed";
  const std::string path = (std::filesystem::temp_directory_path() / ("aoeh_sim_tshark_test." + std::to_string(getpid()) + ".pcap")).string();
  Simulator sim(3);
  const SwitchId sw = sim.add_switch({"sw", 0});
  const proto::MacAddress g{{2, 0, 0, 1, 0, 1}}, r{{2, 0, 0, 2, 0, 1}};
  const HostId gh = sim.add_host(std::make_unique<testing::Generator>(g, r, 20, 10 * kMicrosecond),
                                 {NicConfig{"g", g, 1500}});
  sim.add_host(std::make_unique<testing::Responder>(r), {NicConfig{"r", r, 1500}});
  sim.connect(sim.host(gh).nics()[0], sw, 1500);
  sim.connect(sim.host(gh + 1).nics()[0], sw, 1500);
  std::string err;
  auto cap = sim.open_capture(path, &err);
  ASSERT_TRUE(cap) << err;
  sim.tap_nic(sim.host(gh).nics()[0], *cap);
  sim.run_until_idle(kSecond);
  sim.flush_captures();
  EXPECT_EQ(sim.frames_captured(*cap), 40u);  // 20 requests out, 20 responses in

  auto records = proto::read_pcap(path, &err);
  ASSERT_TRUE(records) << err;
  ASSERT_EQ(records->size(), 40u);
  for (std::size_t i = 1; i < records->size(); ++i) EXPECT_GE((*records)[i].time_ns, (*records)[i - 1].time_ns);
  EXPECT_EQ((*records)[0].time_ns, 0);  // simulated timestamps: the first request leaves at t=0

  // stderr is dropped (tshark warns when run as root); the exit status is checked instead.
  EXPECT_EQ(run("tshark -r " + path + " -Y aoe 2>/dev/null | wc -l"), "40\n");
  EXPECT_EQ(run("tshark -r " + path + " -Y '_ws.malformed || _ws.expert.severity >= error' 2>/dev/null; echo rc=$?"),
            "rc=0\n");
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace aoeh::sim
