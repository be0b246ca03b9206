#include "faults/host_metrics.hpp"

namespace aoeh::faults {

void add_host_metrics(std::map<std::string, double>& m, const initiator::Counters& c, const PlanWorkload* workload,
                      const DurabilityChecker* checker) {
  m["initiator.frames_sent"] = double(c.frames_sent);
  m["initiator.frames_received"] = double(c.frames_received);
  m["initiator.retransmits"] = double(c.retransmits);
  m["initiator.late_replies"] = double(c.late_replies);
  m["initiator.duplicate_replies"] = double(c.duplicate_replies);
  m["initiator.unknown_tags"] = double(c.unknown_tags);
  m["initiator.malformed"] = double(c.malformed);
  m["initiator.ignored"] = double(c.ignored);
  for (int i = 1; i < 8; ++i) m["initiator.error_replies." + std::to_string(i)] = double(c.error_replies[i]);
  m["initiator.timeouts"] = double(c.timeouts);
  m["initiator.fallbacks"] = double(c.fallbacks);
  m["initiator.requests_completed"] = double(c.requests_completed);
  m["initiator.requests_failed"] = double(c.requests_failed);
  m["initiator.discoveries"] = double(c.discoveries);
  if (workload) {
    const auto& s = workload->stats();
    m["io.submitted"] = double(s.submitted);
    m["io.completed"] = double(s.completed);
    m["io.failed"] = double(s.failed);
    m["io.refused"] = double(s.refused);
    m["io.reads"] = double(s.reads);
    m["io.writes"] = double(s.writes);
    m["io.flushes"] = double(s.flushes);
    m["io.final_reads"] = double(s.final_reads);
    m["io.bytes_read"] = double(s.bytes_read);
    m["io.bytes_written"] = double(s.bytes_written);
    m["io.latency_max_us"] = double(s.latency_max) / 1e3;
    m["io.latency_mean_us"] = s.completed ? double(s.latency_total) / double(s.completed) / 1e3 : 0.0;
  }
  if (checker) {
    const auto& d = checker->counters();
    m["durability.violations"] = double(d.violations());
    m["durability.lost"] = double(d.lost);
    m["durability.corrupted"] = double(d.corrupted);
    m["durability.phantom"] = double(d.phantom);
    m["durability.sectors_checked"] = double(d.sectors_checked);
    m["durability.writes_acked"] = double(d.writes_acked);
    m["durability.writes_failed"] = double(d.writes_failed);
    m["durability.flushes"] = double(d.flushes);
    m["durability.crash_rolled_back"] = double(d.crash_rolled_back);
    m["durability.crash_survived"] = double(d.crash_survived);
  }
}

void add_nic_metrics(std::map<std::string, double>& m, const std::string& port, const sim::NicCounters& nic) {
  const std::string n = "nic." + port + ".";
  m[n + "tx_frames"] = double(nic.tx_frames);
  m[n + "rx_frames"] = double(nic.rx_frames);
  m[n + "tx_dropped_down"] = double(nic.tx_dropped_down);
  m[n + "tx_dropped_mtu"] = double(nic.tx_dropped_mtu);
  m[n + "rx_dropped_down"] = double(nic.rx_dropped_down);
  m[n + "rx_dropped_mtu"] = double(nic.rx_dropped_mtu);
  m[n + "rx_filtered"] = double(nic.rx_filtered);
}

void add_target_metrics(std::map<std::string, double>& m, const std::string& name, const target::Target& target) {
  const auto& k = target.counters();
  const std::string p = "target." + name + ".";
  m[p + "frames_received"] = double(k.frames_received);
  m[p + "ignored_not_addressed"] = double(k.ignored_not_addressed);
  m[p + "ignored_masked"] = double(k.ignored_masked);
  m[p + "ignored_while_crashed"] = double(k.ignored_while_crashed);
  m[p + "dropped_bufcnt"] = double(k.dropped_bufcnt);
  m[p + "replies"] = double(k.replies);
  m[p + "error_replies"] = double(k.error_replies);
  m[p + "announcements"] = double(k.announcements);
  m[p + "ata_commands"] = double(k.ata_commands);
  m[p + "ata_errors"] = double(k.ata_errors);
  m[p + "reserved_refusals"] = double(k.reserved_refusals);
  m[p + "sectors_read"] = double(k.sectors_read);
  m[p + "sectors_written"] = double(k.sectors_written);
  m[p + "flushes"] = double(k.flushes);
  m[p + "crashes"] = double(k.crashes);
  m[p + "dirty_sectors"] = double(target.dirty_sectors());
}

void add_fault_metrics(std::map<std::string, double>& m, const std::vector<FaultSummary>& faults) {
  for (std::size_t i = 0; i < faults.size(); ++i)
    for (const auto& [k, v] : faults[i].stats) m["fault." + std::to_string(i) + "." + k] = double(v);
}

}  // namespace aoeh::faults
