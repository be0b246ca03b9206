#include "faults/report.hpp"

#include <ostream>

#include "faults/units.hpp"

namespace aoeh::faults {
namespace {

std::string stats_text(const FaultStats& s) {
  std::string out;
  for (const auto& [k, v] : s) {
    if (k == "delay_total_us") continue;
    out += (out.empty() ? "" : ", ") + k + " " + std::to_string(v);
  }
  return out.empty() ? "-" : out;
}

std::string window(Nanos at, Nanos duration) {
  if (duration == sim::kNever) return "from " + format_duration(at);
  return format_duration(at) + " for " + format_duration(duration);
}

}  // namespace

void print_timeline(std::ostream& out, const ScenarioResult& r) {
  out << "timeline (simulated time):\n";
  for (const auto& e : r.timeline) out << "  " << format_time(e.time) << "  " << e.what << "\n";
}

void print_summary(std::ostream& out, const Plan& plan, const ScenarioResult& r) {
  out << "summary: plan " << r.plan_name << ", seed " << r.seed << ", " << format_time(r.simulated) << " simulated, "
      << r.events << " events, " << static_cast<long long>(r.wall_seconds * 1000) << " ms wall\n";
  out << "  devices:\n";
  for (const auto& d : r.devices) {
    out << "    " << d.address << ": " << d.state << ", " << d.capacity_sectors << " sectors, payload";
    for (auto p : d.payload_sectors) out << " " << p;
    out << " sectors/frame\n";
  }
  if (r.workload_enabled) {
    const auto& w = r.workload;
    out << "  I/O: " << w.completed << " completed, " << w.failed << " failed, " << w.refused << " refused; "
        << format_size(w.bytes_written) << " written, " << format_size(w.bytes_read) << " read, " << w.flushes
        << " flushes; slowest " << format_duration(w.latency_max / 1000 * 1000)
        << (r.workload_complete ? "" : "; workload NOT complete") << "\n";
  }
  if (plan.workload.enabled && plan.workload.verify) {
    const auto& d = r.durability;
    out << "  durability: " << d.sectors_checked << " sectors checked, " << d.violations() << " violations (lost "
        << d.lost << ", corrupted " << d.corrupted << ", phantom " << d.phantom << ")\n";
    std::size_t shown = 0;
    for (const auto& v : r.violations) {
      if (shown++ == 10) {
        out << "    ... (results.json lists up to " << r.violations.size() << ")\n";
        break;
      }
      out << "    " << violation_kind_name(v.kind) << " " << v.device.to_string() << " LBA " << v.lba << " at "
          << format_time(v.time) << " (seed " << v.seed << "): " << v.detail << "\n";
    }
  }
  if (!r.faults.empty()) out << "  faults:\n";
  for (std::size_t i = 0; i < r.faults.size(); ++i) {
    const auto& f = r.faults[i];
    out << "    [" << i << "] " << f.type << " on " << f.site << ", " << window(f.at, f.duration) << ": "
        << stats_text(f.stats) << "\n";
  }
  const auto& m = r.metrics;
  auto metric = [&](const char* k) {
    auto it = m.find(k);
    return it == m.end() ? 0.0 : it->second;
  };
  out << "  initiator: " << static_cast<std::uint64_t>(metric("initiator.frames_sent")) << " frames sent, "
      << static_cast<std::uint64_t>(metric("initiator.retransmits")) << " retransmits, "
      << static_cast<std::uint64_t>(metric("initiator.timeouts")) << " timeouts, "
      << static_cast<std::uint64_t>(metric("initiator.fallbacks")) << " fallbacks\n";
  if (!r.pcap_path.empty()) out << "  capture: " << r.pcap_path << " (" << r.frames_captured << " frames)\n";
  out << "expectations:\n";
  for (const auto& e : r.expectations)
    out << "  " << (e.passed ? "PASS" : "FAIL") << "  " << e.text << "  [" << e.detail << "]\n";
  out << (r.passed ? "PASSED" : "FAILED") << "\n";
}

nlohmann::json result_to_json(const Plan& plan, const ScenarioResult& r) {
  using nlohmann::json;
  json j;
  j["plan"] = r.plan_name;
  j["description"] = plan.description;
  j["seed"] = r.seed;
  j["passed"] = r.passed;
  json ex = json::array();
  for (const auto& e : r.expectations) ex.push_back({{"text", e.text}, {"passed", e.passed}, {"observed", e.detail}});
  j["expectations"] = ex;
  json tl = json::array();
  for (const auto& e : r.timeline) tl.push_back({{"time_ns", e.time}, {"time", format_time(e.time)}, {"event", e.what}});
  j["timeline"] = tl;
  json faults = json::array();
  for (const auto& f : r.faults) {
    json s = json::object();
    for (const auto& [k, v] : f.stats) s[k] = v;
    faults.push_back({{"type", f.type},
                      {"site", f.site},
                      {"at_ns", f.at},
                      {"for_ns", f.duration == sim::kNever ? json(nullptr) : json(f.duration)},
                      {"stats", s}});
  }
  j["faults"] = faults;
  json devices = json::array();
  for (const auto& d : r.devices)
    devices.push_back({{"address", d.address},
                       {"state", d.state},
                       {"capacity_sectors", d.capacity_sectors},
                       {"payload_sectors", d.payload_sectors}});
  j["devices"] = devices;
  if (r.workload_enabled) {
    const auto& w = r.workload;
    j["workload"] = {{"complete", r.workload_complete}, {"submitted", w.submitted},       {"completed", w.completed},
                     {"failed", w.failed},              {"refused", w.refused},           {"reads", w.reads},
                     {"writes", w.writes},              {"flushes", w.flushes},           {"final_reads", w.final_reads},
                     {"bytes_read", w.bytes_read},      {"bytes_written", w.bytes_written}, {"latency_max_ns", w.latency_max},
                     {"started_ns", w.started_at},      {"finished_ns", w.finished_at}};
  }
  if (plan.workload.enabled && plan.workload.verify) {
    const auto& d = r.durability;
    json v = json::array();
    for (const auto& x : r.violations)
      v.push_back({{"kind", violation_kind_name(x.kind)},
                   {"device", x.device.to_string()},
                   {"lba", x.lba},
                   {"time_ns", x.time},
                   {"seed", x.seed},
                   {"expected_write", x.expected},
                   {"found_write", x.found},
                   {"detail", x.detail}});
    j["durability"] = {{"violations", d.violations()}, {"lost", d.lost},
                       {"corrupted", d.corrupted},     {"phantom", d.phantom},
                       {"sectors_checked", d.sectors_checked}, {"writes_acked", d.writes_acked},
                       {"writes_failed", d.writes_failed},     {"flushes", d.flushes},
                       {"crashes", d.crashes},         {"crash_rolled_back", d.crash_rolled_back},
                       {"crash_survived", d.crash_survived}, {"details", v}};
  }
  json metrics = json::object();
  for (const auto& [k, v] : r.metrics) metrics[k] = v;
  j["metrics"] = metrics;
  j["simulation"] = {{"simulated_ns", r.simulated}, {"events", r.events}, {"event_hash", r.event_hash},
                     {"wall_seconds", r.wall_seconds}, {"pcap", r.pcap_path}, {"frames_captured", r.frames_captured}};
  return j;
}

}  // namespace aoeh::faults
