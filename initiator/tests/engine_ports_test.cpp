// Ports of one path: a port that keeps losing frames is left out (Linux drops such an interface),
// unless it is the last one; it comes back once it carries an answer again.
#include <gtest/gtest.h>

#include "initiator/tests/harness.hpp"

namespace aoeh::initiator::testing {
namespace {

TEST(Ports, LossyPortIsLeftOutWhileAnotherWorks) {
  auto cfg = config_with_ports(2);
  cfg.path_unhealthy_after = 1000 * kSecond;  // keep the path healthy: this is about its ports
  Harness h(cfg);
  FakeTarget t;
  h.connect(t, 0);
  h.connect(t, 1);
  h.bring_up(t);
  h.run_for(kSecond);
  h.drop_request = [](const SentFrame& s) { return s.port == 0 && s.ata; };
  std::vector<std::uint8_t> buf;
  for (int i = 0; i < 50; ++i) {
    h.submit({1, 1}, read_request(static_cast<std::uint64_t>(i) * 4, 4, buf));
    h.run_for(20 * kMillisecond);
  }
  EXPECT_EQ(h.events_of(EventKind::IoCompleted).size(), 50u);
  // Once port 0 has lost more than 2 x window frames, new frames avoid it.
  const auto n = h.sent.size();
  for (int i = 0; i < 20; ++i) {
    h.submit({1, 1}, read_request(static_cast<std::uint64_t>(i) * 4, 4, buf));
    h.run_for(20 * kMillisecond);
  }
  int on_0 = 0;
  for (std::size_t i = n; i < h.sent.size(); ++i) on_0 += h.sent[i].ata && h.sent[i].port == 0;
  EXPECT_EQ(on_0, 0);
  EXPECT_EQ(h.events_of(EventKind::IoCompleted).size(), 70u);
  // The port recovers: the next discovery answer on it restarts its loss count.
  h.drop_request = nullptr;
  h.engine.discover(h.now);
  h.pump();
  h.run_for(10 * kMillisecond);
  const auto m = h.sent.size();
  h.submit({1, 1}, read_request(0, 40, buf));
  h.run_for(kSecond);
  on_0 = 0;
  for (std::size_t i = m; i < h.sent.size(); ++i) on_0 += h.sent[i].ata && h.sent[i].port == 0;
  EXPECT_GT(on_0, 0);
}

TEST(Ports, LastLossyPortIsStillUsed) {
  auto cfg = config_with_ports(1);
  cfg.path_unhealthy_after = 1000 * kSecond;
  cfg.dead_after = 0;
  cfg.rto_max = 500 * kMillisecond;
  Harness h(cfg);
  FakeTarget t;
  h.connect(t, 0);
  h.bring_up(t);
  int lost = 0;
  h.drop_request = [&](const SentFrame& s) { return s.ata && lost++ < 30; };
  std::vector<std::uint8_t> buf;
  auto r = h.submit({1, 1}, read_request(0, 2, buf));
  h.run_for(60 * kSecond);
  ASSERT_TRUE(h.completion(r.id));
  EXPECT_EQ(h.completion(r.id)->status, IoStatus::Ok);
}

}  // namespace
}  // namespace aoeh::initiator::testing
