#pragma once
// The sans-IO AoE initiator engine. No sockets, clocks, threads or globals: a driver feeds it frames
// and time and drains transmits and events. The same object runs in sim/, sim/ns3/ and live/.
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "initiator/types.hpp"

namespace aoeh::initiator {

struct EngineConfig {
  std::vector<PortConfig> ports;            // the allow-list (aoe_iflist): nothing else is used
  Nanos discover_interval = 60 * kSecond;   // periodic broadcast Query Config
  Nanos dead_after = 180 * kSecond;         // aoe_deadsecs; 0 = never
  std::uint32_t max_outstanding_per_path = 64;  // aoe_maxout; also capped by the path's bufcnt
  Nanos rto_initial = 200 * kMillisecond;   // before any RTT sample
  Nanos rto_min = 1 * kMillisecond;
  Nanos rto_max = 5 * kSecond;
  Nanos path_unhealthy_after = 10 * kSecond;  // unanswered that long: probe, prefer other paths
  std::uint32_t device_unavailable_retries = 3; // AoE Error 3 retried this often, then failed
  std::uint32_t max_request_sectors = 65536;    // 32 MiB per request
  bool payload_fallback = true;             // MTU-mismatch fallback to 2-sector frames
  // Consecutive timeouts of large frames on a path, while small exchanges succeed, before that
  // path falls back to 2-sector frames.
  std::uint32_t fallback_after_timeouts = 4;
  Nanos fallback_after = 100 * kMillisecond;  // ... and for at least this long (and 4 RTO)
  Nanos probe_interval = 1 * kSecond;        // Query Config probes of an unhealthy path
  std::uint32_t max_devices = 16384;         // bounded memory under a flood of announcements
  std::uint32_t max_paths_per_device = 8;    // further answering MACs are ignored
};

class Engine {
 public:
  explicit Engine(EngineConfig config);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  Engine(Engine&&) noexcept;
  Engine& operator=(Engine&&) noexcept;

  // ---- inputs ----
  // Starts the engine: first discovery broadcast on every allowed, up port.
  void start(Nanos now);
  void handle_frame(PortId port, std::span<const std::uint8_t> frame, Nanos now);
  void handle_timeout(Nanos now);
  void discover(Nanos now);
  void revalidate(DeviceAddress device, Nanos now);
  void open(DeviceAddress device, Nanos now);
  void close(DeviceAddress device, Nanos now);
  void set_port(PortId port, bool up, std::uint32_t mtu, Nanos now);
  SubmitResult submit(DeviceAddress device, const IoRequest& request, Nanos now);

  // ---- outputs ----
  std::optional<Transmit> poll_transmit();
  std::optional<Event> poll_event();
  Nanos next_timeout() const;  // absolute time of the next handle_timeout, or kNever

  // ---- introspection (allocates: not for hot paths) ----
  std::vector<DeviceInfo> devices() const;
  std::optional<DeviceInfo> device(DeviceAddress address) const;
  const Counters& counters() const;
  const EngineConfig& config() const;
  // Checks the engine's internal invariants (unique outstanding tags, windows within their caps,
  // per-request and per-path frame accounting). Returns "" or a description of the first
  // violation. O(frames + devices); for tests and fuzzers.
  std::string check_invariants() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace aoeh::initiator
