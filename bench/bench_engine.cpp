// The initiator engine alone, in steady state: one 1 KiB read frame per iteration goes
// submit -> poll_transmit -> (reply) handle_frame -> poll_event with 16 frames outstanding.
// The reply is a prebuilt frame whose header (tag) is rewritten with protocol/'s store_header,
// so the figure is the engine's cost plus a 24-byte header store. Heap allocations are counted
// with a replaced global operator new and reported per frame (the target is zero).
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <vector>

#include "initiator/engine.hpp"
#include "protocol/ata.hpp"
#include "protocol/byte_order.hpp"
#include "protocol/frame.hpp"
#include "protocol/identify.hpp"
#include "protocol/query_config.hpp"

namespace {
std::uint64_t g_allocations = 0;
}

// noinline: GCC otherwise sees malloc/free through the replacement and warns about a mismatch.
__attribute__((noinline)) void* operator new(std::size_t n) {
  ++g_allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
__attribute__((noinline)) void operator delete(void* p) noexcept { std::free(p); }
__attribute__((noinline)) void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

using namespace aoeh;
using namespace aoeh::initiator;

const proto::MacAddress kHost{{0x02, 0, 0, 0, 0xA0, 0x00}};
const proto::MacAddress kTarget{{0x02, 0, 0, 0, 0x10, 0x01}};
constexpr std::uint32_t kWindow = 16;

proto::Header reply_to(std::uint8_t command, std::uint32_t tag) {
  proto::Header h;
  h.dst = kHost;
  h.src = kTarget;
  h.flags = proto::kFlagResponse;
  h.shelf = 1;
  h.slot = 1;
  h.command = command;
  h.tag = tag;
  return h;
}

// A reply's argument: the request's, with a good status register.
proto::AtaArg good(proto::AtaArg a) {
  a.cmd_status = proto::ata::kStatusDrdy;
  return a;
}

struct Rig {
  Engine engine;
  Nanos now = 0;
  std::vector<std::uint8_t> read_reply = std::vector<std::uint8_t>(proto::kMaxFrameSize);
  std::vector<std::uint8_t> buffer = std::vector<std::uint8_t>(kWindow * 1024);
  std::array<std::uint32_t, kWindow> tags{};  // outstanding tags, oldest first (a ring)
  std::uint32_t head = 0;
  std::uint64_t next_lba = 0;

  static EngineConfig config() {
    EngineConfig c;
    c.ports.push_back(PortConfig{"bench0", kHost, 1500, true});
    c.max_outstanding_per_path = kWindow;
    return c;
  }

  Rig() : engine(config()) {
    engine.start(now);
    while (engine.poll_transmit()) {
    }
    // Query Config answer with bufcnt 16, then the IDENTIFY answer.
    std::vector<std::uint8_t> f(proto::kMaxFrameSize);
    proto::QueryConfigArg q;
    q.buffer_count = kWindow;
    q.sector_count = 2;
    f.resize(proto::encode_query_config(f, reply_to(1, 0), q));
    engine.handle_frame(0, f, now);
    auto id_tx = engine.poll_transmit();
    const std::uint32_t id_tag = proto::parse_header(id_tx->frame)->tag;
    std::array<std::uint8_t, 512> page{};
    proto::Identity id;
    id.capacity_sectors = 1u << 30;
    proto::build_identify(page, id);
    f.assign(proto::kMaxFrameSize, 0);
    f.resize(proto::encode_ata(f, reply_to(0, id_tag), good(proto::ata_identify_arg()), page));
    now += 10'000;
    engine.handle_frame(0, f, now);
    while (engine.poll_event()) {
    }
    std::vector<std::uint8_t> data(1024, 0x5A);
    read_reply.resize(proto::encode_ata(read_reply, reply_to(0, 0), good(proto::ata_read_arg(0, 2, true)), data));
    // Open the window: keep answering until 16 frames are in flight.
    // The window starts small: 16 requests wait in the engine and go out as it opens.
    for (std::uint32_t i = 0; i < kWindow; ++i) submit_one(i);
    for (int round = 0; round < 1000; ++round) step();
    if (pending != kWindow) std::abort();
  }

  void submit_one(std::uint32_t slot) {
    IoRequest r;
    r.kind = IoKind::Read;
    r.lba = (next_lba++ * 2) & ((1u << 20) - 1);
    r.sectors = 2;
    r.buffer = std::span<std::uint8_t>(buffer).subspan(slot * 1024, 1024);
    r.user_data = slot;
    engine.submit({1, 1}, r, now);
    while (auto tx = engine.poll_transmit()) {
      tags[(head + pending++) % kWindow] = proto::load_be32(tx->frame.data() + 20);  // the tag
    }
  }

  // Answers the oldest outstanding frame, takes its completion, submits the next read.
  void step() {
    now += 1000;
    if (engine.next_timeout() <= now) engine.handle_timeout(now);
    if (pending == 0) std::abort();  // cannot happen once primed: every step keeps 16 requests in the engine
    const std::uint32_t tag = tags[head];
    head = (head + 1) % kWindow;
    --pending;
    proto::store_header(read_reply.data(), reply_to(0, tag));
    engine.handle_frame(0, read_reply, now);
    std::uint32_t slot = 0;
    while (auto e = engine.poll_event()) slot = static_cast<std::uint32_t>(e->user_data);
    submit_one(slot);
  }

  std::uint32_t pending = 0;
};

void BM_EngineRead1KiBWindow16(benchmark::State& state) {
  Rig rig;
  const std::uint64_t allocs_before = g_allocations;
  const std::uint64_t done_before = rig.engine.counters().requests_completed;
  for (auto _ : state) rig.step();
  const std::uint64_t allocs = g_allocations - allocs_before;
  const std::uint64_t done = rig.engine.counters().requests_completed - done_before;
  state.SetItemsProcessed(state.iterations());
  state.counters["allocs_per_frame"] = static_cast<double>(allocs) / static_cast<double>(state.iterations());
  state.counters["outstanding"] = rig.engine.device({1, 1})->in_flight;
  if (done != static_cast<std::uint64_t>(state.iterations()) || rig.engine.counters().timeouts != 0)
    state.SkipWithError("the steady state lost frames: the measurement is not of the intended path");
}
BENCHMARK(BM_EngineRead1KiBWindow16);

}  // namespace
