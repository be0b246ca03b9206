#pragma once
// The certification report model: what a conformance run produced, independent of how it is written
// (results.json, junit.xml, report.html, capture.pcap). Filled by conformance/, read by the writers.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aoeh::reports {

enum class Verdict : std::uint8_t { Pass, Fail, Skip, NotApplicable, Error };
const char* verdict_name(Verdict v);  // "pass", "fail", "skip", "n/a", "error"
std::optional<Verdict> verdict_from_name(std::string_view name);  // inverse of verdict_name

enum class Level : std::uint8_t { Must, Should, May };
const char* level_name(Level l);      // "MUST", "SHOULD", "MAY"
std::optional<Level> level_from_name(std::string_view name);      // inverse of level_name

// One frame of evidence: sent or received, hex bytes, and its index in capture.pcap (if captured).
struct EvidenceFrame {
  bool sent = true;
  std::int64_t time_ns = 0;
  std::string port;
  std::string hex;
  std::optional<std::uint64_t> capture_index;
  std::string note;  // e.g. "expected Error 2, got status 0x41"

  bool operator==(const EvidenceFrame&) const = default;
};

struct TestResult {
  std::string name;        // AOE.<Area>.<Name>
  std::string area;        // <Area>
  std::string clause;      // spec clause, e.g. "AoEr11 3.2"
  Level level = Level::Must;
  bool writes = false;
  std::vector<std::string> needs;  // e.g. "LBA48", "two ports"
  std::string description;
  Verdict verdict = Verdict::Pass;
  std::string message;     // why it failed / skipped / errored
  std::int64_t duration_ns = 0;  // wall (live) or world (sim) time spent
  std::vector<EvidenceFrame> evidence;
  // Baseline comparison (filled when --baseline is given).
  std::optional<Verdict> baseline_verdict;

  bool operator==(const TestResult&) const = default;
};

struct DeviceIdentity {
  std::string address;     // eS.L
  std::vector<std::string> macs;
  std::uint16_t firmware = 0;
  std::uint16_t buffer_count = 0;
  std::uint8_t sector_count = 0;
  std::string model, serial, ata_firmware;
  std::uint64_t capacity_sectors = 0;
  bool lba48 = false;
  std::string config_string;

  bool operator==(const DeviceIdentity&) const = default;
};

// What a writing run touched and whether it was put back.
struct SafetyRecord {
  bool writes_allowed = false;
  std::vector<std::string> touched;   // e.g. "sectors 0-7", "config string", "mask list"
  bool restored = true;
  bool restore_verified = true;
  std::string detail;

  bool operator==(const SafetyRecord&) const = default;
};

// The earlier run a report was compared with (--baseline).
struct BaselineInfo {
  std::string path;                 // the results.json it was loaded from
  std::string run_id;
  std::string started_at;
  std::vector<std::string> removed;  // tests in the baseline that this run did not have

  bool operator==(const BaselineInfo&) const = default;
};

struct Report {
  std::string tool_version;
  std::string run_id;          // timestamp-based id, or fixed in simulation
  std::string mode;            // "sim", "sim --defect NAME", "live IFACE"
  std::string started_at;      // ISO 8601 (live) or "t=0 (simulated)"
  std::optional<std::uint64_t> seed;
  DeviceIdentity device;
  SafetyRecord safety;
  std::vector<TestResult> results;
  std::vector<double> rtt_samples_us;  // for the RTT histogram
  std::map<std::string, std::string> properties;  // free-form facts (interface, MTU, ...)
  std::optional<BaselineInfo> baseline;            // set by apply_baseline

  bool operator==(const Report&) const = default;
};

}  // namespace aoeh::reports
