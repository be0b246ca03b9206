// Arbitrary bytes into handle_frame: never a crash, and whatever goes out is still a well-formed reply.
// (A deterministic mutation loop; the libFuzzer target belongs in fuzz/ once that exists.)
#include <random>

#include "sim/target/tests/target_fixture.hpp"

namespace aoeh::target::testing {
namespace {

std::vector<Bytes> seeds() {
  std::vector<Bytes> s;
  s.push_back(ata_frame(ata_header(), proto::ata_read_arg(0, 2, true)));
  s.push_back(ata_frame(ata_header(), proto::ata_write_arg(8, 2, false), pattern(2, 1)));
  s.push_back(ata_frame(ata_header(), proto::ata_identify_arg()));
  s.push_back(config_frame(request_header(1), proto::ConfigCommand::Set, "abc"));
  s.push_back(mask_frame(request_header(2), proto::MaskCommand::Edit, {{1, kHostB}, {2, kHostB}}));
  s.push_back(reserve_frame(request_header(3), proto::ReserveCommand::Set, {kHostA}));
  return s;
}

TEST(Robustness, MutatedFramesNeverBreakTheTarget) {
  std::mt19937_64 rng(0xA0E5EED);  // fixed seed: the same frames every run
  auto cfg = base_config();
  cfg.bufcnt = 4;
  cfg.service = {100, 10};
  cfg.write_cache = true;
  cfg.smart_enabled = true;
  Target t(cfg);
  const auto base = seeds();
  std::uint64_t replies = 0;
  Nanos now = 0;
  for (int i = 0; i < 200'000; ++i) {
    Bytes f = base[rng() % base.size()];
    const int edits = 1 + static_cast<int>(rng() % 6);
    for (int e = 0; e < edits; ++e) {
      switch (rng() % 4) {
        case 0:  // any byte after the ethertype
          if (f.size() > 14) f[14 + rng() % (f.size() - 14)] = static_cast<std::uint8_t>(rng());
          break;
        case 1: f.resize(rng() % (f.size() + 1)); break;
        case 2: f.resize(f.size() + rng() % 64, static_cast<std::uint8_t>(rng())); break;
        default: if (f.size() > 20) f[19] = static_cast<std::uint8_t>(rng() % 8); break;  // command
      }
      if (f.size() < 14) break;
    }
    now += static_cast<Nanos>(rng() % 500);
    t.handle_frame(rng() % 2, f, now);  // port 1 does not exist
    if (rng() % 8 == 0) t.handle_timeout(now);
    if (i % 64 == 0) {  // mutated edits lock the sender out now and then; open the target again
      t.clear_mask_list();
      t.clear_reservation();
    }
    if (rng() % 5000 == 0) {
      t.crash(now);
      t.restart(now);
    }
    while (auto tx = t.poll_transmit()) {
      ++replies;
      ASSERT_GE(tx->frame.size(), proto::kMinFrameSize);
      auto h = proto::parse_header(tx->frame);
      ASSERT_TRUE(h.ok());
      ASSERT_TRUE(h->is_response());
      ASSERT_EQ(h->version, proto::kAoEVersion);
      ASSERT_EQ(h->shelf, kShelf);
      ASSERT_EQ(h->slot, kSlot);
      ASSERT_EQ(tx->port_index, 0u);
    }
    ASSERT_LE(t.queued_requests(), 4u);
  }
  EXPECT_GT(replies, 10'000u);  // the mutations did reach the command handlers
  EXPECT_GT(t.counters().ignored_malformed + t.counters().ignored_not_addressed, 0u);
}

}  // namespace
}  // namespace aoeh::target::testing
