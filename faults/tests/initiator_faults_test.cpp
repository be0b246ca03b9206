// Initiator-side faults: a port going down and up, a port's MTU changing.
#include <gtest/gtest.h>

#include "faults/tests/plan_helpers.hpp"

namespace aoeh::faults {
namespace {

using namespace testing;

const std::string kTimed = R"({"pattern": "random", "read_fraction": 0.5, "size": {"min": "4KiB", "max": "16KiB"},
                               "queue_depth": 4, "duration": "3s", "verify": true})";

// 3 s of I/O over 20 Mbit/s paths. rto_min stays above the time a 9000-byte frame queues on such
// a slow link: shorter, and congestion alone makes large frames time out (and the engine fall back).
std::string timed_plan(const std::string& faults, const std::string& expect = "", std::uint32_t mtu = 1500) {
  const std::string m = std::to_string(mtu);
  const std::string p = patch(small_plan(faults, expect, "", kTimed), R"("paths": [{"name": "a"}, {"name": "b"}])",
                              R"("paths": [{"name": "a", "rate": "20Mbit/s", "mtu": )" + m +
                                  R"(}, {"name": "b", "rate": "20Mbit/s", "mtu": )" + m + "}]");
  return patch(p, R"("rto_min": "2ms")", R"("rto_min": "20ms")");
}

TEST(InitiatorFaults, PortDownMovesTrafficToTheOtherPort) {
  const auto r = run_json(timed_plan(R"({"type": "port_down", "initiator_port": "eth0", "at": "1s", "for": "1s"})"));
  expect_clean_io(r);
  // While down the engine does not send on eth0; frames arriving for it are dropped by the NIC.
  EXPECT_EQ(metric(r, "nic.eth0.tx_dropped_down"), 0);
  EXPECT_GT(metric(r, "nic.eth1.tx_frames"), metric(r, "nic.eth0.tx_frames"));
  EXPECT_EQ(metric(r, "link.eth0.out.impairment_drops") + metric(r, "link.eth0.out.down_drops"), 0);
}

TEST(InitiatorFaults, PortMtuChangeChangesThePayload) {
  // Replies already on their way in jumbo frames are dropped by the shrunken NIC, so the engine
  // may also fall back to 2-sector frames on that path; path b is untouched; revalidate after the
  // MTU is back brings full-size frames back.
  std::string p = timed_plan(R"({"type": "port_mtu", "initiator_port": "eth0", "mtu": 4000, "at": "1s", "for": "1s"})",
                             R"({"payload_sectors": 17, "device": "e1.0", "path": "a", "at": "900ms"},
                                {"payload_sectors": {"min": 2, "max": 7}, "device": "e1.0", "path": "a", "at": "1500ms"},
                                {"payload_sectors": 17, "device": "e1.0", "path": "b", "at": "1500ms"},
                                {"payload_sectors": 17, "device": "e1.0", "path": "a", "at": "2500ms"})",
                             9000);
  p = patch(p, R"("expect": [)", R"("actions": [{"at": "2100ms", "do": "revalidate", "device": "e1.0"}], "expect": [)");
  const auto r = run_json(p);
  expect_clean_io(r);
  for (const auto& e : r.expectations) EXPECT_TRUE(e.passed) << e.text << " [" << e.detail << "]";
  EXPECT_EQ(metric(r, "nic.eth0.tx_dropped_mtu"), 0);  // the engine never offers the NIC too much
}

}  // namespace
}  // namespace aoeh::faults
