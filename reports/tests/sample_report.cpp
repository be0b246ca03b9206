#include "reports/tests/sample_report.hpp"

#include "reports/baseline.hpp"

namespace aoeh::reports::testing {
namespace {
// A Query Config request and a reply as they appear on the wire (hex, as conformance records them).
constexpr const char* kRequestHex =
    "020000000703 020000001001 88a2 10 00 0007 03 01 deadbeef 0000 0000 00 01 0000";
constexpr const char* kReplyHex =
    "02000000100102000000070388a218000007030100000000001002401902000000000000000000000000000000000000000000000000000000";

TestResult test(std::string area, std::string name, Level level, Verdict verdict, std::string clause,
                std::int64_t duration_ns, std::string message = {}) {
  TestResult t;
  t.name = "AOE." + area + "." + name;
  t.area = std::move(area);
  t.clause = std::move(clause);
  t.level = level;
  t.verdict = verdict;
  t.duration_ns = duration_ns;
  t.message = std::move(message);
  t.description = "Checks " + t.name;
  return t;
}

EvidenceFrame frame(bool sent, std::int64_t time_ns, const char* hex, std::optional<std::uint64_t> index,
                    std::string note = {}) {
  EvidenceFrame e;
  e.sent = sent;
  e.time_ns = time_ns;
  e.port = "sim0";
  e.hex = hex;
  e.capture_index = index;
  e.note = std::move(note);
  return e;
}

std::vector<TestResult> sample_tests() {
  std::vector<TestResult> tests;
  auto& version = tests.emplace_back(test("Header", "VersionAndResponse", Level::Must, Verdict::Pass, "AoEr11 2.1", 180'000));
  version.evidence = {frame(true, 1'000, kRequestHex, 0), frame(false, 181'000, kReplyHex, 1)};
  auto& tag = tests.emplace_back(test("Header", "TagEchoed", Level::Must, Verdict::Fail, "AoEr11 2.7", 212'000,
                                      "tag 0xdeadbeef sent, reply carried 0x00000000"));
  tag.evidence = {frame(true, 2'000'000, kRequestHex, 2),
                  frame(false, 2'212'000, kReplyHex, 3, "expected tag deadbeef, got 00000000")};
  tests.push_back(test("Header", "UnknownCommandError1", Level::Must, Verdict::Pass, "AoEr11 2.5", 150'000));
  tests.push_back(test("Header", "ReservedBitsZero", Level::Should, Verdict::Pass, "AoEr11 2.2", 140'000));
  tests.push_back(test("Discovery", "BroadcastMatched", Level::Must, Verdict::Pass, "AoEr11 2.4", 1'200'000));
  auto& ports = tests.emplace_back(test("Discovery", "EveryPortAnswers", Level::Must, Verdict::NotApplicable,
                                        "AoEr11 1", 0, "target has one port"));
  ports.needs = {"two ports"};
  tests.push_back(test("QueryConfig", "BufcntAtLeast2", Level::Must, Verdict::Pass, "AoEr11 3.2", 160'000));
  auto& overlong = tests.emplace_back(test("QueryConfig", "OverlongString", Level::Should, Verdict::Error,
                                           "AoEr11 3.2", 500'000'000, "no reply before the 500 ms deadline"));
  overlong.evidence = {frame(true, 9'000'000, "0200 0000", std::nullopt, "request only; nothing came back")};
  auto& last = tests.emplace_back(test("ReadWrite", "Lba48LastSector", Level::Must, Verdict::Pass, "AoEr11 4.1", 2'400'000));
  last.writes = true;
  last.needs = {"LBA48"};
  tests.push_back(test("ReadWrite", "CountMaxPlusOneError2", Level::Must, Verdict::Fail, "AoEr11 4.1", 310'000,
                       "count 3 (max+1) accepted; expected Error 2"));
  auto& pattern = tests.emplace_back(test("ReadWrite", "PatternCompare", Level::Must, Verdict::Pass, "AoEr11 4.1", 35'000'000));
  pattern.writes = true;
  tests.push_back(test("Cache", "SmartOptional", Level::May, Verdict::Skip, "ATA8-ACS 7.48", 90'000,
                       "SMART aborted (ABRT): optional feature absent"));
  auto& evil = tests.emplace_back(test("Robustness", "", Level::Should, Verdict::Fail, "AoEr11 <2>", 2'000'000, kEvilMessage));
  evil.name = kEvilName;
  evil.description = "<b>bold</b> & <img src=x onerror=alert(1)>";
  evil.evidence = {frame(false, 5, "not hex <i>", 7, "<script>note()</script>")};
  return tests;
}
}  // namespace

Report sample_baseline() {
  Report old;
  old.tool_version = "0.0.9";
  old.run_id = "20250301T080000Z";
  old.mode = "sim";
  old.started_at = "t=0 (simulated)";
  for (const TestResult& t : sample_tests()) {
    if (t.name == kEvilName) continue;  // a test this run added
    TestResult o = t;
    o.evidence.clear();
    if (t.name == "AOE.Header.TagEchoed" || t.name == "AOE.QueryConfig.OverlongString" || t.name == "AOE.Cache.SmartOptional")
      o.verdict = Verdict::Pass;  // -> newly failing, newly failing (error), changed
    if (t.name == "AOE.ReadWrite.Lba48LastSector") o.verdict = Verdict::Fail;  // -> newly passing
    old.results.push_back(o);
  }
  old.results.push_back(test("Header", "Retired", Level::May, Verdict::Pass, "AoEr11 9.9", 1'000));  // -> removed
  return old;
}

Report sample_report() {
  Report r;
  r.tool_version = "0.1.0";
  r.run_id = "20250314T093015Z";
  r.mode = "sim --defect ignore-tag";
  r.started_at = "t=0 (simulated)";
  r.seed = 18'446'744'073'709'551'557ULL;  // needs all 64 bits: JSON must not round it through a double
  r.device.address = "e7.3";
  r.device.macs = {"02:00:00:00:07:03", "02:00:00:00:07:13"};
  r.device.firmware = 0x4019;
  r.device.buffer_count = 16;
  r.device.sector_count = 2;
  r.device.model = "aoeh reference target";
  r.device.serial = "SIM-0007-03";
  r.device.ata_firmware = "V1.0";
  r.device.capacity_sectors = 2'097'152;
  r.device.lba48 = true;
  r.device.config_string = "rack <4> & \"blue\"";
  r.safety.writes_allowed = true;
  r.safety.touched = {"sectors 0-7", "sector 2097151", "config string"};
  r.safety.restored = true;
  r.safety.restore_verified = true;
  r.safety.detail = "9 sectors saved and written back, re-read identical; config string restored";
  r.results = sample_tests();
  // A skewed, deterministic RTT distribution with a slow tail.
  for (int i = 0; i < 600; ++i) r.rtt_samples_us.push_back(90.0 + (i * 37 % 101) * 0.75 + (i % 40 == 0 ? 600.0 + i : 0.0));
  r.properties = {{"interface", "sim0"}, {"mtu", "1500"}, {"world", "simulated, lossy two-path"}};
  apply_baseline(r, sample_baseline(), "reports/runs/20250301T080000Z/results.json");
  return r;
}

}  // namespace aoeh::reports::testing
