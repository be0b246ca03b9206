#pragma once
// What a test body works with: the target's facts, request helpers that record evidence, guarded
// writes (saved first, restored by the runner), and verdict calls. fail/skip/not_applicable end the
// body; check() records a failure and lets the body go on collecting evidence.
#include <optional>
#include <string>
#include <vector>

#include "conformance/probe.hpp"
#include "conformance/safety.hpp"
#include "conformance/target_facts.hpp"
#include "conformance/target_ops.hpp"
#include "conformance/test_case.hpp"

namespace aoeh::conformance {

// Thrown by the verdict calls; caught by the runner.
struct TestStop {
  reports::Verdict verdict;
  std::string message;
};

class TestContext {
 public:
  TestContext(Probe& probe, TargetOps& ops, Safety& safety, const TargetFacts& facts, const TestInfo& info);

  const TargetFacts& target() const { return facts_; }
  const TestInfo& info() const { return info_; }
  Probe& probe() { return probe_; }
  TargetOps& ops() { return ops_; }
  const std::string& port() const { return facts_.primary_port(); }
  const std::vector<std::string>& ports() const { return facts_.ports; }
  proto::MacAddress my_mac(const std::string& port = {}) const;
  // A locally administered MAC that is nobody's (for mask list and reservation tests).
  proto::MacAddress stranger_mac(std::uint8_t n = 1) const;

  // A request header to the target (fresh tag); `cmd` is the raw command byte.
  proto::Header header(std::uint8_t cmd, const std::string& port = {},
                       std::optional<proto::MacAddress> src = std::nullopt) const;
  proto::Header header(proto::Command cmd, const std::string& port = {}) const {
    return header(static_cast<std::uint8_t>(cmd), port);
  }

  // ---- exchanges (all recorded as evidence) ----
  std::optional<Reply> transact(const Bytes& frame, const std::string& note, const std::string& port = {});
  // Like transact, but a missing reply fails the test with "no reply to <note>".
  Reply expect_reply(const Bytes& frame, const std::string& note, const std::string& port = {});
  // Sends once; true when nothing answered within the silence window (else the replies are evidence).
  bool expect_silence(const Bytes& frame, const std::string& note, const std::string& port = {});
  // The target still answers a Query Config read (after abuse); fails the test when it does not.
  Reply expect_alive(const std::string& port = {});

  // Common requests. query_config answers nullopt when no reply came.
  std::optional<Reply> query_config(proto::ConfigCommand ccmd, std::string_view value = {},
                                    const std::string& port = {});
  Reply identify(const std::string& port = {});
  // A READ that must succeed: returns the data (fails the test otherwise).
  Bytes read(std::uint64_t lba, std::uint32_t count, const std::string& port = {});
  Reply ata(const proto::AtaArg& arg, proto::ByteSpan data, const std::string& note, const std::string& port = {});

  // ---- guarded changes (the runner restores them after the test) ----
  void guard_sectors(std::uint64_t lba, std::uint32_t count);
  void guard_config();
  void guard_mask();
  void guard_reservation();
  void add_mask_key(const proto::MacAddress& mac) { safety_.add_mask_key(mac); }
  // A WRITE that must succeed (sectors guarded first).
  void write(std::uint64_t lba, const Bytes& data, const std::string& port = {});

  // ---- verdicts ----
  bool check(bool ok, const std::string& failure);  // records a failure; returns ok
  [[noreturn]] void fail(const std::string& message);
  [[noreturn]] void skip(const std::string& reason);
  [[noreturn]] void not_applicable(const std::string& reason);
  [[noreturn]] void error(const std::string& message);  // the harness could not judge
  void note(const std::string& text);                    // informational, shown with the verdict

  bool failed() const { return !failures_.empty(); }
  std::string failure_text() const;
  std::string note_text() const;

  // Helpers for judging replies.
  static const proto::AtaBody* ata_of(const proto::Parsed<proto::Message>& m);
  static bool ata_ok(const Reply& r);           // no AoE error, ATA status without BSY|DF|DRQ|ERR
  static bool ata_ready(const Reply& r);        // ATA status has DRDY
  static bool ata_error(const Reply& r, std::uint8_t error_bits);  // ATA ERR with these error bits
  static bool aoe_error(const Reply& r, proto::AoeError e);

 private:
  const std::string& pick(const std::string& port) const { return port.empty() ? facts_.primary_port() : port; }

  Probe& probe_;
  TargetOps& ops_;
  Safety& safety_;
  const TargetFacts& facts_;
  const TestInfo& info_;
  std::vector<std::string> failures_;
  std::vector<std::string> notes_;
};

}  // namespace aoeh::conformance
