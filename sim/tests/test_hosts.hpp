#pragma once
// Small protocol-shaped hosts for the simulator's own tests: a generator that sends numbered ATA
// WRITE requests on a timer and a responder that answers each with an ATA response.
#include <cstdint>
#include <span>
#include <vector>

#include "protocol/ata.hpp"
#include "protocol/header.hpp"
#include "sim/host.hpp"
#include "sim/simulator.hpp"

namespace aoeh::sim::testing {

inline std::vector<std::uint8_t> raw_frame(const proto::MacAddress& dst, const proto::MacAddress& src,
                                           std::size_t size, std::uint8_t fill = 0xAB) {
  std::vector<std::uint8_t> f(size, fill);
  dst.store(f.data());
  src.store(f.data() + 6);
  f[12] = 0x88;
  f[13] = 0xB5;  // IEEE local experimental ethertype
  return f;
}

inline std::vector<std::uint8_t> ata_write_request(const proto::MacAddress& dst, const proto::MacAddress& src,
                                                   std::uint32_t tag, std::uint8_t sectors, std::uint8_t fill) {
  proto::Header h;
  h.dst = dst;
  h.src = src;
  h.shelf = 1;
  h.slot = 0;
  h.command = static_cast<std::uint8_t>(proto::Command::Ata);
  h.tag = tag;
  std::vector<std::uint8_t> data(std::size_t{sectors} * 512, fill);
  std::vector<std::uint8_t> out(proto::kAtaHeaderSize + data.size() + 60);
  out.resize(proto::encode_ata(out, h, proto::ata_write_arg(tag, sectors, true), data));
  return out;
}

// Sends `count` ATA writes to `peer`, one every `interval`, and records the tags answered.
class Generator : public Host {
 public:
  Generator(proto::MacAddress me, proto::MacAddress peer, std::uint32_t count, Nanos interval)
      : me_(me), peer_(peer), count_(count), interval_(interval) {}
  void start(Nanos now) override { wake_at(now); }
  void timer(Nanos now) override {
    if (sent_ == count_) return;
    transmit(0, ata_write_request(peer_, me_, sent_, 2, static_cast<std::uint8_t>(sent_)));
    ++sent_;
    wake_at(now + interval_);
  }
  void receive(std::uint32_t, std::span<const std::uint8_t> frame, Nanos) override {
    auto h = proto::parse_header(frame);
    if (h.ok() && h.value().is_response()) answered.push_back(h.value().tag);
  }
  std::vector<std::uint32_t> answered;

 private:
  proto::MacAddress me_, peer_;
  std::uint32_t count_, sent_ = 0;
  Nanos interval_;
};

// Answers every AoE ATA request with a bare response (status DRDY).
class Responder : public Host {
 public:
  explicit Responder(proto::MacAddress me) : me_(me) {}
  void receive(std::uint32_t port, std::span<const std::uint8_t> frame, Nanos) override {
    auto h = proto::parse_header(frame);
    if (!h.ok() || h.value().is_response()) return;
    ++requests;
    proto::AtaArg arg;
    arg.cmd_status = proto::ata::kStatusDrdy;
    arg.aflags = proto::kAtaFlagExtended | proto::kAtaFlagWrite;
    std::uint8_t out[64];
    const auto n = proto::encode_ata(out, proto::reply_header(h.value(), me_), arg);
    transmit(port, std::span<const std::uint8_t>(out, n));
  }
  std::uint64_t requests = 0;

 private:
  proto::MacAddress me_;
};

}  // namespace aoeh::sim::testing
