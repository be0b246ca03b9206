// Every named defect changes what the target puts on the wire: each case runs one probe against a
// clean and a defective target and checks the specific difference a conformance test would see.
#include <functional>
#include <set>

#include "protocol/identify.hpp"
#include "sim/target/tests/target_fixture.hpp"

namespace aoeh::target::testing {
namespace {

using proto::AoeError;
namespace ata = proto::ata;

using Probe = std::function<std::vector<Sent>(Target&)>;
using Check = std::function<void(const std::vector<Sent>& clean, const std::vector<Sent>& bad)>;

struct DefectCase {
  Defect defect;
  Probe probe;
  Check check;
  std::function<void(TargetConfig&)> tweak = [](TargetConfig&) {};
};

proto::Header hdr(const std::vector<Sent>& out, std::size_t i = 0) {
  EXPECT_GT(out.size(), i);
  if (out.size() <= i) return {};
  auto h = proto::parse_header(out[i].bytes);
  EXPECT_TRUE(h.ok());
  return h.ok() ? h.value() : proto::Header{};
}

// Lenient parse: defective replies may break the strict rules (that is the point).
proto::Message lenient(const Sent& s) {
  auto m = proto::parse_frame(s.bytes, {.require_version_1 = false, .reject_reserved = false});
  EXPECT_TRUE(m.ok());
  return m.ok() ? m.value() : proto::Message{};
}

// ATA registers straight from the bytes: a defective reply may not parse as a whole.
struct Registers {
  std::uint8_t err_feature = 0xEE;
  std::uint8_t cmd_status = 0xEE;
};
Registers ata_of(const Sent& s) {
  EXPECT_GE(s.bytes.size(), proto::kAtaHeaderSize);
  if (s.bytes.size() < proto::kAtaHeaderSize) return {};
  return {s.bytes[25], s.bytes[27]};
}

Bytes data_of(const Sent& s) {
  const auto m = lenient(s);
  return m.ata() ? Bytes(m.ata()->data.begin(), m.ata()->data.end()) : Bytes{};
}

Probe send(std::function<Bytes()> make, std::size_t port = 0) {
  return [make, port](Target& t) { return transact(t, make(), port); };
}

Bytes qc_read(std::uint32_t tag = 0x1234) { return config_frame(request_header(1, tag), proto::ConfigCommand::Read); }

std::vector<DefectCase> cases() {
  std::vector<DefectCase> v;
  v.push_back({Defect::NoVersionCheck, send([] {
                 auto h = request_header(1);
                 h.version = 2;
                 return config_frame(h, proto::ConfigCommand::Read);
               }),
               [](auto& clean, auto& bad) {
                 EXPECT_EQ(hdr(clean).aoe_error(), AoeError::UnsupportedVersion);
                 EXPECT_FALSE(hdr(bad).is_error());
               }});
  v.push_back({Defect::NoPadding, send([] { return qc_read(); }), [](auto& clean, auto& bad) {
                 ASSERT_EQ(clean.size(), 1u);
                 ASSERT_EQ(bad.size(), 1u);
                 EXPECT_EQ(clean[0].bytes.size(), 60u);
                 EXPECT_EQ(bad[0].bytes.size(), proto::kQueryConfigHeaderSize);
               }});
  v.push_back({Defect::IgnoreWriteFlag, send([] {
                 auto a = proto::ata_write_arg(0, 1, true);
                 a.aflags = proto::kAtaFlagExtended;  // WRITE SECTORS EXT without W
                 return ata_frame(ata_header(), a, pattern(1, 1));
               }),
               [](auto& clean, auto& bad) {
                 EXPECT_EQ(ata_of(clean[0]).err_feature, ata::kErrorAbrt);
                 EXPECT_EQ(ata_of(bad[0]).cmd_status, ata::kStatusDrdy);
               }});
  v.push_back({Defect::WrongTagEcho, send([] { return qc_read(0xA0A0A0A0); }), [](auto& clean, auto& bad) {
                 EXPECT_EQ(hdr(clean).tag, 0xA0A0A0A0u);
                 EXPECT_NE(hdr(bad).tag, 0xA0A0A0A0u);
               }});
  v.push_back({Defect::NoErrorOnBadCount, send([] { return ata_frame(ata_header(), proto::ata_read_arg(0, 3, true)); }),
               [](auto& clean, auto& bad) {
                 EXPECT_EQ(hdr(clean).aoe_error(), AoeError::BadArgument);
                 EXPECT_FALSE(hdr(bad).is_error());
                 EXPECT_EQ(bad[0].bytes.size(), proto::kAtaHeaderSize + 3 * 512);
               }});
  v.push_back({Defect::Lba28NotMasked,
               [](Target& t) {
                 wire_write(t, 5, pattern(1, 5), /*lba48=*/true);
                 return transact(t, ata_frame(ata_header(), proto::ata_read_arg(5, 1, /*lba48=*/false)));
               },
               [](auto& clean, auto& bad) {
                 EXPECT_EQ(ata_of(clean[0]).cmd_status, ata::kStatusDrdy);
                 EXPECT_EQ(ata_of(bad[0]).err_feature, ata::kErrorIdnf);
               }});
  v.push_back({Defect::IdentifyCapacityOffByOne,
               send([] { return ata_frame(ata_header(), proto::ata_identify_arg()); }), [](auto& clean, auto& bad) {
                 auto c = proto::parse_identify(lenient(clean[0]).ata()->data);
                 auto b = proto::parse_identify(lenient(bad[0]).ata()->data);
                 EXPECT_EQ(c->capacity_sectors, kCapacity);
                 EXPECT_EQ(b->capacity_sectors, kCapacity + 1);
               }});
  v.push_back({Defect::ConfigSetOverwrites,
               send([] { return config_frame(request_header(1), proto::ConfigCommand::Set, "new"); }),
               [](auto& clean, auto& bad) {
                 EXPECT_EQ(hdr(clean).aoe_error(), AoeError::ConfigStringPresent);
                 EXPECT_EQ(lenient(clean[0]).query_config()->config_string(), "old");
                 EXPECT_FALSE(hdr(bad).is_error());
                 EXPECT_EQ(lenient(bad[0]).query_config()->config_string(), "new");
               },
               [](TargetConfig& c) { c.config_string = "old"; }});
  v.push_back({Defect::MaskListIgnored,
               [](Target& t) {
                 transact(t, mask_frame(request_header(2), proto::MaskCommand::Edit, {{1, kHostA}}));
                 return transact(t, config_frame(request_header(1, 1, kHostB), proto::ConfigCommand::Read));
               },
               [](auto& clean, auto& bad) {
                 EXPECT_TRUE(clean.empty());
                 EXPECT_EQ(bad.size(), 1u);
               }});
  v.push_back({Defect::ReservationIgnored,
               [](Target& t) {
                 transact(t, reserve_frame(request_header(3), proto::ReserveCommand::Set, {kHostA}));
                 return transact(t, ata_frame(ata_header(1, kHostB), proto::ata_read_arg(0, 1, true)));
               },
               [](auto& clean, auto& bad) {
                 EXPECT_EQ(hdr(clean).aoe_error(), AoeError::TargetReserved);
                 EXPECT_FALSE(hdr(bad).is_error());
                 EXPECT_EQ(lenient(bad[0]).ata()->data.size(), 512u);
               }});
  v.push_back({Defect::FlushStatusWithoutDrdy, send([] { return ata_frame(ata_header(), proto::ata_flush_arg(true)); }),
               [](auto& clean, auto& bad) {
                 EXPECT_EQ(ata_of(clean[0]).cmd_status, ata::kStatusDrdy);
                 EXPECT_EQ(ata_of(bad[0]).cmd_status & ata::kStatusDrdy, 0);
               }});
  v.push_back({Defect::BufcntOverrunCorrupts,
               [](Target& t) {
                 auto write = [&](std::uint64_t lba, std::uint8_t seed) {
                   t.handle_frame(0, ata_frame(ata_header(), proto::ata_write_arg(lba, 1, true), pattern(1, seed)), 0);
                 };
                 write(0, 0x10);
                 write(1, 0x20);
                 write(2, 0x30);  // beyond bufcnt 2: dropped
                 t.handle_timeout(1'000'000);
                 drain(t);
                 t.set_service_time({});
                 return transact(t, ata_frame(ata_header(), proto::ata_read_arg(1, 1, true)));
               },
               [](auto& clean, auto& bad) {
                 EXPECT_EQ(data_of(clean[0]), pattern(1, 0x20));
                 EXPECT_EQ(data_of(bad[0]), pattern(1, 0x30));
               },
               [](TargetConfig& c) {
                 c.bufcnt = 2;
                 c.service = {1000, 0};
               }});
  v.push_back({Defect::ResponseFlagMissing, send([] { return qc_read(); }), [](auto& clean, auto& bad) {
                 EXPECT_TRUE(hdr(clean).is_response());
                 EXPECT_FALSE(hdr(bad).is_response());
               }});
  v.push_back({Defect::BroadcastIgnored, send([] {
                 return config_frame(request_header(1, 0, kHostA, 0xFFFF, 0xFF, proto::MacAddress::broadcast()),
                                     proto::ConfigCommand::Read);
               }),
               [](auto& clean, auto& bad) {
                 EXPECT_EQ(clean.size(), 1u);
                 EXPECT_TRUE(bad.empty());
               }});
  v.push_back({Defect::NoIdnfBeyondEnd, send([] { return ata_frame(ata_header(), proto::ata_read_arg(kCapacity, 1, true)); }),
               [](auto& clean, auto& bad) {
                 EXPECT_EQ(ata_of(clean[0]).err_feature, ata::kErrorIdnf);
                 EXPECT_EQ(ata_of(bad[0]).cmd_status, ata::kStatusDrdy);
               }});
  v.push_back({Defect::AnswersResponses, send([] {
                 auto h = request_header(1);
                 h.flags = proto::kFlagResponse;
                 return config_frame(h, proto::ConfigCommand::Read);
               }),
               [](auto& clean, auto& bad) {
                 EXPECT_TRUE(clean.empty());
                 EXPECT_EQ(bad.size(), 1u);
               }});
  v.push_back({Defect::ConfigTestAlwaysAnswers,
               send([] { return config_frame(request_header(1), proto::ConfigCommand::Test, "other"); }),
               [](auto& clean, auto& bad) {
                 EXPECT_TRUE(clean.empty());
                 ASSERT_EQ(bad.size(), 1u);
                 EXPECT_EQ(lenient(bad[0]).query_config()->config_string(), "mine");
               },
               [](TargetConfig& c) { c.config_string = "mine"; }});
  v.push_back({Defect::SectorCountIgnoresMtu, send([] { return qc_read(); }), [](auto& clean, auto& bad) {
                 EXPECT_EQ(lenient(clean[0]).query_config()->sector_count, 2);
                 EXPECT_EQ(lenient(bad[0]).query_config()->sector_count, 255);
               }});
  v.push_back({Defect::ErrorFlagMissing, send([] { return config_frame(request_header(1, 1), static_cast<proto::ConfigCommand>(9)); }),
               [](auto& clean, auto& bad) {
                 EXPECT_TRUE(hdr(clean).is_error());
                 EXPECT_FALSE(hdr(bad).is_error());
                 EXPECT_EQ(hdr(bad).aoe_error(), AoeError::BadArgument);
               }});
  v.push_back({Defect::ReplyFromFirstPort,
               send([] { return config_frame(request_header(1, 1, kHostA, kShelf, kSlot, kTargetMac2), proto::ConfigCommand::Read); },
                    1),
               [](auto& clean, auto& bad) {
                 ASSERT_EQ(clean.size(), 1u);
                 ASSERT_EQ(bad.size(), 1u);
                 EXPECT_EQ(clean[0].port, 1u);
                 EXPECT_EQ(hdr(clean).src, kTargetMac2);
                 EXPECT_EQ(bad[0].port, 0u);
                 EXPECT_EQ(hdr(bad).src, kTargetMac);
               },
               [](TargetConfig& c) { c.ports.push_back({kTargetMac2, 1500}); }});
  v.push_back({Defect::Lba48TruncatedTo28,
               [](Target& t) {
                 wire_write(t, (std::uint64_t{1} << 28) + 1, pattern(1, 0x66), true);
                 return transact(t, ata_frame(ata_header(), proto::ata_read_arg(1, 1, true)));
               },
               [](auto& clean, auto& bad) {
                 EXPECT_EQ(data_of(clean[0]), Bytes(512, 0));
                 EXPECT_EQ(data_of(bad[0]), pattern(1, 0x66));
               },
               [](TargetConfig& c) { c.capacity_sectors = (std::uint64_t{1} << 28) + 64; }});
  v.push_back({Defect::ShortWriteAccepted, send([] {
                 Bytes f = ata_frame(ata_header(), proto::ata_write_arg(0, 2, true), pattern(2, 1));
                 f.resize(proto::kAtaHeaderSize + 600);
                 return f;
               }),
               [](auto& clean, auto& bad) {
                 EXPECT_EQ(hdr(clean).aoe_error(), AoeError::BadArgument);
                 EXPECT_FALSE(hdr(bad).is_error());
                 EXPECT_EQ(ata_of(bad[0]).cmd_status, ata::kStatusDrdy);
               }});
  return v;
}

class Defects : public ::testing::TestWithParam<DefectCase> {};

TEST_P(Defects, ChangeTheWire) {
  const DefectCase& c = GetParam();
  auto clean_cfg = base_config();
  c.tweak(clean_cfg);
  auto bad_cfg = clean_cfg;
  bad_cfg.defects.set(c.defect);
  Target clean(clean_cfg), bad(bad_cfg);
  const auto clean_out = c.probe(clean);
  const auto bad_out = c.probe(bad);
  c.check(clean_out, bad_out);
  // The clean target's replies pass the codec's strict checks.
  for (const auto& s : clean_out) EXPECT_TRUE(proto::parse_frame(s.bytes).ok());
}

TEST_P(Defects, CanBeSwitchedAtRuntime) {
  const DefectCase& c = GetParam();
  auto cfg = base_config();
  c.tweak(cfg);
  Target t(cfg), reference(cfg);
  t.set_defect(c.defect);
  EXPECT_TRUE(t.config().defects.has(c.defect));
  t.set_defect(c.defect, false);
  EXPECT_TRUE(t.config().defects.empty());
  const auto a = c.probe(t), b = c.probe(reference);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].bytes, b[i].bytes);
}

INSTANTIATE_TEST_SUITE_P(All, Defects, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return std::string(defect_name(info.param.defect)); });

TEST(DefectTable, EveryDefectHasAWireTestAndAName) {
  std::set<Defect> tested;
  for (const auto& c : cases()) tested.insert(c.defect);
  EXPECT_GE(all_defects().size(), 12u);
  std::set<std::string_view> names;
  for (Defect d : all_defects()) {
    EXPECT_TRUE(tested.count(d)) << defect_name(d) << " has no wire test";
    const auto name = defect_name(d);
    EXPECT_TRUE(names.insert(name).second) << name;
    ASSERT_TRUE(defect_from_name(name).has_value());
    EXPECT_EQ(*defect_from_name(name), d);
  }
  EXPECT_FALSE(defect_from_name("no_such_defect").has_value());
}

}  // namespace
}  // namespace aoeh::target::testing
