#pragma once
// One catalogue entry: what it checks (name, clause, level, needs) and the body that checks it.
#include <functional>
#include <string>
#include <vector>

#include "reports/model.hpp"

namespace aoeh::conformance {

class TestContext;

struct TestInfo {
  std::string name;         // AOE.<Area>.<Name>
  std::string clause;       // e.g. "AoEr11 §2 (Flags: R)"
  reports::Level level = reports::Level::Must;
  bool writes = false;      // changes sectors or target state: only with --allow-write
  std::vector<std::string> needs;  // see known_needs()
  std::string description;

  std::string area() const;  // the <Area> part of the name
};

struct TestCase {
  TestInfo info;
  std::function<void(TestContext&)> body;
};

// Needs the runner understands (anything else in the catalogue is a bug: a unit test checks it).
inline constexpr const char* kNeedTwoPorts = "two ports";
inline constexpr const char* kNeedLba48 = "LBA48";
inline constexpr const char* kNeedIdentify = "IDENTIFY";
inline constexpr const char* kNeedLargeDisk = "capacity > 2^28";
inline constexpr const char* kNeedReadOnly = "read-only target";
inline constexpr const char* kNeedWritable = "writable target";
const std::vector<std::string>& known_needs();

}  // namespace aoeh::conformance
