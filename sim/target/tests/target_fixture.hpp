#pragma once
// Shared test scaffolding: a target with known identity, request builders (protocol/ encoders) and
// a way to collect and parse what the target sends.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/ata.hpp"
#include "protocol/frame.hpp"
#include "protocol/mac_mask_list.hpp"
#include "protocol/query_config.hpp"
#include "protocol/reserve_release.hpp"
#include "protocol/vendor.hpp"
#include "sim/target/target.hpp"

namespace aoeh::target::testing {

using Bytes = std::vector<std::uint8_t>;

inline const proto::MacAddress kTargetMac{{0x02, 0, 0, 0, 0x10, 0x01}};
inline const proto::MacAddress kTargetMac2{{0x02, 0, 0, 0, 0x10, 0x02}};
inline const proto::MacAddress kHostA{{0x02, 0, 0, 0, 0xAA, 0x01}};
inline const proto::MacAddress kHostB{{0x02, 0, 0, 0, 0xBB, 0x02}};
inline constexpr std::uint16_t kShelf = 7;
inline constexpr std::uint8_t kSlot = 3;
inline constexpr std::uint64_t kCapacity = 4096;

inline TargetConfig base_config() {
  TargetConfig c;
  c.ports = {{kTargetMac, 1500}};
  c.shelf = kShelf;
  c.slot = kSlot;
  c.capacity_sectors = kCapacity;
  c.announce_on_start = false;
  return c;
}

struct Sent {
  std::size_t port = 0;
  Bytes bytes;
};

inline std::vector<Sent> drain(Target& t) {
  std::vector<Sent> out;
  while (auto tx = t.poll_transmit()) out.push_back({tx->port_index, Bytes(tx->frame.begin(), tx->frame.end())});
  return out;
}

inline proto::Header request_header(std::uint8_t command, std::uint32_t tag = 0x11223344,
                                    const proto::MacAddress& src = kHostA, std::uint16_t shelf = kShelf,
                                    std::uint8_t slot = kSlot, const proto::MacAddress& dst = kTargetMac) {
  proto::Header h;
  h.dst = dst;
  h.src = src;
  h.shelf = shelf;
  h.slot = slot;
  h.command = command;
  h.tag = tag;
  return h;
}

inline proto::Header ata_header(std::uint32_t tag = 0x11223344, const proto::MacAddress& src = kHostA) {
  return request_header(static_cast<std::uint8_t>(proto::Command::Ata), tag, src);
}

inline Bytes ata_frame(const proto::Header& h, const proto::AtaArg& a, const Bytes& data = {}) {
  Bytes f(proto::kMaxFrameSize * 16);
  f.resize(proto::encode_ata(f, h, a, data));
  return f;
}

inline Bytes config_frame(const proto::Header& h, proto::ConfigCommand cmd, std::string_view s = {}) {
  proto::QueryConfigArg q;
  q.ccmd = static_cast<std::uint8_t>(cmd);
  q.config = proto::as_bytes(s);
  Bytes f(proto::kMaxFrameSize);
  f.resize(proto::encode_query_config(f, h, q));
  return f;
}

inline Bytes mask_frame(const proto::Header& h, proto::MaskCommand cmd,
                        const std::vector<proto::MacMaskDirective>& dirs = {}) {
  Bytes f(proto::kMaxFrameSize);
  f.resize(proto::encode_mac_mask_list(f, h, static_cast<std::uint8_t>(cmd), 0, dirs));
  return f;
}

inline Bytes reserve_frame(const proto::Header& h, proto::ReserveCommand cmd,
                           const std::vector<proto::MacAddress>& macs = {}) {
  Bytes f(proto::kMaxFrameSize);
  f.resize(proto::encode_reserve_release(f, h, static_cast<std::uint8_t>(cmd), macs));
  return f;
}

inline Bytes pattern(std::size_t sectors, std::uint8_t seed) {
  Bytes b(sectors * proto::kSectorSize);
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<std::uint8_t>(seed + i * 7 + i / 512);
  return b;
}

// A parsed reply that owns its bytes (a Message only views them), so it may outlive the buffer.
struct OwnedMessage : proto::Message {
  std::shared_ptr<const Bytes> storage;
};

// Parses a reply strictly: a conforming target's replies must pass the codec's strictest checks.
inline OwnedMessage parse_reply(const Bytes& frame) {
  OwnedMessage out;
  out.storage = std::make_shared<const Bytes>(frame);
  auto m = proto::parse_frame(*out.storage);
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : proto::parse_error_name(m.error()));
  if (m.ok()) static_cast<proto::Message&>(out) = m.value();
  return out;
}

// Sends one frame and returns everything the target sent in answer (service time zero).
inline std::vector<Sent> transact(Target& t, const Bytes& frame, std::size_t port = 0, Nanos now = 0) {
  t.handle_frame(port, frame, now);
  return drain(t);
}

// Sends one frame and expects exactly one reply.
inline Bytes transact_one(Target& t, const Bytes& frame, std::size_t port = 0, Nanos now = 0) {
  auto out = transact(t, frame, port, now);
  EXPECT_EQ(out.size(), 1u);
  return out.empty() ? Bytes{} : out.front().bytes;
}

// Reads `count` sectors over the wire; returns the data (empty on any error reply).
inline Bytes wire_read(Target& t, std::uint64_t lba, std::uint8_t count, bool lba48 = true) {
  Bytes reply = transact_one(t, ata_frame(ata_header(), proto::ata_read_arg(lba, count, lba48)));
  if (reply.empty()) return {};
  auto m = proto::parse_frame(reply);
  if (!m || m->header.is_error() || (m->ata()->arg.cmd_status & proto::ata::kStatusErr)) return {};
  return Bytes(m->ata()->data.begin(), m->ata()->data.end());
}

// Writes over the wire; returns the reply's ATA status (0xFF for an AoE error or no reply).
inline std::uint8_t wire_write(Target& t, std::uint64_t lba, const Bytes& data, bool lba48 = true) {
  const auto count = static_cast<std::uint8_t>(data.size() / proto::kSectorSize);
  Bytes reply = transact_one(t, ata_frame(ata_header(), proto::ata_write_arg(lba, count, lba48), data));
  if (reply.empty()) return 0xFF;
  auto m = proto::parse_frame(reply);
  if (!m || m->header.is_error()) return 0xFF;
  return m->ata()->arg.cmd_status;
}

}  // namespace aoeh::target::testing
