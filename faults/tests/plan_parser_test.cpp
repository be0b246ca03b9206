// Strict plan validation: every mistake is named by the JSON path of its field.
#include <gtest/gtest.h>

#include "faults/plan_parser.hpp"
#include "faults/tests/plan_helpers.hpp"

namespace aoeh::faults {
namespace {

using namespace testing;

std::string error_of(const std::string& json) {
  const auto r = parse_plan(json);
  EXPECT_FALSE(r.ok()) << json;
  return r.error.to_string();
}

TEST(PlanParser, MinimalPlanGetsDefaults) {
  const auto r = parse_plan("{}");
  ASSERT_TRUE(r.ok()) << r.error.to_string();
  const Plan& p = *r.plan;
  ASSERT_EQ(p.paths.size(), 2u);
  EXPECT_EQ(p.paths[0].name, "a");
  ASSERT_EQ(p.initiator_ports.size(), 2u);
  EXPECT_EQ(p.initiator_ports[1].name, "eth1");
  EXPECT_EQ(p.initiator_ports[1].path, 1u);
  ASSERT_EQ(p.targets.size(), 1u);
  EXPECT_EQ(p.targets[0].address.to_string(), "e1.0");
  ASSERT_EQ(p.targets[0].ports.size(), 2u);
  EXPECT_EQ(p.targets[0].ports[1].name, "e1.0:1");
  EXPECT_FALSE(p.workload.enabled);
}

TEST(PlanParser, FullPlanIsResolved) {
  const Plan p = must_parse(R"({
    "name": "x", "seed": 7, "duration": "2min",
    "topology": {
      "paths": [{"name": "a", "mtu": 9000, "rate": "1Gbit/s", "latency": "5us"}, "b"],
      "initiator": {"ports": [{"name": "i0", "path": "a"}, {"path": "b", "mtu": 1500}]},
      "targets": [{"address": "e2.3", "count": 2, "capacity": "1GiB", "write_cache": true,
                   "ports": [{"path": "a", "switch_mtu": 1500}, "b"], "defects": ["no_padding"]}],
      "engine": {"dead_after": "30s"}
    },
    "workload": {"pattern": "sequential", "size": "64KiB", "duration": "10s", "devices": ["e2.4"], "flush_every": "1MiB"},
    "faults": [
      {"type": "loss", "link": "i0", "direction": "in", "probability": "5%", "at": "1s", "for": "2s"},
      {"type": "ata_error", "target": "e2.3", "error": "unc", "lbas": "100-199", "commands": ["read"]},
      {"type": "mtu", "switch_port": "e2.4:0", "direction": "egress", "mtu": 1500}
    ],
    "actions": [{"at": "5s", "do": "revalidate", "device": "e2.3"}],
    "expect": [{"device": "e2.3", "state": "down", "by": "200s"}, {"io_errors": 0},
               {"event": "payload_fallback", "path": "a"}]
  })");
  EXPECT_EQ(p.seed, 7u);
  EXPECT_EQ(*p.duration, 120 * sim::kSecond);
  EXPECT_EQ(p.paths[0].bits_per_second, 1'000'000'000u);
  EXPECT_EQ(p.initiator_ports[0].mtu, 9000u);
  EXPECT_EQ(p.initiator_ports[1].name, "eth1");
  ASSERT_EQ(p.targets.size(), 2u);
  EXPECT_EQ(p.targets[1].address.to_string(), "e2.4");
  EXPECT_EQ(p.targets[0].capacity_sectors, 2097152u);
  EXPECT_EQ(p.targets[0].ports[0].mtu, 9000u);
  EXPECT_EQ(p.targets[0].ports[0].switch_mtu, 1500u);
  EXPECT_TRUE(p.targets[1].defects.has(target::Defect::NoPadding));
  EXPECT_EQ(p.workload.max_sectors, 128u);
  ASSERT_EQ(p.workload.devices.size(), 1u);
  EXPECT_EQ(p.workload.devices[0], 1u);
  ASSERT_EQ(p.faults.size(), 3u);
  EXPECT_DOUBLE_EQ(p.faults[0].probability, 0.05);
  EXPECT_TRUE(p.faults[0].site.toward_host);
  EXPECT_FALSE(p.faults[0].site.from_host);
  EXPECT_EQ(p.faults[0].duration, 2 * sim::kSecond);
  EXPECT_EQ(p.faults[1].lba_first, 100u);
  EXPECT_EQ(p.faults[1].lba_last, 199u);
  EXPECT_EQ(p.faults[1].commands, kCmdRead);
  EXPECT_EQ(p.faults[2].site.kind, FaultSite::Kind::SwitchPort);
  EXPECT_EQ(p.expectations.size(), 3u);
  EXPECT_EQ(p.expectations[0].by, 200 * sim::kSecond);
  EXPECT_EQ(p.expectations[1].count.max, 0u);
}

TEST(PlanParser, ErrorsNameTheField) {
  EXPECT_EQ(error_of(R"({"faults": [{"type": "loss", "link": "eth0", "probability": 0.1},
                                     {"type": "hang", "target": "e1.0"},
                                     {"type": "hang", "target": "e9.9"}]})"),
            "faults[2].target: unknown target e9.9 (targets: e1.0)");
  EXPECT_EQ(error_of(R"({"faults": [{"type": "delay", "link": "eth0", "delay": "10 parsecs"}]})"),
            "faults[0].delay: unknown duration unit \"parsecs\" (use ns, us, ms, s, min, h)");
  EXPECT_EQ(error_of(R"({"workload": {"bytes": "1MiB", "queue_dept": 4}})"),
            "workload.queue_dept: unknown key (expected one of: pattern, read_fraction, size, queue_depth, duration, "
            "bytes, verify, final_read, devices, offset, span, start, flush_every, open)");
  EXPECT_EQ(error_of(R"({"topology": {"targets": [{"address": "e1.0", "ports": ["c"]}]}})"),
            "topology.targets[0].ports[0]: unknown path c (paths: a, b)");
  EXPECT_EQ(error_of(R"({"faults": [{"type": "loss", "link": "eth7", "probability": 0.1}]})"),
            "faults[0].link: unknown port eth7 (ports: eth0, eth1, e1.0:0, e1.0:1)");
  EXPECT_EQ(error_of(R"({"faults": [{"type": "loss", "link": "eth0"}]})"), "faults[0].probability: required");
  EXPECT_EQ(error_of(R"({"faults": [{"type": "loss", "link": "eth0", "probability": 1.5}]})"),
            "faults[0].probability: must be between 0 and 1");
  EXPECT_EQ(error_of(R"({"faults": [{"type": "hang", "link": "eth0"}]})"),
            "faults[0].link: unknown key (expected one of: type, at, for, target, note)");
  EXPECT_EQ(error_of(R"({"faults": [{"type": "teleport", "target": "e1.0"}]})").substr(0, 41),
            "faults[0].type: unknown fault type telepo");
  EXPECT_EQ(error_of(R"({"faults": [{"type": "loss", "link": "eth0", "direction": "up", "probability": 0.1}]})"),
            "faults[0].direction: expected \"in\", \"out\" or \"both\", got \"up\"");
  EXPECT_EQ(error_of(R"({"workload": {"bytes": "1MiB", "size": "1000B"}})"),
            "workload.size: must be a positive multiple of 512 bytes");
  EXPECT_EQ(error_of(R"({"workload": {"size": "4KiB"}})"), "workload: needs a duration or a byte count (or both)");
  EXPECT_EQ(error_of(R"({"expect": [{"device": "e1.0", "state": "sleepy"}]})"),
            "expect[0].state: unknown state sleepy (discovered, up, down, closewait, failed)");
  EXPECT_EQ(error_of(R"({"expect": [{"device": "e1.0"}]})").substr(0, 40), "expect[0]: an expectation needs one of: ");
  EXPECT_EQ(error_of(R"({"actions": [{"at": "1s", "do": "revalidate"}]})"), "actions[0].device: required");
  EXPECT_EQ(error_of(R"({"seed": -1})"), "seed: must be between 0 and 18446744073709551615");
  EXPECT_EQ(error_of(R"({"duration": 5})"), "duration: expected a duration with a unit like \"250ms\", got a number");
  EXPECT_EQ(error_of(R"({"topology": {"targets": [{"address": "e1.0"}, {"address": "e1.0"}]}})"),
            "topology.targets[1].address: target e1.0 is defined twice (use a claim_address fault for a duplicate)");
  EXPECT_EQ(error_of(R"({"faults": [{"type": "partition", "link": "eth0"}]})"),
            "faults[0].link: partition acts on path, not on a link");
  EXPECT_EQ(error_of(R"({"faults": [{"type": "down", "link": "eth0", "direction": "in"}]})"),
            "faults[0].direction: a cable goes down in both directions (use black_hole for one direction)");
  EXPECT_EQ(error_of("[1, 2"), error_of("[1, 2"));  // stable
  EXPECT_EQ(error_of("[1, 2").rfind("not valid JSON", 0), 0u);
  EXPECT_EQ(error_of("[]"), "expected an object, got an array");
}

TEST(PlanParser, EveryFaultTypeParses) {
  const char* faults[] = {
      R"({"type": "loss", "link": "eth0", "probability": 0.1})",
      R"({"type": "burst_loss", "path": "a", "p": 0.01, "r": 0.3})",
      R"({"type": "delay", "link": "eth0", "delay": "1ms", "jitter": "200us", "distribution": "normal"})",
      R"({"type": "duplicate", "switch_port": "e1.0:0", "probability": 0.1, "gap": "1ms"})",
      R"({"type": "reorder", "link": "eth0", "probability": 0.1, "delay": "1ms"})",
      R"({"type": "corrupt", "link": "eth0", "probability": 0.1, "detected": false, "bytes": 2})",
      R"({"type": "rate_limit", "link": "eth0", "rate": "100Mbit/s"})",
      R"({"type": "queue_overflow", "link": "eth0", "rate": "100Mbit/s", "queue": 4})",
      R"({"type": "mtu", "link": "eth0", "mtu": 1000})",
      R"({"type": "down", "link": "eth0", "at": "1s", "for": "1s"})",
      R"({"type": "flap", "link": "eth0", "period": "2s", "down": "500ms"})",
      R"({"type": "black_hole", "link": "eth0", "direction": "out"})",
      R"({"type": "partition", "path": "b"})",
      R"({"type": "hang", "target": "e1.0", "for": "5s"})",
      R"({"type": "crash", "target": "e1.0", "at": "1s", "for": "2s"})",
      R"({"type": "slow", "target": "e1.0", "delay": "5ms", "per_sector": "10us"})",
      R"({"type": "aoe_error", "target": "e1.0", "code": 2, "commands": ["write"]})",
      R"({"type": "ata_error", "target": "e1.0", "error": "abrt", "commands": ["identify"]})",
      R"({"type": "runt", "target": "e1.0", "length": 20})",
      R"({"type": "wrong_tag", "target": "e1.0", "probability": 0.5})",
      R"({"type": "wrong_shelf", "target": "e1.0"})",
      R"({"type": "wrong_slot", "target": "e1.0"})",
      R"({"type": "duplicate_reply", "target": "e1.0", "gap": "1ms"})",
      R"({"type": "stale_replay", "target": "e1.0", "probability": 0.1, "depth": 8})",
      R"({"type": "resize", "target": "e1.0", "capacity": "32MiB"})",
      R"({"type": "mac_change", "target": "e1.0", "mac": "02:aa:00:00:00:01", "port": 1})",
      R"({"type": "bufcnt", "target": "e1.0", "bufcnt": 2})",
      R"({"type": "config_string", "target": "e1.0", "config": "hello"})",
      R"({"type": "reserve", "target": "e1.0"})",
      R"({"type": "mask_list", "target": "e1.0", "allow": "02:bb:00:00:00:01"})",
      R"({"type": "claim_address", "target": "e1.0", "address": "e1.1"})",
      R"({"type": "firmware", "target": "e1.0", "firmware": 512})",
      R"({"type": "port_down", "initiator_port": "eth1", "at": "1s", "for": "1s"})",
      R"({"type": "port_mtu", "initiator_port": "eth1", "mtu": 1000})",
  };
  for (const char* f : faults) {
    const auto r = parse_plan(std::string(R"({"faults": [)") + f + "]}");
    EXPECT_TRUE(r.ok()) << f << ": " << r.error.to_string();
  }
}

}  // namespace
}  // namespace aoeh::faults
