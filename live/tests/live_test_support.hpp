#pragma once
// Shared bits of the live GoogleTest cases: skip unless root, wait for frames on a RawPort, build
// request frames.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <vector>

#include "live/raw_port.hpp"
#include "live/tests/netns_fixture.hpp"
#include "protocol/device_address.hpp"
#include "protocol/frame.hpp"
#include "protocol/mac_address.hpp"
#include "protocol/query_config.hpp"

namespace aoeh::live::testing {

class LiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string reason = live_skip_reason();
    if (!reason.empty()) GTEST_SKIP() << reason;
  }
};

inline proto::Header request_header(const proto::MacAddress& src, const proto::MacAddress& dst,
                                    proto::DeviceAddress to, proto::Command cmd, std::uint32_t tag) {
  proto::Header h;
  h.src = src;
  h.dst = dst;
  h.set_address(to);
  h.command = static_cast<std::uint8_t>(cmd);
  h.tag = tag;
  return h;
}

inline std::vector<std::uint8_t> query_config_frame(const proto::MacAddress& src, const proto::MacAddress& dst,
                                                    proto::DeviceAddress to, std::uint32_t tag) {
  std::vector<std::uint8_t> frame(proto::kMinFrameSize + 64);
  const std::size_t n =
      proto::encode_query_config(frame, request_header(src, dst, to, proto::Command::QueryConfig, tag), {});
  frame.resize(n);
  return frame;
}

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
