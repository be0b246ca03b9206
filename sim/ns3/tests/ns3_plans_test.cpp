// Fault plans on the ns-3 backend: every scenario plan either runs and meets its expectations or is
// rejected naming the fault ns-3 cannot express; runs are deterministic per seed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <filesystem>
#include <map>
#include <string>

#include <unistd.h>

#include "faults/plan_parser.hpp"
#include "faults/report.hpp"
#include "faults/scenario.hpp"
#include "protocol/frame.hpp"
#include "protocol/pcap_file.hpp"
#include "sim/ns3/ns3_plan.hpp"
#include "sim/ns3/ns3_simulation.hpp"

namespace aoeh::ns3sim {
namespace {

std::string plan_path(const std::string& name) { return std::string(AOEH_PLANS_DIR) + "/" + name + ".json"; }

faults::Plan load(const std::string& name) {
  const auto r = faults::load_plan(plan_path(name));
  EXPECT_TRUE(r.ok()) << name << ": " << r.error.to_string();
  return r.ok() ? *r.plan : faults::Plan{};
}

// What each plan in scenarios/plans does on ns-3: "" runs and passes; otherwise the start of the
// rejection message. A new plan must be added here (the test fails until it is).
const std::map<std::string, std::string>& expected_outcomes() {
  static const std::map<std::string, std::string> m = {
      {"timeouts", ""},
      {"failed_states", ""},
      {"resizing", ""},
      {"mtu_mismatch", ""},
      {"clean", ""},
      {"loss_one_path", ""},
      {"path_down", ""},
      {"link_faults", ""},
      {"mixed", "fault 'delay' at faults[3] is not supported by the ns3 backend"},
      {"mixed_undetected_corruption", "fault 'delay' at faults[3] is not supported by the ns3 backend"},
  };
  return m;
}

TEST(Ns3Plans, EveryScenarioPlanIsListed) {
  std::size_t seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(AOEH_PLANS_DIR)) {
    if (entry.path().extension() != ".json") continue;
    ++seen;
    EXPECT_TRUE(expected_outcomes().count(entry.path().stem().string()))
        << entry.path() << " is not in expected_outcomes(): say whether it runs on ns-3";
  }
  EXPECT_EQ(seen, expected_outcomes().size()) << "a listed plan is missing from scenarios/plans";
}

class ScenarioPlan : public ::testing::TestWithParam<std::string> {};

TEST_P(ScenarioPlan, RunsAndPassesOrIsRejectedByName) {
  const std::string name = GetParam();
  const faults::Plan plan = load(name);
  const std::string& rejection = expected_outcomes().at(name);
  const auto why = unsupported(plan);
  if (!rejection.empty()) {
    ASSERT_TRUE(why.has_value()) << name << " should be rejected";
    EXPECT_EQ(why->rfind(rejection, 0), 0u) << *why;
    EXPECT_THROW(ns3sim::run_plan(plan), Unsupported);
    return;
  }
  ASSERT_FALSE(why.has_value()) << *why;
  const auto r = ns3sim::run_plan(plan);
  for (const auto& e : r.expectations) EXPECT_TRUE(e.passed) << name << ": " << e.text << " [" << e.detail << "]";
  if (!r.passed) faults::print_timeline(std::cerr, r);
  EXPECT_TRUE(r.passed);
  EXPECT_GT(r.durability.sectors_checked, 0u);
  EXPECT_GT(r.events, 0u);
}

std::vector<std::string> plan_names() {
  std::vector<std::string> v;
  for (const auto& [k, _] : expected_outcomes()) v.push_back(k);
  return v;
}
INSTANTIATE_TEST_SUITE_P(Plans, ScenarioPlan, ::testing::ValuesIn(plan_names()),
                         [](const auto& info) { return info.param; });

// Device lifecycle lines of a timeline (up, down/closewait, failed, resized, payload fallback), per
// device address, in order.
std::map<std::string, std::vector<std::string>> lifecycle(const faults::ScenarioResult& r) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& e : r.timeline) {
    const std::string& t = e.what;
    if (t.rfind("device ", 0) != 0) continue;
    const bool keep = t.find(" up (") != std::string::npos || t.find(" failed (") != std::string::npos ||
                      t.find(" resized ") != std::string::npos || t.find("payload fallback") != std::string::npos ||
                      (t.find(" path ") == std::string::npos &&
                       (t.ends_with(" down") || t.ends_with(" closewait")));
    if (keep) out[t.substr(7, t.find(' ', 7) - 7)].push_back(t);
  }
  return out;
}

// The cross-check set on both backends: both complete the same workload and pass, the durability
// checker (which reads back everything written) finds nothing on either, every device goes through
// the same lifecycle events in the same order and ends in the same state, and retransmissions agree
// within 25% + 25 (loss draws come from different random streams, and ns-3 serialises differently).
class CrossCheck : public ::testing::TestWithParam<std::string> {};

TEST_P(CrossCheck, BothBackendsAgree) {
  const faults::Plan plan = load(GetParam());
  faults::RunOptions o;
  const auto a = faults::run_plan(plan, o);
  const auto b = ns3sim::run_plan(plan, o);
  ASSERT_TRUE(a.passed) << "in-process";
  ASSERT_TRUE(b.passed) << "ns-3";
  EXPECT_TRUE(a.workload_complete && b.workload_complete);
  EXPECT_EQ(a.workload.failed, b.workload.failed);
  EXPECT_EQ(a.durability.violations(), 0u);
  EXPECT_EQ(b.durability.violations(), 0u);
  EXPECT_GT(b.durability.sectors_checked, 0u);
  EXPECT_EQ(lifecycle(a).size(), plan.targets.size()) << "every device comes up";
  EXPECT_EQ(lifecycle(a), lifecycle(b));
  ASSERT_EQ(a.devices.size(), b.devices.size());
  for (std::size_t i = 0; i < a.devices.size(); ++i) {
    EXPECT_EQ(a.devices[i].state, b.devices[i].state) << a.devices[i].address;
    EXPECT_EQ(a.devices[i].capacity_sectors, b.devices[i].capacity_sectors) << a.devices[i].address;
    EXPECT_EQ(a.devices[i].payload_sectors, b.devices[i].payload_sectors) << a.devices[i].address;
  }
  const double ra = a.metrics.at("initiator.retransmits"), rb = b.metrics.at("initiator.retransmits");
  EXPECT_LE(std::abs(ra - rb), 0.25 * std::max(ra, rb) + 25) << "retransmits: in-process " << ra << ", ns-3 " << rb;
  std::cout << GetParam() << ": retransmits in-process " << ra << ", ns-3 " << rb << "; I/O completed "
            << a.workload.completed << " / " << b.workload.completed << "\n";
}
INSTANTIATE_TEST_SUITE_P(Plans, CrossCheck,
                         ::testing::Values("clean", "loss_one_path", "path_down", "mtu_mismatch", "timeouts", "link_faults"),
                         [](const auto& info) { return info.param; });

TEST(Ns3Plans, RejectsEachInexpressibleFaultByNameAndIndex) {
  faults::Plan plan = load("timeouts");
  const std::size_t index = plan.faults.size();
  for (auto [type, name] : {std::pair{faults::FaultType::Duplicate, "duplicate"}, {faults::FaultType::Reorder, "reorder"},
                            {faults::FaultType::CorruptUndetected, "corrupt (undetected)"}}) {
    faults::Plan p = plan;
    faults::FaultPlan f;
    f.type = type;
    f.site.kind = faults::FaultSite::Kind::Link;
    p.faults.push_back(f);
    const auto why = unsupported(p);
    ASSERT_TRUE(why.has_value()) << name;
    EXPECT_NE(why->find(std::string("fault '") + name + "' at faults[" + std::to_string(index) + "]"), std::string::npos)
        << *why;
  }
  // A constant delay on both directions is the channel's delay: accepted. One direction is not.
  faults::Plan p = plan;
  faults::FaultPlan d;
  d.type = faults::FaultType::Delay;
  d.site.kind = faults::FaultSite::Kind::Link;
  d.delay = 100 * sim::kMicrosecond;
  p.faults.push_back(d);
  EXPECT_FALSE(unsupported(p).has_value());
  p.faults.back().site.toward_host = false;
  ASSERT_TRUE(unsupported(p).has_value());
  EXPECT_NE(unsupported(p)->find("one direction"), std::string::npos);
}

TEST(Ns3Plans, SameSeedSameRunOtherSeedOtherRun) {
  const faults::Plan plan = load("loss_one_path");
  faults::RunOptions a, b, c;
  a.seed = b.seed = 5;
  c.seed = 6;
  const auto ra = ns3sim::run_plan(plan, a), rb = ns3sim::run_plan(plan, b), rc = ns3sim::run_plan(plan, c);
  EXPECT_EQ(ra.event_hash, rb.event_hash);
  EXPECT_EQ(ra.events, rb.events);
  EXPECT_EQ(ra.metrics, rb.metrics);
  EXPECT_NE(ra.metrics.at("initiator.retransmits") + double(ra.events),
            rc.metrics.at("initiator.retransmits") + double(rc.events));
}

// ns-3 is process-global: a plan run and an Ns3Simulation exclude each other, and a refused or
// failed construction leaves ns-3 free for the next one.
TEST(Ns3Plans, OneNs3WorldAtATime) {
  const faults::Plan plan = load("clean");
  sim::SimulationConfig bad;
  bad.topology.paths.clear();
  EXPECT_THROW(sim::Ns3Simulation{bad}, std::invalid_argument);
  {
    sim::Ns3Simulation other{sim::SimulationConfig{}};
    EXPECT_THROW(ns3sim::run_plan(plan), std::logic_error);
  }
  EXPECT_TRUE(ns3sim::run_plan(plan).passed);
}

TEST(Ns3Plans, CaptureHoldsTheInitiatorsAoeFrames) {
  const faults::Plan plan = load("clean");
  const std::string pcap = (std::filesystem::temp_directory_path() / ("aoeh_ns3_plans_test." + std::to_string(getpid()) + ".pcap")).string();
  faults::RunOptions o;
  o.pcap_path = pcap;
  const auto r = ns3sim::run_plan(plan, o);
  std::string error;
  const auto records = proto::read_pcap(pcap, &error);
  ASSERT_TRUE(records.has_value()) << error;
  EXPECT_EQ(records->size(), r.frames_captured);
  // Every frame the initiator's NICs sent or received, so at least its counters' worth.
  EXPECT_GE(records->size(), static_cast<std::size_t>(r.metrics.at("initiator.frames_sent")));
  for (const auto& rec : *records) ASSERT_TRUE(proto::parse_frame(rec.bytes).ok()) << "unparsable AoE frame";
  std::filesystem::remove(pcap);
}

}  // namespace
}  // namespace aoeh::ns3sim
