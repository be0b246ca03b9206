// Tags: unique among outstanding frames, fresh on retransmission, late/duplicate/unknown replies.
#include <gtest/gtest.h>

#include <set>

#include "initiator/tests/harness.hpp"

namespace aoeh::initiator::testing {
namespace {

TEST(Tags, UniqueAmongOutstandingFrames) {
  Harness h(config_with_ports(1));
  FakeTarget t;
  t.buffer_count = 64;
  h.connect(t, 0);
  h.bring_up(t);
  // Hold every reply back: all frames stay outstanding while the window opens up.
  std::vector<Bytes> held;
  h.drop_reply = [&](const SentFrame&, const Bytes& r) {
    held.push_back(r);
    return true;
  };
  std::vector<std::vector<std::uint8_t>> bufs(64);
  for (int i = 0; i < 64; ++i) h.submit({1, 1}, read_request(static_cast<std::uint64_t>(i) * 2, 2, bufs[i]));
  const std::size_t first = h.sent.size();
  // Grow the window by answering in rounds, checking tags of everything in flight.
  for (int round = 0; round < 8; ++round) {
    std::set<std::uint32_t> tags;
    std::size_t in_flight = 0;
    for (std::size_t i = first; i < h.sent.size(); ++i) {
      if (!h.sent[i].ata) continue;
      tags.insert(h.sent[i].header.tag);
      ++in_flight;
    }
    EXPECT_EQ(tags.size(), in_flight) << "a tag was reused while outstanding";
    auto replies = std::move(held);
    held.clear();
    for (auto& r : replies) h.deliver(0, r);
  }
  EXPECT_EQ(h.engine.check_invariants(), "");
}

TEST(Tags, RetransmissionGetsNewTagAndLateReplyCompletesIt) {
  auto cfg = config_with_ports(1);
  cfg.rto_initial = 50 * kMillisecond;
  Harness h(cfg);
  FakeTarget t;
  h.connect(t, 0);
  h.bring_up(t);
  std::vector<Bytes> held;
  h.drop_reply = [&](const SentFrame& s, const Bytes& r) {
    if (!s.ata || s.ata->cmd_status != proto::ata::kReadSectorsExt) return false;
    held.push_back(r);
    return true;
  };
  std::vector<std::uint8_t> buf;
  auto r = h.submit({1, 1}, read_request(40, 1, buf));
  h.run_for(kSecond);  // times out, retransmits (replies held)
  const auto reads = h.sent_ata(proto::ata::kReadSectorsExt);
  ASSERT_GE(reads.size(), 2u);
  EXPECT_NE(reads[0].header.tag, reads[1].header.tag) << "a retransmission carries a new tag";
  EXPECT_EQ(reads[0].ata->lba, reads[1].ata->lba);
  EXPECT_GE(h.engine.counters().retransmits, 1u);
  EXPECT_FALSE(h.completion(r.id));
  ASSERT_GE(held.size(), 2u);
  h.drop_reply = nullptr;
  h.deliver(0, held[0]);  // the reply to the first tag, late
  auto c = h.completion(r.id);
  ASSERT_TRUE(c) << "a late reply to an earlier tag completes the frame";
  EXPECT_EQ(c->status, IoStatus::Ok);
  EXPECT_TRUE(matches_pattern(t, 40, buf));
  EXPECT_EQ(h.engine.counters().late_replies, 1u);
  h.deliver(0, held[1]);  // the reply to the retransmission: the frame is already done
  EXPECT_EQ(h.engine.counters().duplicate_replies, 1u);
  EXPECT_EQ(h.events_of(EventKind::IoCompleted).size(), 1u);
}

TEST(Tags, DuplicateReplyIsCountedAndIgnored) {
  Harness h(config_with_ports(1));
  FakeTarget t;
  h.connect(t, 0);
  h.bring_up(t);
  Bytes copy;
  h.drop_reply = [&](const SentFrame& s, const Bytes& r) {
    if (s.ata && s.ata->cmd_status == proto::ata::kReadSectorsExt) copy = r;
    return false;
  };
  std::vector<std::uint8_t> buf;
  auto r = h.submit({1, 1}, read_request(7, 1, buf));
  h.run_for(kSecond);
  ASSERT_TRUE(h.completion(r.id));
  ASSERT_FALSE(copy.empty());
  std::fill(buf.begin(), buf.end(), 0xEE);
  h.deliver(0, copy);
  EXPECT_EQ(h.engine.counters().duplicate_replies, 1u);
  EXPECT_EQ(buf[0], 0xEE) << "a duplicate never writes into a completed request's buffer";
  EXPECT_EQ(h.events_of(EventKind::IoCompleted).size(), 1u);
}

TEST(Tags, UnknownTagsAreCounted) {
  Harness h(config_with_ports(1));
  FakeTarget t;
  h.connect(t, 0);
  h.bring_up(t);
  const auto before = h.engine.counters().unknown_tags;
  // Forge ATA replies with tags the engine never used.
  for (std::uint32_t tag : {0x0000'0FFFu, 0x7FF0'0000u | 5u, 0x8000'0000u}) {
    proto::Header hd;
    hd.dst = port_mac(0);
    hd.src = t.mac;
    hd.flags = proto::kFlagResponse;
    hd.shelf = 1;
    hd.slot = 1;
    hd.command = 0;
    hd.tag = tag;
    proto::AtaArg a = proto::ata_read_arg(0, 0, true);
    Bytes out(100);
    out.resize(proto::encode_ata(out, hd, a));
    h.deliver(0, out);
  }
  EXPECT_EQ(h.engine.counters().unknown_tags, before + 3);
}

TEST(Tags, ReplyFromAnotherDeviceAddressDoesNotComplete) {
  Harness h(config_with_ports(1));
  FakeTarget t;
  h.connect(t, 0);
  h.bring_up(t);
  std::vector<Bytes> held;
  h.drop_reply = [&](const SentFrame& s, const Bytes& r) {
    if (s.ata) held.push_back(r);
    return s.ata.has_value();
  };
  std::vector<std::uint8_t> buf;
  auto r = h.submit({1, 1}, read_request(7, 1, buf));
  ASSERT_EQ(held.size(), 1u);
  Bytes forged = held[0];
  proto::Header hd = *proto::parse_header(forged);
  hd.slot = 9;
  proto::store_header(forged.data(), hd);
  h.deliver(0, forged);
  EXPECT_FALSE(h.completion(r.id));
  EXPECT_EQ(h.engine.counters().unknown_tags, 1u);
  h.deliver(0, held[0]);
  EXPECT_TRUE(h.completion(r.id));
}

}  // namespace
}  // namespace aoeh::initiator::testing
