#pragma once
// Shared bits of the live GoogleTest cases: skip unless root, wait for frames on a RawPort.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>

#include "live/raw_port.hpp"
#include "live/tests/netns_fixture.hpp"

namespace aoeh::live::testing {

class LiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string reason = live_skip_reason();
    if (!reason.empty()) GTEST_SKIP() << reason;
  }
};

// Feeds every frame arriving on `port` to `take` (through asio readiness waits) until `take`
// returns true or `timeout` passes. Returns whether `take` said done.
inline bool receive_until(boost::asio::io_context& io, RawPort& port,
                          const std::function<bool(RawPort::Frame)>& take, std::chrono::milliseconds timeout) {
  bool done = false;
  std::function<void()> arm = [&] {
    port.async_wait_readable([&](const boost::system::error_code& ec) {
      if (ec) return;
      for (;;) {
        const auto frames = port.receive_batch();
        if (frames.empty()) break;
        for (const auto& f : frames) {
          if (!done && take(f)) done = true;
        }
      }
      if (!done) arm();
    });
  };
  arm();
  io.restart();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done && std::chrono::steady_clock::now() < deadline) io.run_one_until(deadline);
  // Drop the outstanding wait so the next call starts clean.
  port.socket().cancel();
  io.restart();
  io.poll();
  io.restart();
  return done;
}

}  // namespace aoeh::live::testing
