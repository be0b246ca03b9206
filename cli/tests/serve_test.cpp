// `aoeh serve` on a veth pair, judged by aoetools (aoecfg, aoeping, aoe-sancheck) side by side with
// vblade on a second pair of the same namespace.
#include <fstream>
#include <regex>

#include "live/tests/live_test_support.hpp"

namespace aoeh::live::testing {
namespace {

const std::string kAoeh = AOEH_BINARY;

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

class ServeTest : public LiveTest {
 protected:
  void SetUp() override {
    LiveTest::SetUp();
    if (IsSkipped()) return;
    for (const char* tool : {"aoecfg", "aoeping", "aoe-sancheck"}) {
      if (find_program(tool).empty()) GTEST_SKIP() << tool << " not found (scripts/deps.sh installs aoetools)";
    }
  }
  // aoeh serve on tgt<pair> (RAM-backed), ready once its announcement reached ini<pair>.
  int start_serve(NetnsFixture& ns, int pair, proto::DeviceAddress a, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv{kAoeh, "serve", "--iface", NetnsFixture::target_if(pair), "--shelf",
                                  std::to_string(a.shelf), "--slot", std::to_string(a.slot), "--size", "64M"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return ns.start_peer(pair, a, argv);
  }
};

// vblade does not pad its replies and aoetools ignore frames under 60 bytes, so the strings here
// are long enough for vblade's answers to be seen; the expected outputs are aoecfg's for a
// correct target.
TEST_F(ServeTest, AoecfgSeesTheSameConfigStringSemanticsAsWithVblade) {
  NetnsFixture ns({.pairs = 2});
  const std::string file = ns.make_backing_file("v.img", 8 << 20, 1);
  ns.start_vblade(0, {1, 1}, file);
  start_serve(ns, 1, {2, 2});
  const std::string a = "first-config-string-long-enough-to-pad";
  const std::string b = "second-config-string-long-enough-too";
  struct Step {
    std::vector<std::string> args;
    std::string expected;  // "" = no answer within the timeout
  };
  const std::vector<Step> steps{
      {{"-c", "set", "-s", a}, a},           {{"-c", "set", "-s", b}, "*badcfg*"},  // Error 4: string present
      {{"-c", "test", "-s", a}, a},          {{"-c", "test", "-s", b}, ""},
      {{"-c", "prefix", "-s", "first-c"}, a}, {{"-c", "prefix", "-s", "zzz"}, ""},
      {{"-c", "fset", "-s", b}, b},          {{"-c", "read"}, b},
  };
  for (const auto& step : steps) {
    std::vector<std::string> outputs;
    for (const auto& [shelf_slot, iface] : {std::pair{std::vector<std::string>{"1", "1"}, "ini0"},
                                            std::pair{std::vector<std::string>{"2", "2"}, "ini1"}}) {
      std::vector<std::string> argv{"aoecfg"};
      argv.insert(argv.end(), step.args.begin(), step.args.end());
      argv.insert(argv.end(), {"-t", "1", shelf_slot[0], shelf_slot[1], iface});
      const CommandResult r = run_command(argv, std::chrono::seconds(10));
      EXPECT_EQ(r.exit_code, 0) << r.output;
      outputs.push_back(trimmed(r.output));
    }
    EXPECT_EQ(outputs[0], step.expected) << "vblade, aoecfg " << step.args[1];
    EXPECT_EQ(outputs[1], step.expected) << "aoeh serve, aoecfg " << step.args[1];
  }
}

TEST_F(ServeTest, AoecfgWorksWithShortStringsToo) {
  NetnsFixture ns;
  start_serve(ns, 0, {2, 5}, {"--config", "abc"});
  const CommandResult r = run_command({"aoecfg", "-c", "read", "-t", "1", "2", "5", "ini0"});
  EXPECT_EQ(trimmed(r.output), "abc");
}

TEST_F(ServeTest, AoepingIdentifyShowsTheTargetsIdentity) {
  NetnsFixture ns;
  start_serve(ns, 0, {3, 4});
  const CommandResult r = run_command({"aoeping", "-s", "5", "-I", "3", "4", "ini0"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(std::regex_search(r.output, std::regex(R"(model: aoeh reference target\s*\n)"))) << r.output;
  EXPECT_TRUE(std::regex_search(r.output, std::regex(R"(serial_number: AOEH3\.4\s*\n)"))) << r.output;
  EXPECT_TRUE(std::regex_search(r.output, std::regex(R"(firmware_rev: aoeh-1\s*\n)"))) << r.output;
}

// One target per namespace: aoe-sancheck opens a socket per interface and can read another
// interface's answer before its socket is bound ("lun->id != tag", e1.1 listed on both ports),
// so vblade and serve are judged in turn, each alone on ini0.
TEST_F(ServeTest, AoeSancheckListsServeLikeVbladeAtJumboMtu) {
  for (const bool vblade : {true, false}) {
    NetnsFixture ns({.pairs = 1, .mtu = 9000});
    if (vblade) {
      ns.start_vblade(0, {1, 1}, ns.make_backing_file("v.img", 8 << 20, 1));
    } else {
      start_serve(ns, 0, {1, 1});
    }
    const CommandResult r = run_command({"aoe-sancheck"}, std::chrono::seconds(30));
    ASSERT_EQ(r.exit_code, 0) << (vblade ? "vblade: " : "aoeh serve: ") << r.output;
    // Device, MAC count, payload bytes per request (17 sectors), interface it was seen on.
    EXPECT_TRUE(std::regex_search(r.output, std::regex(R"(\ne1\.1\s+1\s+8704\s+ini0\s*\n)")))
        << (vblade ? "vblade: " : "aoeh serve: ") << r.output;
  }
}

TEST_F(ServeTest, StopsAfterSecondsWithASummary) {
  NetnsFixture ns;
  const CommandResult r =
      ns.run_in({kAoeh, "serve", "--iface", "tgt0", "--shelf", "1", "--slot", "1", "--size", "1M", "--seconds", "0.3"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("e1.1, 2048 sectors (1.00 MiB)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("aoeh serve: stopped;"), std::string::npos) << r.output;
}

TEST_F(ServeTest, EnvironmentAndUsageErrorsExitTwoWithOneLine) {
  NetnsFixture ns;
  const std::vector<std::vector<std::string>> cases{
      {kAoeh, "serve", "--iface", "nosuch0", "--shelf", "1", "--slot", "1", "--size", "1M"},
      {kAoeh, "serve", "--iface", "tgt0", "--shelf", "1", "--slot", "1"},
      {kAoeh, "serve", "--iface", "lo", "--shelf", "1", "--slot", "1", "--size", "1M"},
  };
  for (const auto& argv : cases) {
    const CommandResult r = ns.run_in(argv);
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
    EXPECT_EQ(r.output.rfind("aoeh serve: ", 0), 0u) << r.output;
  }
}

}  // namespace
}  // namespace aoeh::live::testing

namespace aoeh::live::testing {
namespace {

// `aoeh serve --plan`: the plan's target faults on a real interface, judged by `aoeh read`.
class ServePlanTest : public LiveTest {};

TEST_F(ServePlanTest, ErrorRepliesOnLbaRangesFailThoseReadsOnly) {
  NetnsFixture ns;
  const std::string plan = ns.temp_dir() + "/plan.json";
  std::ofstream(plan) << R"({"faults": [
      {"type": "ata_error", "target": "e1.0", "error": "abrt", "lbas": "1000-1999"},
      {"type": "aoe_error", "target": "e1.0", "code": 2, "lbas": "3000-3999"}]})";
  ns.start_peer(0, {1, 1},
                {kAoeh, "serve", "--iface", "tgt0", "--shelf", "1", "--slot", "1", "--size", "4M", "--plan", plan});
  auto read = [&](std::uint64_t lba) {
    return ns.run_in({kAoeh, "read", "--iface", "ini0", "e1.1", "--lba", std::to_string(lba), "--count", "8", "-o",
                      ns.temp_dir() + "/out.bin"});
  };
  for (const std::uint64_t lba : {0ull, 992ull, 2000ull, 2992ull, 4000ull}) {
    const CommandResult r = read(lba);
    EXPECT_EQ(r.exit_code, 0) << "LBA " << lba << ": " << r.output;
  }
  for (const std::uint64_t lba : {1000ull, 1996ull, 1500ull}) {
    const CommandResult r = read(lba);
    EXPECT_EQ(r.exit_code, 1) << "LBA " << lba << ": " << r.output;
    EXPECT_NE(r.output.find("failed: ATA error (status 0x41, error 0x04)"), std::string::npos) << r.output;
  }
  const CommandResult aoe = read(3000);
  EXPECT_EQ(aoe.exit_code, 1) << aoe.output;
  EXPECT_NE(aoe.output.find("(AoE error 2)"), std::string::npos) << aoe.output;
}

// A timed setting change: the plan resizes the target 0 s after it starts serving.
TEST_F(ServePlanTest, ResizeFromThePlanShowsInStat) {
  NetnsFixture ns;
  const std::string plan = ns.temp_dir() + "/plan.json";
  std::ofstream(plan) << R"({"faults": [{"type": "resize", "target": "e1.0", "capacity": "2MiB", "at": "0s"}]})";
  ns.start_peer(0, {1, 1},
                {kAoeh, "serve", "--iface", "tgt0", "--shelf", "1", "--slot", "1", "--size", "4M", "--plan", plan});
  const CommandResult r = ns.run_in({kAoeh, "stat", "--iface", "ini0", "--wait", "1", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("\"sectors\": 4096"), std::string::npos) << r.output;
}

// A plan for several targets: serve applies the faults for its own shelf.slot and skips the others.
TEST_F(ServePlanTest, PlanForSeveralTargetsAppliesOnlyTheServedTargetsFaults) {
  NetnsFixture ns;
  const std::string plan = ns.temp_dir() + "/plan.json";
  std::ofstream(plan) << R"({"topology": {"targets": [{"address": "e1.1"}, {"address": "e2.2"}]}, "faults": [
      {"type": "ata_error", "target": "e2.2", "error": "abrt", "lbas": "0-999"},
      {"type": "ata_error", "target": "e1.1", "error": "abrt", "lbas": "1000-1999"}]})";
  const int peer = ns.start_peer(
      0, {1, 1}, {kAoeh, "serve", "--iface", "tgt0", "--shelf", "1", "--slot", "1", "--size", "4M", "--plan", plan});
  auto read = [&](std::uint64_t lba) {
    return ns.run_in({kAoeh, "read", "--iface", "ini0", "e1.1", "--lba", std::to_string(lba), "--count", "8", "-o",
                      ns.temp_dir() + "/out.bin"});
  };
  const CommandResult skipped = read(0);
  EXPECT_EQ(skipped.exit_code, 0) << "the fault for e2.2 must not apply: " << skipped.output;
  const CommandResult applied = read(1000);
  EXPECT_EQ(applied.exit_code, 1) << applied.output;
  EXPECT_NE(applied.output.find("ATA error (status 0x41, error 0x04)"), std::string::npos) << applied.output;
  const std::string log = ns.peer_log(peer);
  EXPECT_NE(log.find("fault faults[0]: skipped (for e2.2, not e1.1)"), std::string::npos) << log;
  EXPECT_NE(log.find("fault faults[1]: ata_error ABRT on LBA 1000-1999 on target e1.1"), std::string::npos) << log;
}

TEST_F(ServePlanTest, PlansWithFaultsServeCannotApplyExitTwo) {
  NetnsFixture ns;
  const std::string link = ns.temp_dir() + "/link.json";
  std::ofstream(link) << R"({"faults": [{"type": "loss", "link": "eth0", "probability": 0.1}]})";
  const std::string bad = ns.temp_dir() + "/bad.json";
  std::ofstream(bad) << R"({"faults": [{"type": "ata_error", "target": "e1.0", "error": "oops"}]})";
  for (const auto& [plan, says] : {std::pair{link, std::string("faults[0]: loss is not a target fault")},
                                   std::pair{bad, std::string("faults[0].error")}}) {
    const CommandResult r = ns.run_in(
        {kAoeh, "serve", "--iface", "tgt0", "--shelf", "1", "--slot", "1", "--size", "1M", "--plan", plan});
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find(says), std::string::npos) << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
  }
}

}  // namespace
}  // namespace aoeh::live::testing
