// PortDriver (the receive waits and link checks under every live driver) on a veth pair in a
// private namespace: a peer port sends, a recording subclass sees what the base hands it.
#include <cerrno>
#include <optional>
#include <utility>
#include <vector>

#include "live/clock.hpp"
#include "live/port_driver.hpp"
#include "live/tests/live_test_support.hpp"

namespace aoeh::live::testing {
namespace {

using namespace std::chrono_literals;
using proto::DeviceAddress;
using proto::MacAddress;

constexpr Nanos kPatience = 10'000'000'000;  // a bound for the waits below, never reached when they pass

class RecordingDriver final : public PortDriver {
 public:
  struct SeenCheck {
    std::size_t port;
    InterfaceInfo before;
    std::optional<InterfaceInfo> after;
  };

  RecordingDriver(boost::asio::io_context& io, std::vector<RawPort>& ports, Nanos link_check_interval = 0)
      : PortDriver(io, ports, {.handle_signals = false, .link_check_interval = link_check_interval}) {}

  std::vector<std::pair<std::size_t, MacAddress>> frames;  // (port, source) of each frame
  std::vector<std::size_t> wakeups_done;                    // port of each on_frames_done
  std::vector<SeenCheck> link_checks;
  int starts = 0;
  int wakeups = 0;

  using PortDriver::enqueue;
  using PortDriver::wake_at;

 private:
  void on_start() override { ++starts; }
  void on_wakeup() override { ++wakeups; }
  void on_frames(std::size_t port, std::span<const RawPort::Frame> batch) override {
    for (const auto& f : batch) {
      const auto msg = proto::parse_frame(f);
      frames.emplace_back(port, msg.ok() ? msg->header.src : MacAddress{});
    }
  }
  void on_frames_done(std::size_t port, int) override { wakeups_done.push_back(port); }
  void on_links_checked(std::span<const LinkCheck> checks) override {
    for (std::size_t i = 0; i < checks.size(); ++i) {
      const auto& c = checks[i];
      link_checks.push_back({i, c.before, c.after ? std::optional<InterfaceInfo>(*c.after) : std::nullopt});
    }
  }
};

using PortDriverTest = LiveTest;

// The wake-up timer and the send side need no network: a driver without ports.
TEST(PortDriverWakeup, FiresOnceAndKeepsAnEarlierExpiryOnlyWhenAsked) {
  boost::asio::io_context io;
  std::vector<RawPort> no_ports;
  RecordingDriver driver(io, no_ports);
  driver.start();
  const Nanos an_hour = 3'600'000'000'000;

  driver.wake_at(monotonic_now() + 1'000'000, false);
  driver.wake_at(monotonic_now() + an_hour, true);  // later: the pending 1 ms expiry stays
  ASSERT_EQ(driver.run_until([&] { return driver.wakeups == 1; }, monotonic_now() + kPatience), RunOutcome::Done);

  driver.wake_at(monotonic_now() + 1'000'000, false);
  driver.wake_at(monotonic_now() + an_hour, false);  // exact: moved an hour away
  EXPECT_EQ(driver.run_until([&] { return driver.wakeups == 2; }, monotonic_now() + 50'000'000), RunOutcome::Deadline);

  driver.wake_at(monotonic_now() + 1'000'000, false);  // earlier again: re-armed
  ASSERT_EQ(driver.run_until([&] { return driver.wakeups == 2; }, monotonic_now() + kPatience), RunOutcome::Done);
}

TEST(PortDriverSend, AFrameForAPortTheDriverLacksIsCountedNotSent) {
  boost::asio::io_context io;
  std::vector<RawPort> no_ports;
  RecordingDriver driver(io, no_ports);
  const std::vector<std::uint8_t> frame(60, 0);
  EXPECT_FALSE(driver.enqueue(0, frame));
  EXPECT_FALSE(driver.enqueue(7, frame));
  EXPECT_EQ(driver.transmit_errors(), 2u);
}

// The wait a driver leaves pending at its destruction is cancelled with it; the next driver on the
// same port must arm its own and see every frame (a "wait pending" mark kept on the port would
// stay set and leave the port deaf).
TEST_F(PortDriverTest, TheNextDriverOnAPortHearsItAfterOneDestroyedWithItsWaitPending) {
  NetnsFixture ns;
  boost::asio::io_context io;
  std::vector<RawPort> ports;
  ports.push_back(RawPort::open(io, "ini0"));
  RawPort peer = RawPort::open(io, "tgt0");
  const MacAddress peer_mac = peer.info().mac;
  {
    RecordingDriver first(io, ports);
    first.start();
    io.poll();  // nothing has arrived: the wait stays pending
    ASSERT_TRUE(first.frames.empty());
  }
  RecordingDriver second(io, ports);
  second.start();
  second.start();  // a second start does nothing
  EXPECT_EQ(second.starts, 1);

  for (std::size_t n = 1; n <= 2; ++n) {  // the second frame proves the wait is re-armed
    ASSERT_TRUE(peer.send(query_config_frame(peer_mac, MacAddress::broadcast(), DeviceAddress::broadcast(),
                                             static_cast<std::uint32_t>(n))));
    const RunOutcome outcome =
        second.run_until([&] { return second.frames.size() >= n; }, monotonic_now() + kPatience);
    ASSERT_EQ(outcome, RunOutcome::Done) << "frame " << n << " never reached the second driver";
  }
  ASSERT_EQ(second.frames.size(), 2u);
  for (const auto& [port, src] : second.frames) {
    EXPECT_EQ(port, 0u);
    EXPECT_EQ(src, peer_mac);
  }
  EXPECT_FALSE(second.wakeups_done.empty());
}

// The periodic check re-reads every port and reports its facts before and after.
TEST_F(PortDriverTest, LinkCheckReportsACarrierLoss) {
  NetnsFixture ns;
  boost::asio::io_context io;
  std::vector<RawPort> ports;
  ports.push_back(RawPort::open(io, "ini0"));
  RecordingDriver driver(io, ports, 10'000'000);
  driver.start();
  ns.set_link("tgt0", false);  // ini0 loses its carrier
  const auto carrier_lost = [&] {
    for (const auto& c : driver.link_checks) {
      if (c.after && !c.after->running) return true;
    }
    return false;
  };
  ASSERT_EQ(driver.run_until(carrier_lost, monotonic_now() + kPatience), RunOutcome::Done);
  for (const auto& c : driver.link_checks) EXPECT_EQ(c.port, 0u);
  const auto& first = driver.link_checks.front();
  EXPECT_TRUE(first.before.running) << "the port started with its carrier";
  EXPECT_EQ(first.before.name, "ini0");
}

}  // namespace
}  // namespace aoeh::live::testing
