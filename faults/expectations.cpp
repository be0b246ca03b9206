#include "faults/expectations.hpp"

#include <cmath>
#include <cstdio>

#include "faults/plan_parser.hpp"
#include "faults/units.hpp"

namespace aoeh::faults {
namespace {

using initiator::DeviceState;
using initiator::EventKind;

std::string window_text(const ExpectationPlan& e) {
  if (e.after > 0 && e.by != sim::kNever) return " between " + format_duration(e.after) + " and " + format_duration(e.by);
  if (e.after > 0) return " after " + format_duration(e.after);
  if (e.by != sim::kNever) return " by " + format_duration(e.by);
  return "";
}

bool in_window(const ExpectationPlan& e, Nanos t) { return t >= e.after && t <= e.by; }

std::optional<std::uint32_t> path_of(const Plan& plan, const Observations& obs, const proto::MacAddress& mac) {
  const std::uint64_t key = mac.to_u64();
  for (auto it = obs.mac_ports.rbegin(); it != obs.mac_ports.rend(); ++it)
    if (it->first == key) return plan.port_ref(it->second).path;
  return std::nullopt;
}

bool state_matches(const std::string& want, DeviceState s) {
  if (want == "down") return s == DeviceState::Down || s == DeviceState::Closewait;
  return want == initiator::device_state_name(s);
}

std::string fmt_number(double v) {
  char b[48];
  if (v == std::floor(v) && std::fabs(v) < 1e15) std::snprintf(b, sizeof b, "%.0f", v);
  else std::snprintf(b, sizeof b, "%g", v);
  return b;
}

}  // namespace

std::string describe(const Plan& plan, const ExpectationPlan& e) {
  if (!e.text.empty()) return e.text;
  const std::string dev = e.device ? plan.targets[*e.device].address.to_string() : std::string("any device");
  const std::string path = e.path ? " path " + plan.paths[*e.path].name : "";
  switch (e.kind) {
    case ExpectationPlan::Kind::State:
      if (e.at) return dev + " is " + e.state + " at " + format_duration(*e.at);
      if (e.by != sim::kNever || e.after > 0) return dev + " becomes " + e.state + window_text(e);
      return dev + " is " + e.state + " at the end";
    case ExpectationPlan::Kind::Event:
      if (e.count.max == 0) return "no " + e.event + " on " + dev + path + window_text(e);
      return e.event + " on " + dev + path + window_text(e) + " (count " + e.count.describe() + ")";
    case ExpectationPlan::Kind::IoErrors:
      return "I/O errors" + (e.status.empty() ? "" : " (" + e.status + ")") + " on " + dev + window_text(e) + ": " +
             e.count.describe();
    case ExpectationPlan::Kind::IoCompleted:
      return "I/O completed on " + dev + window_text(e) + ": " + e.count.describe();
    case ExpectationPlan::Kind::Violations: return "durability violations: " + e.count.describe();
    case ExpectationPlan::Kind::Metric: {
      std::string r = "metric " + e.metric;
      if (e.metric_min == e.metric_max) return r + " == " + fmt_number(e.metric_min);
      if (e.metric_min > -1e300) r += " >= " + fmt_number(e.metric_min);
      if (e.metric_max < 1e300) r += std::string(e.metric_min > -1e300 ? " and" : "") + " <= " + fmt_number(e.metric_max);
      return r;
    }
    case ExpectationPlan::Kind::PayloadSectors:
      return "payload sectors on " + dev + path + (e.at ? " at " + format_duration(*e.at) : " at the end") + ": " +
             e.count.describe();
    case ExpectationPlan::Kind::Capacity:
      return dev + " capacity " + std::to_string(e.count.min) + " sectors" +
             (e.at ? " at " + format_duration(*e.at) : " at the end");
    case ExpectationPlan::Kind::LatencyMax: return "slowest successful request <= " + format_duration(e.latency);
    case ExpectationPlan::Kind::WorkloadComplete: return e.complete ? "workload completes" : "workload does not complete";
  }
  return "?";
}

std::vector<ExpectationResult> judge(const Plan& plan, const Observations& obs, const ScenarioResult& result) {
  std::vector<ExpectationResult> out;
  for (std::size_t i = 0; i < plan.expectations.size(); ++i) {
    const ExpectationPlan& e = plan.expectations[i];
    ExpectationResult r;
    r.text = describe(plan, e);
    const bool has_dev = e.device.has_value();
    const proto::DeviceAddress dev = has_dev ? plan.targets[*e.device].address : proto::DeviceAddress{};
    switch (e.kind) {
      case ExpectationPlan::Kind::State: {
        if (e.at || (e.by == sim::kNever && e.after == 0)) {
          const DeviceSample& s = obs.samples[i];
          if (!s.taken || !s.info) {
            r.detail = "device unknown to the initiator then";
          } else {
            r.passed = state_matches(e.state, s.info->state);
            r.detail = std::string("was ") + initiator::device_state_name(s.info->state);
          }
          break;
        }
        // Reached within the window: an event that enters the state.
        for (const auto& ev : obs.events) {
          if (ev.device != dev || !in_window(e, ev.time)) continue;
          bool enters = false;
          if (ev.kind == EventKind::DeviceUp) enters = e.state == "up";
          if (ev.kind == EventKind::DeviceDown) enters = state_matches(e.state, ev.state);
          if (ev.kind == EventKind::DeviceFailed) enters = e.state == "failed";
          if (enters) {
            r.passed = true;
            r.detail = "at " + format_time(ev.time);
            break;
          }
        }
        if (!r.passed) r.detail = "never entered " + e.state + window_text(e);
        break;
      }
      case ExpectationPlan::Kind::Event: {
        std::uint64_t n = 0;
        Nanos first = -1;
        for (const auto& ev : obs.events) {
          if (event_name(static_cast<std::uint8_t>(ev.kind)) != e.event || !in_window(e, ev.time)) continue;
          if (has_dev && ev.device != dev) continue;
          if (e.path && path_of(plan, obs, ev.path) != e.path) continue;
          if (first < 0) first = ev.time;
          ++n;
        }
        r.passed = e.count.contains(n);
        r.detail = std::to_string(n) + " seen" + (first >= 0 ? ", first at " + format_time(first) : "");
        break;
      }
      case ExpectationPlan::Kind::IoErrors:
      case ExpectationPlan::Kind::IoCompleted: {
        std::uint64_t n = 0;
        if (obs.workload) {
          const bool errors = e.kind == ExpectationPlan::Kind::IoErrors;
          auto device_ok = [&](std::uint32_t wd) { return !e.device || obs.workload->plan_index(wd) == *e.device; };
          if (errors) {
            for (const auto& f : obs.workload->failures())
              if (in_window(e, f.time) && device_ok(f.device) &&
                  (e.status.empty() || e.status == io_status_key(static_cast<std::uint8_t>(f.status))))
                ++n;
          } else {
            for (const auto& [t, d] : obs.workload->successes())
              if (in_window(e, t) && device_ok(d)) ++n;
          }
        }
        r.passed = e.count.contains(n);
        r.detail = std::to_string(n) + (obs.workload ? "" : " (the plan has no workload)");
        break;
      }
      case ExpectationPlan::Kind::Violations: {
        const std::uint64_t n = result.durability.violations();
        r.passed = obs.checker && e.count.contains(n);
        r.detail = obs.checker ? std::to_string(n) : "no checker (workload.verify is off)";
        break;
      }
      case ExpectationPlan::Kind::Metric: {
        auto it = result.metrics.find(e.metric);
        if (it == result.metrics.end()) {
          r.detail = "no such metric (results.json lists them)";
        } else {
          r.passed = it->second >= e.metric_min && it->second <= e.metric_max;
          r.detail = fmt_number(it->second);
        }
        break;
      }
      case ExpectationPlan::Kind::PayloadSectors: {
        const DeviceSample& s = obs.samples[i];
        if (!s.taken || !s.info) {
          r.detail = "device unknown to the initiator then";
          break;
        }
        std::string seen;
        bool any = false, all = true;
        for (const auto& p : s.info->paths) {
          if (e.path && path_of(plan, obs, p.mac) != e.path) continue;
          any = true;
          all &= e.count.contains(p.payload_sectors);
          seen += (seen.empty() ? "" : ", ") + std::to_string(p.payload_sectors);
        }
        r.passed = any && all;
        r.detail = any ? seen : "no such path";
        break;
      }
      case ExpectationPlan::Kind::Capacity: {
        const DeviceSample& s = obs.samples[i];
        if (!s.taken || !s.info) {
          r.detail = "device unknown to the initiator then";
          break;
        }
        r.passed = s.info->capacity_sectors == e.count.min;
        r.detail = std::to_string(s.info->capacity_sectors) + " sectors";
        break;
      }
      case ExpectationPlan::Kind::LatencyMax:
        r.passed = obs.workload && result.workload.latency_max <= e.latency;
        r.detail = format_duration(result.workload.latency_max / 1000 * 1000);
        break;
      case ExpectationPlan::Kind::WorkloadComplete:
        r.passed = result.workload_complete == e.complete;
        r.detail = result.workload_complete ? "complete" : "not complete";
        break;
    }
    out.push_back(std::move(r));
  }
  if (plan.implicit_no_violations && obs.checker) {
    ExpectationResult r;
    r.text = "no durability violations";
    r.passed = result.durability.violations() == 0;
    r.detail = std::to_string(result.durability.violations());
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace aoeh::faults
