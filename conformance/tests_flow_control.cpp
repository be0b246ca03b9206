// Flow control: bufcnt requests in flight are all answered; what happens beyond is recorded.
#include <map>
#include <set>

#include "conformance/test_support.hpp"

namespace aoeh::conformance {
using namespace support;
namespace {

constexpr std::size_t kBurstCap = 256;  // keeps a huge advertised bufcnt from making the burst absurd

struct Burst {
  std::vector<std::uint32_t> tags;
  std::vector<Reply> replies;
};

// Sends `n` requests back to back (no waiting), then collects replies until all came or time ran out.
// `mixed`: every other request is a Query Config read instead of a one-sector READ.
Burst burst(TestContext& t, std::size_t n, bool mixed) {
  Burst b;
  for (std::size_t i = 0; i < n; ++i) {
    Bytes frame;
    if (mixed && i % 2 == 1) {
      frame = qc_frame(t, proto::ConfigCommand::Read);
    } else {
      frame = ata_frame(t.header(kAta), proto::ata_read_arg(scratch_lba(t) + i % 64, 1, t.target().lba48()));
    }
    b.tags.push_back(frame_tag(frame));
    t.probe().send(t.port(), frame, fmt::format("burst request {} of {}", i + 1, n));
  }
  const std::set<std::uint32_t> mine(b.tags.begin(), b.tags.end());
  // Generous: the whole queue must drain within a few reply timeouts.
  b.replies = t.probe().await(std::nullopt, n, t.probe().timing().reply_timeout * 4, [&](const Reply& r) {
    return t.probe().is_target_response(r) && mine.count(r.header.tag) != 0;
  });
  return b;
}

std::map<std::uint32_t, int> count_by_tag(const Burst& b) {
  std::map<std::uint32_t, int> seen;
  for (const auto& r : b.replies) ++seen[r.header.tag];
  return seen;
}

std::size_t bufcnt(TestContext& t) {
  if (t.target().buffer_count == 0) t.fail("the target advertises a buffer count of 0");
  return std::min<std::size_t>(t.target().buffer_count, kBurstCap);
}

// Bursts are not retransmitted (that would defeat them); on a lossy path a whole burst is repeated
// instead, up to the probe's attempts, and the best round counts.
Burst best_burst(TestContext& t, std::size_t n, bool mixed) {
  Burst best;
  std::size_t best_answered = 0;
  for (int round = 0; round < std::max(1, t.probe().timing().attempts); ++round) {
    auto b = burst(t, n, mixed);
    const auto answered = count_by_tag(b).size();
    if (round == 0 || answered > best_answered) {
      best = std::move(b);
      best_answered = answered;
    }
    if (answered >= n) break;
    t.note(fmt::format("round {}: {} of {} answered", round + 1, answered, n));
  }
  return best;
}

}  // namespace

void add_flow_control_tests(Catalogue& c) {
  c.add({"AOE.FlowControl.BufcntOutstandingAnswered", "AoEr11 §4 (Buffer Count)", MUST, READS, {kNeedIdentify},
         "Buffer-count requests sent at once are all answered."},
        [](TestContext& t) {
          const auto n = bufcnt(t);
          auto b = best_burst(t, n, false);
          const auto seen = count_by_tag(b);
          t.check(seen.size() == n, fmt::format("{} of {} outstanding requests answered", seen.size(), n));
          for (const auto& r : b.replies)
            if (!TestContext::ata_ok(r)) {
              t.check(false, fmt::format("request 0x{:08x} got {}", r.header.tag, describe(r)));
              break;
            }
        });

  c.add({"AOE.FlowControl.RepliesUniquePerTag", "AoEr11 §2 (Tag), §4", MUST, READS, {kNeedIdentify},
         "In a burst of buffer-count requests every tag is answered at most once."},
        [](TestContext& t) {
          const auto n = bufcnt(t);
          auto b = burst(t, n, false);
          t.probe().settle(t.probe().timing().silence);  // late duplicates
          for (auto& r : t.probe().take([&](const Reply& r) { return t.probe().is_target_response(r); }))
            b.replies.push_back(std::move(r));
          for (const auto& [tag, count] : count_by_tag(b))
            if (count > 1) t.check(false, fmt::format("tag 0x{:08x} answered {} times", tag, count));
        });

  c.add({"AOE.FlowControl.MixedCommandsOutstanding", "AoEr11 §4 (Buffer Count)", MUST, READS, {kNeedIdentify},
         "Buffer-count requests mixing ATA reads and Query Config reads are all answered."},
        [](TestContext& t) {
          const auto n = bufcnt(t);
          auto b = best_burst(t, n, true);
          const auto seen = count_by_tag(b);
          t.check(seen.size() == n, fmt::format("{} of {} mixed outstanding requests answered", seen.size(), n));
        });

  c.add({"AOE.FlowControl.BeyondBufcntRecorded", "AoEr11 §4 (Buffer Count: excess may be dropped)", SHOULD, READS,
         {kNeedIdentify},
         "Twice buffer-count requests at once: at least buffer-count answered, answers well formed, target recovers."},
        [](TestContext& t) {
          const auto n = bufcnt(t);
          Burst b;
          for (int round = 0; round < std::max(1, t.probe().timing().attempts); ++round) {
            b = burst(t, 2 * n, false);
            if (count_by_tag(b).size() >= n) break;
          }
          const auto seen = count_by_tag(b);
          t.note(fmt::format("{} of {} answered with buffer count {}", seen.size(), 2 * n, n));
          t.check(seen.size() >= n, fmt::format("only {} answered: fewer than the buffer count {}", seen.size(), n));
          for (const auto& r : b.replies) {
            const bool ok = TestContext::ata_ok(r) || r.header.is_error();
            if (!ok) {
              t.check(false, fmt::format("malformed answer to 0x{:08x}: {}", r.header.tag, describe(r)));
              break;
            }
          }
          t.expect_alive();
        });

  c.add({"AOE.FlowControl.OverflowKeepsQueuedWrites", "AoEr11 §4 (Buffer Count: excess may be dropped)", MUST, WRITES,
         {kNeedIdentify, kNeedWritable},
         "Writes beyond the buffer count never disturb queued ones: every acknowledged write holds its own data."},
        [](TestContext& t) {
          const auto n = bufcnt(t);
          const std::uint64_t base = scratch_lba(t, 10);
          const std::uint64_t extra_base = base + n + 8;
          t.guard_sectors(base, static_cast<std::uint32_t>(n));
          t.guard_sectors(extra_base, static_cast<std::uint32_t>(n));
          std::map<std::uint32_t, std::uint64_t> lba_by_tag;
          std::map<std::uint64_t, Bytes> sent;
          auto send_write = [&](std::uint64_t lba, std::uint32_t salt) {
            auto data = sector_pattern(lba, 1, salt);
            auto frame = ata_frame(t.header(kAta), proto::ata_write_arg(lba, 1, t.target().lba48()), data);
            lba_by_tag[frame_tag(frame)] = lba;
            sent[lba] = std::move(data);
            t.probe().send(t.port(), frame, fmt::format("burst WRITE LBA {}", lba));
          };
          for (std::size_t i = 0; i < n; ++i) send_write(base + i, 0x77);        // fills the queue
          for (std::size_t i = 0; i < n; ++i) send_write(extra_base + i, 0x88);  // beyond it
          auto replies = t.probe().await(std::nullopt, 2 * n, t.probe().timing().reply_timeout * 4, [&](const Reply& r) {
            return t.probe().is_target_response(r) && lba_by_tag.count(r.header.tag) != 0;
          });
          std::size_t acknowledged = 0;
          for (const auto& r : replies) {
            if (!TestContext::ata_ok(r)) continue;
            ++acknowledged;
            const auto lba = lba_by_tag[r.header.tag];
            if (t.read(lba, 1) != sent[lba]) {
              t.check(false, fmt::format("write to LBA {} was acknowledged but the sector holds other data", lba));
              break;
            }
          }
          t.note(fmt::format("{} of {} writes acknowledged", acknowledged, 2 * n));
        });
}

}  // namespace aoeh::conformance
