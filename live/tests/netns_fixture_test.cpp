// The fixture itself: it enters its namespace, cleans up after itself and reports a vblade that dies.
#include <sys/stat.h>

#include <filesystem>

#include "live/interface_info.hpp"
#include "live/tests/live_test_support.hpp"

namespace aoeh::live::testing {
namespace {

ino_t current_netns_inode() {
  struct stat st {};
  EXPECT_EQ(::stat("/proc/thread-self/ns/net", &st), 0);
  return st.st_ino;
}

using NetnsFixtureTest = LiveTest;

TEST_F(NetnsFixtureTest, EntersItsNamespaceAndRemovesItAfterwards) {
  const ino_t outside = current_netns_inode();
  std::string name, dir;
  {
    NetnsFixture ns({.pairs = 2, .mtu = 1500});
    name = ns.name();
    dir = ns.temp_dir();
    EXPECT_LE(name.size(), 15u);
    EXPECT_NE(current_netns_inode(), outside);
    EXPECT_TRUE(std::filesystem::exists("/run/netns/" + name));
    EXPECT_TRUE(std::filesystem::is_directory(dir));
    for (int i = 0; i < 2; ++i) {
      EXPECT_TRUE(read_interface(NetnsFixture::initiator_if(i)).running);
      EXPECT_TRUE(read_interface(NetnsFixture::target_if(i)).running);
    }
  }
  EXPECT_EQ(current_netns_inode(), outside);
  EXPECT_FALSE(std::filesystem::exists("/run/netns/" + name));
  EXPECT_FALSE(std::filesystem::exists(dir));
}

TEST_F(NetnsFixtureTest, TwoFixturesGetDistinctNamespaces) {
  NetnsFixture a;
  NetnsFixture b;  // entered last, so the thread now sees b's interfaces
  EXPECT_NE(a.name(), b.name());
}

TEST_F(NetnsFixtureTest, VbladeThatCannotStartIsReportedWithItsLog) {
  NetnsFixture ns;
  try {
    ns.start_vblade(0, {1, 1}, ns.temp_dir() + "/missing.img");
    FAIL() << "start_vblade returned for a missing backing file";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("exited before announcing"), std::string::npos) << e.what();
  }
}

TEST_F(NetnsFixtureTest, StoppedVbladeIsNotRunning) {
  NetnsFixture ns;
  const std::string file = ns.make_backing_file("d.img", 1 << 20, 3);
  const int h = ns.start_vblade(0, {2, 3}, file);
  EXPECT_TRUE(ns.peer_running(h));
  EXPECT_NE(ns.peer_log(h).find("e2.3"), std::string::npos) << ns.peer_log(h);
  ns.stop_peer(h);
  EXPECT_FALSE(ns.peer_running(h));
}

}  // namespace
}  // namespace aoeh::live::testing
