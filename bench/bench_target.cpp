// The reference target alone: request in, reply out, no network. Its share of the simulator's
// per-exchange budget (issue 4 asks for 1,000,000 exchanges per second with the engine included).
#include <benchmark/benchmark.h>

#include <vector>

#include "protocol/ata.hpp"
#include "protocol/query_config.hpp"
#include "sim/target/target.hpp"

namespace {

using namespace aoeh;

const proto::MacAddress kTarget{{0x02, 0, 0, 0, 0x10, 0x01}};
const proto::MacAddress kHost{{0x02, 0, 0, 0, 0xAA, 0x01}};

target::TargetConfig config(target::ServiceTime st = {}) {
  target::TargetConfig c;
  c.ports = {{kTarget, 1500}};
  c.shelf = 1;
  c.slot = 1;
  c.capacity_sectors = 1 << 20;
  c.announce_on_start = false;
  c.service = st;
  return c;
}

proto::Header header(std::uint8_t command) {
  proto::Header h;
  h.dst = kTarget;
  h.src = kHost;
  h.shelf = 1;
  h.slot = 1;
  h.command = command;
  return h;
}

std::vector<std::uint8_t> ata(const proto::AtaArg& a, std::size_t data_bytes = 0) {
  std::vector<std::uint8_t> f(proto::kMaxFrameSize);
  f.resize(proto::encode_ata(f, header(0), a, std::vector<std::uint8_t>(data_bytes, 0x5A)));
  return f;
}

void run(benchmark::State& state, target::Target& t, std::vector<std::uint8_t>& frame) {
  std::uint32_t tag = 0;
  std::size_t bytes = 0;
  for (auto _ : state) {
    frame[20] = static_cast<std::uint8_t>(++tag >> 24);  // a new tag per request, as an initiator would
    frame[23] = static_cast<std::uint8_t>(tag);
    t.handle_frame(0, frame, tag);
    while (auto tx = t.poll_transmit()) bytes += tx->frame.size();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

void BM_TargetRead1KiB(benchmark::State& state) {
  target::Target t(config());
  auto f = ata(proto::ata_read_arg(0, 2, true));
  run(state, t, f);
}
BENCHMARK(BM_TargetRead1KiB);

void BM_TargetWrite1KiB(benchmark::State& state) {
  target::Target t(config());
  auto f = ata(proto::ata_write_arg(64, 2, true), 1024);
  run(state, t, f);
}
BENCHMARK(BM_TargetWrite1KiB);

void BM_TargetQueryConfig(benchmark::State& state) {
  target::Target t(config());
  std::vector<std::uint8_t> f(proto::kMaxFrameSize);
  f.resize(proto::encode_query_config(f, header(1), proto::QueryConfigArg{}));
  run(state, t, f);
}
BENCHMARK(BM_TargetQueryConfig);

// With a service time every request passes through the bufcnt queue and handle_timeout.
void BM_TargetReadQueued(benchmark::State& state) {
  target::Target t(config({1, 0}));
  auto f = ata(proto::ata_read_arg(0, 2, true));
  std::size_t bytes = 0;
  target::Nanos now = 0;
  for (auto _ : state) {
    t.handle_frame(0, f, now);
    now = t.next_timeout();
    t.handle_timeout(now);
    while (auto tx = t.poll_transmit()) bytes += tx->frame.size();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_TargetReadQueued);

}  // namespace
