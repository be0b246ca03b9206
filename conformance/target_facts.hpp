#pragma once
// What the runner learned about the device before the tests ran (Query Config on every port, then
// IDENTIFY). Tests read it to pick LBAs, counts and ports; the report shows it as the device identity.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "conformance/probe.hpp"
#include "protocol/identify.hpp"

namespace aoeh::conformance {

struct TargetFacts {
  proto::DeviceAddress address;
  std::vector<std::string> ports;                        // probe ports on which the target answered
  std::map<std::string, proto::MacAddress> mac_by_port;  // the target MAC that answered on each port
  std::uint16_t buffer_count = 0;
  std::uint16_t firmware = 0;
  std::uint8_t sector_count_raw = 0;  // as advertised on the primary port (0 = pre-AoEr11, read as 2)
  std::uint32_t sector_count = 2;     // effective sectors per request on the primary port
  std::map<std::string, std::uint32_t> sector_count_by_port;  // effective, as advertised on each port
  std::string config_string;
  bool identify_ok = false;
  Bytes identify_page;                // 512 bytes when identify_ok
  proto::Identity identity;
  std::vector<Reply> announcements;   // unsolicited Query Config responses seen before the first test
  bool fresh_start = false;           // the target started with this run (announcements expected)
  bool read_only = false;             // the user says the target is read-only
  bool writes_allowed = false;
  std::uint64_t seed = 1;             // for tests that generate frames (robustness)

  const std::string& primary_port() const { return ports.front(); }
  std::uint32_t sectors_for(const std::string& port) const {
    auto it = sector_count_by_port.find(port);
    return it != sector_count_by_port.end() ? it->second : sector_count;
  }
  std::uint64_t capacity() const { return identity.capacity_sectors; }
  bool lba48() const { return identify_ok && identity.lba48; }
  // IDENTIFY word 83 (or 86) bit 13: FLUSH CACHE EXT supported.
  bool flush_ext() const {
    if (!identify_ok || identify_page.size() < 174) return false;
    const unsigned w83 = identify_page[166] | identify_page[167] << 8, w86 = identify_page[172] | identify_page[173] << 8;
    return ((w83 | w86) & (1u << 13)) != 0;
  }
};

}  // namespace aoeh::conformance
