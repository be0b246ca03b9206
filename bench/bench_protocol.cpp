// Codec hot paths: parse + validate an ATA read response, encode an ATA request header, and a few
// neighbours. Issue 2 targets: both under 20 ns median, no allocation. Every benchmark reports
// `allocs_per_iter` (bench/allocation_counter.cpp replaces the global operator new).
#include <benchmark/benchmark.h>

#include <array>
#include <vector>

#include "bench/allocation_counter.hpp"
#include "protocol/frame.hpp"
#include "protocol/identify.hpp"

namespace {
using namespace aoeh::proto;
using aoeh::bench::AllocationCount;

Header sample_header(bool response) {
  Header h;
  h.dst = MacAddress{{0x02, 0, 0, 0, 0xa0, 0x0a}};
  h.src = MacAddress{{0x02, 0, 0, 0, 0xb0, 0x0b}};
  h.flags = response ? kFlagResponse : 0;
  h.shelf = 7;
  h.slot = 3;
  h.tag = 0x12345678;
  return h;
}

// A 1060-byte READ EXT response with two sectors of data.
std::vector<std::uint8_t> read_response_frame() {
  std::vector<std::uint8_t> data(2 * kSectorSize);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i);
  AtaArg a = ata_read_arg(0x123456789A, 2, true);
  a.cmd_status = ata::kStatusDrdy;
  std::vector<std::uint8_t> frame(kMaxFrameSize);
  frame.resize(encode_ata(frame, sample_header(true), a, data));
  return frame;
}

void BM_ParseAtaReadResponse1060(benchmark::State& state) {
  const auto frame = read_response_frame();
  if (frame.size() != 1060) state.SkipWithError("frame is not 1060 bytes");
  ByteSpan in(frame);
  AllocationCount allocs(state);
  for (auto _ : state) {
    benchmark::DoNotOptimize(in);
    auto m = parse_frame(in);
    benchmark::DoNotOptimize(m);
    if (!m.ok() || m->ata()->data.size() != 1024) state.SkipWithError("parse failed");
  }
  allocs.report();
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * frame.size()));
}
BENCHMARK(BM_ParseAtaReadResponse1060);

void BM_EncodeAtaRequestHeader(benchmark::State& state) {
  std::array<std::uint8_t, kMinFrameSize> buf{};
  Header h = sample_header(false);
  std::uint64_t lba = 0;
  AllocationCount allocs(state);
  for (auto _ : state) {
    h.tag++;
    const std::size_t n = encode_ata(buf, h, ata_read_arg(lba, 2, true));
    lba += 2;
    benchmark::DoNotOptimize(n);
    benchmark::ClobberMemory();
  }
  allocs.report();
}
BENCHMARK(BM_EncodeAtaRequestHeader);

void BM_EncodeAtaWriteRequest1060(benchmark::State& state) {
  std::array<std::uint8_t, kMaxFrameSize> buf{};
  const std::vector<std::uint8_t> data(2 * kSectorSize, 0x5A);
  Header h = sample_header(false);
  std::uint64_t lba = 0;
  AllocationCount allocs(state);
  for (auto _ : state) {
    h.tag++;
    const std::size_t n = encode_ata(buf, h, ata_write_arg(lba, 2, true), data);
    lba += 2;
    benchmark::DoNotOptimize(n);
    benchmark::ClobberMemory();
  }
  allocs.report();
}
BENCHMARK(BM_EncodeAtaWriteRequest1060);

void BM_ParseQueryConfigResponse(benchmark::State& state) {
  std::vector<std::uint8_t> frame(kMaxFrameSize);
  QueryConfigArg q;
  q.buffer_count = 16;
  q.sector_count = 17;
  q.config = as_bytes("rack 4, bay 2");
  frame.resize(encode_query_config(frame, sample_header(true), q, false));
  ByteSpan in(frame);
  AllocationCount allocs(state);
  for (auto _ : state) {
    benchmark::DoNotOptimize(in);
    auto m = parse_frame(in);
    benchmark::DoNotOptimize(m);
  }
  allocs.report();
}
BENCHMARK(BM_ParseQueryConfigResponse);

void BM_ParseIdentifyPage(benchmark::State& state) {
  std::array<std::uint8_t, kIdentifyPageSize> page{};
  Identity id;
  id.capacity_sectors = 1ull << 31;
  id.model = "aoeh reference target";
  id.serial = "BENCH0001";
  id.firmware = "1.0";
  build_identify(page, id);
  std::span<const std::uint8_t> in(page);
  AllocationCount allocs(state);
  for (auto _ : state) {
    benchmark::DoNotOptimize(in);
    auto parsed = parse_identify(in);
    benchmark::DoNotOptimize(parsed);
  }
  allocs.report();
}
BENCHMARK(BM_ParseIdentifyPage);

// Proves the counter counts: one vector allocation per iteration must show allocs_per_iter = 1.
void BM_AllocationCounterSelfCheck(benchmark::State& state) {
  AllocationCount allocs(state);
  for (auto _ : state) {
    std::vector<std::uint8_t> v(64);
    benchmark::DoNotOptimize(v.data());
  }
  allocs.report();
}
BENCHMARK(BM_AllocationCounterSelfCheck);

}  // namespace
