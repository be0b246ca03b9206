// libFuzzer target: the initiator engine fed arbitrary frames, on arbitrary ports (allowed or not),
// at arbitrary times, mixed with submits, timeouts, revalidate, open/close and port changes.
// It must never crash, hang or break an invariant (the checked engine library aborts on a
// violation after every input; check_invariants() is asserted here as well).
//
// Input: a sequence of records: an operation byte, a time step (u16; microseconds, or milliseconds
// when the operation's top bit is set), then the operation's arguments. Frames either come
// verbatim from the input or are a protocol-built reply to one of the engine's recent transmissions
// (0 = the newest) with input bytes XORed over it and optionally truncated, which reaches deep
// states (devices up, windows open, retransmissions, errors) quickly.
#include <array>
#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <string>
#include <deque>
#include <vector>

#include "fuzz/fuzz_check.hpp"
#include "initiator/engine.hpp"
#include "protocol/ata.hpp"
#include "protocol/frame.hpp"
#include "protocol/identify.hpp"
#include "protocol/query_config.hpp"

namespace {

using namespace aoeh;
using namespace aoeh::initiator;

const proto::MacAddress kTargetMac{{0x02, 0, 0, 0, 0x10, 0x01}};

struct Reader {
  const std::uint8_t* p;
  std::size_t n;
  std::uint8_t u8() {
    if (n == 0) return 0;
    --n;
    return *p++;
  }
  std::uint16_t u16() { return static_cast<std::uint16_t>(u8() << 8 | u8()); }
  std::span<const std::uint8_t> bytes(std::size_t want) {
    const std::size_t k = want < n ? want : n;
    std::span<const std::uint8_t> s(p, k);
    p += k;
    n -= k;
    return s;
  }
};

// A protocol-built reply to a frame the engine sent, as a well-behaved target would answer it.
std::vector<std::uint8_t> reply_to(std::span<const std::uint8_t> sent, std::uint8_t variant) {
  std::vector<std::uint8_t> out(proto::kMaxFrameSize);
  const auto m = proto::parse_frame(sent);
  if (!m) return {};
  proto::Header h = proto::reply_header(m->header, kTargetMac);
  if (h.shelf == proto::kBroadcastShelf) h.shelf = 1;
  if (h.slot == proto::kBroadcastSlot) h.slot = variant & 1;
  if (variant & 0x80) {  // an AoE error reply
    h.flags |= proto::kFlagError;
    h.error = variant & 7;
  }
  if (m->query_config()) {
    proto::QueryConfigArg q;
    q.buffer_count = static_cast<std::uint16_t>(1 + (variant & 31));
    q.sector_count = static_cast<std::uint8_t>(variant & 0x1F);
    out.resize(proto::encode_query_config(out, h, q, (variant & 0x40) != 0));
    return out;
  }
  const auto* a = m->ata();
  if (a == nullptr) return {};
  proto::AtaArg r = a->arg;
  r.cmd_status = (variant & 0x20) ? static_cast<std::uint8_t>(variant) : proto::ata::kStatusDrdy;
  std::vector<std::uint8_t> data;
  if (a->arg.cmd_status == proto::ata::kIdentify) {
    std::array<std::uint8_t, 512> page{};
    proto::Identity id;
    id.capacity_sectors = (variant & 0x10) ? 0x0FFFFFFF : 1u << 20;
    id.lba48 = (variant & 0x08) != 0;
    proto::build_identify(page, id);
    data.assign(page.begin(), page.end());
  } else if (!a->arg.write()) {
    data.assign(std::size_t{a->arg.sector_count} * 512, variant);
  }
  out.resize(proto::encode_ata(out, h, r, data, (variant & 0x40) != 0));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  EngineConfig cfg;
  cfg.ports.push_back(PortConfig{"f0", proto::MacAddress{{0x02, 0, 0, 0, 0xA0, 0}}, 9000, true});
  cfg.ports.push_back(PortConfig{"f1", proto::MacAddress{{0x02, 0, 0, 0, 0xA0, 1}}, 1500, true});
  cfg.ports.push_back(PortConfig{"f2", proto::MacAddress{{0x02, 0, 0, 0, 0xA0, 2}}, 1500, false});
  cfg.max_request_sectors = 4096;
  cfg.max_devices = 64;
  Engine engine(cfg);
  Nanos now = 0;
  std::deque<std::vector<std::uint8_t>> sent;  // the engine's latest transmissions
  std::deque<std::vector<std::uint8_t>> buffers;  // request buffers live for the whole run
  std::array<bool, 3> port_up{true, true, false};
  auto drain = [&] {
    while (auto t = engine.poll_transmit()) {
      FUZZ_CHECK(t->port < port_up.size() && port_up[t->port], "a frame on a port outside the allow-list or down");
      FUZZ_CHECK(!t->frame.empty() && t->frame.size() <= proto::kMaxFrameSize, "transmit size");
      sent.emplace_back(t->frame.begin(), t->frame.end());
      if (sent.size() > 64) sent.pop_front();
    }
    while (engine.poll_event()) {
    }
  };
  engine.start(now);
  drain();
  Reader in{data, size};
  for (int ops = 0; in.n > 0 && ops < 4096; ++ops) {
    const std::uint8_t op = in.u8();
    now += static_cast<Nanos>(in.u16()) * (op & 0x80 ? kMillisecond : 1000);
    switch (op & 0x0F) {
      case 0: case 1: case 2: {  // answer one of the latest transmissions, possibly corrupted
        if (sent.empty()) break;
        const std::size_t which = sent.size() - 1 - in.u8() % sent.size();
        auto frame = reply_to(sent[which], in.u8());
        const auto noise = in.bytes(in.u8() % 8);
        for (std::size_t i = 0; i < noise.size() && !frame.empty(); ++i)
          frame[(i * 37 + noise[i]) % frame.size()] ^= noise[i];
        if ((op & 0x0F) == 2 && !frame.empty()) frame.resize(in.u16() % (frame.size() + 1));
        engine.handle_frame(static_cast<PortId>(in.u8() % 4), frame, now);
        break;
      }
      case 3: {  // raw bytes on any port id
        const PortId port = static_cast<PortId>(in.u8() % 5);
        const auto raw = in.bytes(in.u16() % 1600);
        engine.handle_frame(port, raw, now);
        break;
      }
      case 4: case 5: {
        IoRequest r;
        r.kind = static_cast<IoKind>(in.u8() % 3);
        r.lba = in.u16();
        r.sectors = r.kind == IoKind::Flush ? 0 : 1 + in.u8() % 64;
        buffers.emplace_back(std::size_t{r.sectors} * 512, 0);
        r.buffer = buffers.back();
        engine.submit({1, static_cast<std::uint8_t>(in.u8() & 1)}, r, now);
        break;
      }
      case 6: engine.handle_timeout(now); break;
      case 7:  // jump to the engine's next deadline
        if (engine.next_timeout() != kNever) now = std::max(now, engine.next_timeout());
        engine.handle_timeout(now);
        break;
      case 8: engine.revalidate({1, static_cast<std::uint8_t>(in.u8() & 1)}, now); break;
      case 9: engine.open({1, 0}, now); break;
      case 10: engine.close({1, 0}, now); break;
      case 11: {
        const PortId port = static_cast<PortId>(in.u8() % 4);
        const bool up = (in.u8() & 1) != 0;
        engine.set_port(port, up, 500 + in.u16() % 9000, now);
        if (port < port_up.size()) port_up[port] = up;
        break;
      }
      case 12: engine.discover(now); break;
      default: break;
    }
    drain();
    const std::string violation = engine.check_invariants();
    FUZZ_CHECK(violation.empty(), violation);
    FUZZ_CHECK(engine.next_timeout() == kNever || engine.next_timeout() > 0, "next_timeout");
  }
  return 0;
}
