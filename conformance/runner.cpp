#include "conformance/runner.hpp"

#include <algorithm>
#include <exception>
#include <fmt/format.h>

#include "conformance/context.hpp"
#include "conformance/identity.hpp"
#include "conformance/safety.hpp"
#include "conformance/target_ops.hpp"

namespace aoeh::conformance {
namespace {

using reports::Verdict;

// Why a test cannot run on this device/run, or empty. Skip = could apply but not run here;
// not applicable = the device lacks the feature.
struct Unmet {
  Verdict verdict = Verdict::Pass;
  std::string reason;
};

Unmet unmet_need(const TestInfo& info, const TargetFacts& facts, std::size_t probe_ports) {
  for (const auto& need : info.needs) {
    if (need == kNeedTwoPorts && facts.ports.size() < 2) {
      if (probe_ports < 2) return {Verdict::Skip, "needs two ports: this run has one probe port"};
      return {Verdict::NotApplicable, fmt::format("needs two ports: the target answered on {}", facts.ports.size())};
    }
    if (need == kNeedIdentify && !facts.identify_ok) return {Verdict::Error, "IDENTIFY failed: capacity unknown"};
    if (need == kNeedLba48 && !facts.lba48()) return {Verdict::NotApplicable, "needs LBA48: the device is LBA28 only"};
    if (need == kNeedLargeDisk && (!facts.identify_ok || facts.capacity() <= (std::uint64_t{1} << 28)))
      return {Verdict::NotApplicable, "needs more than 2^28 sectors"};
    if (need == kNeedReadOnly && !facts.read_only) return {Verdict::NotApplicable, "the target is not read-only"};
    if (need == kNeedWritable && facts.read_only) return {Verdict::NotApplicable, "the target is read-only"};
  }
  return {};
}

reports::TestResult result_for(const TestInfo& info) {
  reports::TestResult r;
  r.name = info.name;
  r.area = info.area();
  r.clause = info.clause;
  r.level = info.level;
  r.writes = info.writes;
  r.needs = info.needs;
  r.description = info.description;
  return r;
}

std::string join(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return a + "; " + b;
}

}  // namespace

int exit_code_for(const reports::Report& report) {
  for (const auto& r : report.results)
    if (r.level == reports::Level::Must && (r.verdict == Verdict::Fail || r.verdict == Verdict::Error)) return 1;
  return 0;
}

RunOutput run_suite(sim::World& world, const std::vector<const TestCase*>& tests, const RunOptions& options,
                    const ProgressFn& progress) {
  RunOutput out;
  auto& report = out.report;
  report.tool_version = "aoeh 0.1.0";
  report.run_id = options.run_id;
  report.mode = options.mode;
  report.started_at = options.started_at;
  report.seed = options.seed;

  Probe probe(world, options.timing, options.stop);
  probe.set_target(options.target);
  TargetFacts facts;
  facts.address = options.target;
  facts.fresh_start = options.fresh_start;
  facts.read_only = options.read_only_target;
  facts.writes_allowed = options.allow_write;
  facts.seed = options.seed.value_or(1);
  TargetOps ops(probe, facts);

  // Announcements are unsolicited Query Config responses: gather them before asking anything.
  if (options.announce_window > 0) probe.settle(options.announce_window);
  for (auto& r : probe.take([](const Reply& r) {
         return r.header.command == static_cast<std::uint8_t>(proto::Command::QueryConfig);
       }))
    facts.announcements.push_back(std::move(r));

  std::string why;
  bool identified = false;
  try {
    identified = collect_identity(probe, ops, facts, &why);
  } catch (const Interrupted&) {
    why = "interrupted while identifying the target";
  }
  if (!identified) {
    out.environment_error = why;
    out.exit_code = 2;
    out.capture = probe.capture();
    return out;
  }
  report.device = device_identity(facts);
  report.properties["probe ports"] = std::to_string(probe.ports().size());
  report.properties["ports answering"] = std::to_string(facts.ports.size());
  for (const auto& port : probe.ports()) report.properties["MTU " + port] = std::to_string(world.port_mtu(port));
  report.properties["announcements seen"] = std::to_string(facts.announcements.size());

  Safety safety(ops, probe, facts);
  for (std::size_t i = 0; i < tests.size(); ++i) {
    const TestCase& test = *tests[i];
    auto result = result_for(test.info);
    if (progress) progress({i, tests.size(), &test.info, nullptr});
    const Nanos started = world.now();

    const Unmet unmet = unmet_need(test.info, facts, probe.ports().size());
    if (out.interrupted) {
      result.verdict = Verdict::Skip;
      result.message = "run interrupted before this test";
    } else if (test.info.writes && !options.allow_write) {
      result.verdict = Verdict::Skip;
      result.message = "changes the target: run with --allow-write";
    } else if (!unmet.reason.empty()) {
      result.verdict = unmet.verdict;
      result.message = unmet.reason;
    } else {
      probe.clear_inbox();
      probe.set_evidence(&result.evidence);
      safety.set_test_may_write(test.info.writes);
      TestContext ctx(probe, ops, safety, facts, test.info);
      try {
        test.body(ctx);
        result.verdict = ctx.failed() ? Verdict::Fail : Verdict::Pass;
        result.message = ctx.failed() ? join(ctx.failure_text(), ctx.note_text()) : ctx.note_text();
      } catch (const TestStop& stop) {
        result.verdict = stop.verdict;
        result.message = join(stop.message, ctx.note_text());
      } catch (const Interrupted&) {
        result.verdict = Verdict::Error;
        result.message = "interrupted by the user";
        out.interrupted = true;
      } catch (const std::exception& e) {
        result.verdict = Verdict::Error;
        result.message = std::string("harness error: ") + e.what();
      }
      // A restore that fails is this test's doing (its changes, or the exchange that undoes them,
      // broke the target): the verdict says so instead of a pass.
      if (safety.pending() && !safety.restore()) {
        if (result.verdict == Verdict::Pass) result.verdict = Verdict::Error;
        result.message = join(result.message, "restoring this test's changes failed: " + safety.last_problem());
      }
      safety.set_test_may_write(false);
      if (probe.evidence_omitted() > 0)
        result.message = join(result.message, fmt::format("{} more frames in capture.pcap", probe.evidence_omitted()));
      probe.set_evidence(nullptr);
    }
    if (!out.interrupted && options.stop != nullptr && options.stop->load()) out.interrupted = true;
    result.duration_ns = world.now() - started;
    report.results.push_back(std::move(result));
    if (progress) progress({i, tests.size(), &test.info, &report.results.back()});
  }

  safety.verify_all();
  report.safety = safety.record();
  if (out.interrupted) report.properties["interrupted"] = "yes: remaining tests skipped, changes restored";
  report.rtt_samples_us = probe.rtt_samples_us();
  out.capture = probe.capture();
  out.exit_code = exit_code_for(report);
  return out;
}

}  // namespace aoeh::conformance
