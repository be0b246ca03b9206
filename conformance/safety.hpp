#pragma once
// Save before touching, restore after each test, verify. Every sector a test may write is read and
// kept first; config string, mask list and reservation are read before their first change. restore()
// puts everything back (also after Ctrl-C) and reads it again to prove it.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "conformance/target_ops.hpp"
#include "reports/model.hpp"

namespace aoeh::conformance {

class Safety {
 public:
  Safety(TargetOps& ops, Probe& probe, const TargetFacts& facts);

  bool writes_allowed() const { return facts_.writes_allowed; }
  // Only tests marked as writing may change anything (a catalogue bug otherwise).
  void set_test_may_write(bool may) { test_may_write_ = may; }

  // Each returns false (and why) when the state could not be saved: the test must not go on.
  bool guard_sectors(std::uint64_t lba, std::uint32_t count, std::string* why);
  bool guard_config(std::string* why);
  bool guard_mask(std::string* why);
  bool guard_reservation(std::string* why);
  // A MAC a test put on the mask list: if the list ends up excluding the probe, edits are sent from it.
  void add_mask_key(const proto::MacAddress& mac);

  // Restores what the current test touched, verifies it, and forgets it. False: see detail().
  bool restore();
  bool pending() const;
  std::string last_problem() const { return problems_.empty() ? std::string() : problems_.back(); }
  // At the end of the run: everything touched reads back as it was before the first test touched it.
  bool verify_all();

  // For the report: everything touched during the run and whether all of it was restored and verified.
  reports::SafetyRecord record() const;

 private:
  bool restore_mask(std::string* why);
  bool restore_reservation(std::string* why);
  bool restore_config(std::string* why);
  bool restore_sectors(std::string* why);
  const std::string& port() const { return facts_.primary_port(); }
  bool allowed(const char* what, std::string* why) const;

  TargetOps& ops_;
  Probe& probe_;
  const TargetFacts& facts_;
  // Saved state of the running test.
  std::map<std::uint64_t, Bytes> sectors_;
  std::optional<std::string> config_;
  std::optional<std::vector<proto::MacAddress>> mask_;
  std::optional<std::vector<proto::MacAddress>> reservation_;
  std::vector<proto::MacAddress> mask_keys_;
  bool test_may_write_ = false;
  // The whole run: the state before the first change, for the final verification.
  std::map<std::uint64_t, Bytes> run_sectors_;
  std::optional<std::string> run_config_;
  std::optional<std::vector<proto::MacAddress>> run_mask_;
  std::optional<std::vector<proto::MacAddress>> run_reservation_;
  bool verified_ = true;
  std::set<std::uint64_t> touched_lbas_;
  bool touched_config_ = false, touched_mask_ = false, touched_reservation_ = false;
  bool all_restored_ = true;
  std::vector<std::string> problems_;
};

}  // namespace aoeh::conformance
