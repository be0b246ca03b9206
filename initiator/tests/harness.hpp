#pragma once
// Drives an Engine against FakeTargets with explicit simulated time: every frame the engine sends
// is logged and offered to the targets linked to that port; replies arrive `latency` later unless
// a test's filter drops them. No simulator, no threads, no clock.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <vector>

#include "initiator/engine.hpp"
#include "initiator/tests/fake_target.hpp"

namespace aoeh::initiator::testing {

inline constexpr Nanos kMicrosecond = 1000;

inline proto::MacAddress port_mac(int i) { return proto::MacAddress{{0x02, 0, 0, 0, 0xA0, static_cast<std::uint8_t>(i)}}; }

inline EngineConfig config_with_ports(int n, std::uint32_t mtu = 9000) {
  EngineConfig c;
  for (int i = 0; i < n; ++i) c.ports.push_back(PortConfig{"p" + std::to_string(i), port_mac(i), mtu, true});
  return c;
}

struct SentFrame {
  Nanos time = 0;
  PortId port = 0;
  proto::MacAddress dst;
  Bytes bytes;
  proto::Header header;
  std::optional<proto::AtaArg> ata;  // for ATA frames
};

class Harness {
 public:
  explicit Harness(EngineConfig c) : engine(std::move(c)) {}

  Engine engine;
  Nanos now = 0;
  Nanos latency = 100 * kMicrosecond;
  std::vector<std::pair<PortId, FakeTarget*>> links;
  std::vector<SentFrame> sent;
  std::vector<Event> events;
  // Return true to lose a frame the engine sent (before any target sees it) or a target's reply.
  std::function<bool(const SentFrame&)> drop_request;
  std::function<bool(const SentFrame& request, const Bytes& reply)> drop_reply;
  // Per-reply extra delay (reordering) and number of copies delivered (duplication).
  std::function<Nanos(const SentFrame& request)> extra_delay;
  std::function<int(const SentFrame& request)> copies;

  void connect(FakeTarget& t, PortId port) { links.emplace_back(port, &t); }

  void start() {
    engine.start(now);
    pump();
  }

  // Hands a raw frame to the engine now, as if it arrived on `port`.
  void deliver(PortId port, const Bytes& bytes) {
    engine.handle_frame(port, bytes, now);
    pump();
  }

  SubmitResult submit(DeviceAddress d, IoRequest r) {
    SubmitResult res = engine.submit(d, r, now);
    pump();
    return res;
  }

  void pump() {
    while (auto tx = engine.poll_transmit()) {
      SentFrame s;
      s.time = now;
      s.port = tx->port;
      s.dst = tx->dst;
      s.bytes.assign(tx->frame.begin(), tx->frame.end());
      auto parsed = proto::parse_frame(s.bytes);
      EXPECT_TRUE(parsed.ok()) << "engine sent a frame protocol/ cannot parse";
      if (parsed) {
        s.header = parsed->header;
        if (const auto* a = parsed->ata()) s.ata = a->arg;
      }
      sent.push_back(s);
      if (drop_request && drop_request(s)) continue;
      for (auto& [port, target] : links) {
        if (port != s.port) continue;
        auto reply = target->handle(s.bytes);
        if (!reply || (drop_reply && drop_reply(s, *reply))) continue;
        const int n = copies ? copies(s) : 1;
        for (int c = 0; c < n; ++c) {
          const Nanos extra = extra_delay ? extra_delay(s) : 0;
          pending_.push_back({now + latency + extra, seq_++, port, *reply});
        }
      }
    }
    while (auto e = engine.poll_event()) events.push_back(*e);
  }

  // Advances time to `until`, delivering replies and timeouts in time order.
  void run_until(Nanos until) {
    for (int guard = 0;; ++guard) {
      ASSERT_LT(guard, 10'000'000) << "run_until does not make progress";
      pump();
      auto it = std::min_element(pending_.begin(), pending_.end(), [](const Pending& a, const Pending& b) {
        return a.at != b.at ? a.at < b.at : a.seq < b.seq;
      });
      const Nanos reply_at = it == pending_.end() ? kNever : it->at;
      const Nanos timer_at = engine.next_timeout();
      const Nanos next = std::min(reply_at, timer_at);
      if (next > until) {
        now = std::max(now, until);
        return;
      }
      now = std::max(now, next);
      if (reply_at <= timer_at) {
        Pending p = std::move(*it);
        pending_.erase(it);
        engine.handle_frame(p.port, p.bytes, now);
      } else {
        engine.handle_timeout(now);
        if (engine.next_timeout() <= now) {
          ADD_FAILURE() << "next_timeout did not move past now after handle_timeout";
          return;
        }
      }
    }
  }
  void run_for(Nanos d) { run_until(now + d); }

  // Runs until `pred` holds (checked after every step) or `limit` of simulated time passes.
  bool run_while_not(const std::function<bool()>& pred, Nanos limit) {
    const Nanos end = now + limit;
    while (!pred()) {
      if (now >= end) return false;
      const Nanos step = std::min<Nanos>(end - now, kMillisecond);
      run_until(now + step);
    }
    return true;
  }

  std::vector<Event> events_of(EventKind k) const {
    std::vector<Event> out;
    for (const auto& e : events)
      if (e.kind == k) out.push_back(e);
    return out;
  }
  std::optional<Event> completion(RequestId id) const {
    std::optional<Event> found;
    for (const auto& e : events)
      if (e.kind == EventKind::IoCompleted && e.request == id) {
        EXPECT_FALSE(found.has_value()) << "request " << id << " completed twice";
        found = e;
      }
    return found;
  }
  std::vector<SentFrame> sent_ata(std::uint8_t command) const {
    std::vector<SentFrame> out;
    for (const auto& s : sent)
      if (s.ata && s.ata->cmd_status == command) out.push_back(s);
    return out;
  }
  std::size_t pending_replies() const { return pending_.size(); }
  void clear_pending() { pending_.clear(); }

  // Brings the device behind `t` up: start, discovery and IDENTIFY answered.
  void bring_up(FakeTarget& t) {
    if (!started_) {
      started_ = true;
      start();
    }
    const DeviceAddress a{t.shelf, t.slot};
    ASSERT_TRUE(run_while_not(
        [&] {
          auto d = engine.device(a);
          return d && d->state == DeviceState::Up;
        },
        5 * kSecond))
        << "device did not come up";
  }

 private:
  struct Pending {
    Nanos at;
    std::uint64_t seq;
    PortId port;
    Bytes bytes;
  };
  std::vector<Pending> pending_;
  std::uint64_t seq_ = 0;
  bool started_ = false;
};

inline IoRequest read_request(std::uint64_t lba, std::uint32_t sectors, std::vector<std::uint8_t>& buf) {
  buf.assign(std::size_t{sectors} * 512, 0);
  IoRequest r;
  r.kind = IoKind::Read;
  r.lba = lba;
  r.sectors = sectors;
  r.buffer = buf;
  return r;
}

inline IoRequest write_request(std::uint64_t lba, std::uint32_t sectors, std::vector<std::uint8_t>& buf) {
  IoRequest r;
  r.kind = IoKind::Write;
  r.lba = lba;
  r.sectors = sectors;
  r.buffer = buf;
  return r;
}

inline bool matches_pattern(const FakeTarget& t, std::uint64_t lba, const std::vector<std::uint8_t>& buf) {
  for (std::size_t s = 0; s < buf.size() / 512; ++s) {
    const auto want = t.sector(lba + s);
    if (!std::equal(want.begin(), want.end(), buf.begin() + static_cast<std::ptrdiff_t>(s * 512))) return false;
  }
  return true;
}

}  // namespace aoeh::initiator::testing
