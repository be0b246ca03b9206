#pragma once
// A scripted AoE target for engine tests: answers Query Config, IDENTIFY, READ, WRITE and FLUSH
// from a sparse in-memory disk, built and parsed with protocol/ only. Knobs inject the faults the
// tests need (AoE errors, ATA errors, silence, an MTU on the path, unpadded replies, version 0).
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "protocol/ata.hpp"
#include "protocol/frame.hpp"
#include "protocol/identify.hpp"
#include "protocol/query_config.hpp"

namespace aoeh::initiator::testing {

using Bytes = std::vector<std::uint8_t>;

// Unwritten sectors read back as a pattern derived from their LBA, so reads are checkable.
inline std::uint8_t pattern_byte(std::uint64_t lba, std::size_t i) {
  return static_cast<std::uint8_t>((lba * 131 + i * 7 + (lba >> 8)) & 0xFF);
}

struct AtaLog {
  std::uint8_t command = 0;
  std::uint8_t aflags = 0;
  std::uint64_t lba = 0;
  std::uint8_t count = 0;
  std::uint32_t tag = 0;
};

class FakeTarget {
 public:
  // Configuration.
  std::uint16_t shelf = 1;
  std::uint8_t slot = 1;
  proto::MacAddress mac{{0x02, 0, 0, 0, 0x10, 0x01}};
  std::uint16_t buffer_count = 16;
  std::uint16_t firmware = 0x4019;
  std::uint8_t sector_count = 2;    // Query Config sector count (0 means 2)
  std::uint8_t qc_version = 1;      // vblade's announcements say 0
  std::string config;
  std::uint64_t capacity = 1u << 20;
  bool lba48 = true;
  std::string model = "fake disk";
  std::string serial = "FAKE0001";
  bool pad = true;                  // veth/tap deliver unpadded frames
  std::uint32_t mtu = 9000;         // frames above mtu + 14 bytes are lost (either direction)
  bool zero_count_in_replies = false;  // vblade answers with the count remaining (0)

  // Faults.
  bool silent = false;              // answers nothing
  bool silent_ata = false;          // answers Query Config only
  std::uint8_t aoe_error = 0;       // answer the next `aoe_error_count` ATA commands with this error
  std::uint32_t aoe_error_count = 0;
  std::uint8_t ata_status = 0;      // answer the next `ata_fail_count` ATA commands with this status
  std::uint8_t ata_error = 0;
  std::uint32_t ata_fail_count = 0;

  // Observations.
  std::vector<AtaLog> ata_log;
  std::uint32_t query_configs = 0;
  std::uint32_t flushes = 0;
  using Disk = std::map<std::uint64_t, std::array<std::uint8_t, 512>>;
  Disk own_disk;
  Disk* disk = &own_disk;  // point two targets at one disk for two heads of one device

  // Answers one frame the initiator sent; nullopt when it stays unanswered.
  std::optional<Bytes> handle(std::span<const std::uint8_t> frame) {
    if (silent || frame.size() > mtu + proto::kEthernetHeaderSize) return std::nullopt;
    const auto parsed = proto::parse_frame(frame);
    if (!parsed) return std::nullopt;
    const proto::Message& m = parsed.value();
    if (m.header.is_response() || !proto::DeviceAddress{shelf, slot}.matches(m.header.address())) return std::nullopt;
    if (!m.header.dst.is_broadcast() && m.header.dst != mac) return std::nullopt;
    std::optional<Bytes> reply;
    if (const auto* q = m.query_config()) {
      ++query_configs;
      reply = answer_config(m.header, *q);
    } else if (const auto* a = m.ata()) {
      if (m.header.shelf == proto::kBroadcastShelf || m.header.slot == proto::kBroadcastSlot) return std::nullopt;
      if (silent_ata) return std::nullopt;
      reply = answer_ata(m.header, *a);
    }
    if (reply && reply->size() > mtu + proto::kEthernetHeaderSize) return std::nullopt;
    return reply;
  }

  // An unsolicited Query Config response (announcement), broadcast like vblade's.
  Bytes announcement() const {
    proto::Header h;
    h.dst = proto::MacAddress::broadcast();
    h.src = mac;
    h.version = qc_version;
    h.flags = proto::kFlagResponse;
    h.shelf = shelf;
    h.slot = slot;
    h.command = static_cast<std::uint8_t>(proto::Command::QueryConfig);
    return encode_config(h);
  }

  std::array<std::uint8_t, 512> sector(std::uint64_t lba) const {
    auto it = disk->find(lba);
    if (it != disk->end()) return it->second;
    std::array<std::uint8_t, 512> s{};
    for (std::size_t i = 0; i < s.size(); ++i) s[i] = pattern_byte(lba, i);
    return s;
  }

  std::size_t count_commands(std::uint8_t command) const {
    std::size_t n = 0;
    for (const auto& l : ata_log) n += l.command == command;
    return n;
  }

 private:
  Bytes encode_config(const proto::Header& h) const {
    proto::QueryConfigArg q;
    q.buffer_count = buffer_count;
    q.firmware_version = firmware;
    q.sector_count = sector_count;
    q.aoe_version = qc_version;
    q.config = proto::as_bytes(config);
    Bytes out(proto::kMaxFrameSize);
    out.resize(proto::encode_query_config(out, h, q, pad));
    return out;
  }

  Bytes answer_config(const proto::Header& req, const proto::QueryConfigArg&) const {
    proto::Header h = proto::reply_header(req, mac);
    h.version = qc_version;
    h.shelf = shelf;
    h.slot = slot;
    return encode_config(h);
  }

  Bytes answer_ata(const proto::Header& req, const proto::AtaBody& body) {
    const proto::AtaArg& a = body.arg;
    ata_log.push_back({a.cmd_status, a.aflags, a.lba, a.sector_count, req.tag});
    proto::Header h = proto::reply_header(req, mac);
    proto::AtaArg r = a;
    r.err_feature = 0;
    Bytes out(proto::kMaxFrameSize);
    if (aoe_error_count > 0) {
      --aoe_error_count;
      h.flags |= proto::kFlagError;
      h.error = aoe_error;
      out.resize(proto::encode_ata(out, h, r, {}, pad));
      return out;
    }
    if (ata_fail_count > 0) {
      --ata_fail_count;
      r.cmd_status = ata_status;
      r.err_feature = ata_error;
      out.resize(proto::encode_ata(out, h, r, {}, pad));
      return out;
    }
    r.cmd_status = proto::ata::kStatusDrdy;
    Bytes data;
    switch (a.cmd_status) {
      case proto::ata::kIdentify: {
        std::array<std::uint8_t, 512> page{};
        proto::Identity id;
        id.capacity_sectors = capacity;
        id.lba48 = lba48;
        id.model.assign(model);
        id.serial.assign(serial);
        id.firmware = "V1";
        proto::build_identify(page, id);
        data.assign(page.begin(), page.end());
        break;
      }
      case proto::ata::kReadSectors:
      case proto::ata::kReadSectorsExt:
        if (a.lba + a.sector_count > capacity) {
          r.cmd_status = proto::ata::kStatusDrdy | proto::ata::kStatusErr;
          r.err_feature = proto::ata::kErrorIdnf;
          break;
        }
        for (std::uint32_t i = 0; i < a.sector_count; ++i) {
          const auto s = sector(a.lba + i);
          data.insert(data.end(), s.begin(), s.end());
        }
        break;
      case proto::ata::kWriteSectors:
      case proto::ata::kWriteSectorsExt:
        if (a.lba + a.sector_count > capacity) {
          r.cmd_status = proto::ata::kStatusDrdy | proto::ata::kStatusErr;
          r.err_feature = proto::ata::kErrorIdnf;
          break;
        }
        for (std::uint32_t i = 0; i < a.sector_count; ++i)
          std::copy_n(body.data.begin() + i * 512, 512, (*disk)[a.lba + i].begin());
        break;
      case proto::ata::kFlushCache:
      case proto::ata::kFlushCacheExt:
        ++flushes;
        break;
      default:
        r.cmd_status = proto::ata::kStatusDrdy | proto::ata::kStatusErr;
        r.err_feature = proto::ata::kErrorAbrt;
    }
    if (zero_count_in_replies) r.sector_count = 0;
    out.resize(proto::encode_ata(out, h, r, data, pad));
    return out;
  }
};

}  // namespace aoeh::initiator::testing
