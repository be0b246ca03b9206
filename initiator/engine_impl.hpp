#pragma once
// Engine::Impl: the engine's state and the operations the input handlers share. Split over
// engine.cpp (public API, submit), scheduler.cpp (window filling, transmit encoding),
// receive.cpp (replies), discovery.cpp (Query Config, IDENTIFY, revalidate, open/close),
// timers.cpp (timeouts, health, dead devices), introspection.cpp and invariants.cpp.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "initiator/device_table.hpp"
#include "initiator/engine.hpp"
#include "initiator/frame_pool.hpp"
#include "initiator/ring.hpp"
#include "protocol/frame.hpp"

namespace aoeh::initiator {

// An ATA frame to encode when the driver polls. It is encoded from its slot at poll time, so a
// slot cancelled or retransmitted meanwhile is simply skipped (its gen no longer matches).
struct AtaTx {
  std::uint32_t slot = 0;
  std::uint32_t gen = 0;
};

// A Query Config to send (discovery, revalidate, probes). Kept apart from the ATA queue so the
// per-frame queue entry stays 8 bytes; Query Configs go out first when both are waiting.
struct ConfigTx {
  PortId port = 0;
  MacAddress dst;
  DeviceAddress address;
  std::uint32_t tag = 0;
};

struct PortState {
  PortConfig config;
};

struct Engine::Impl {
  explicit Impl(EngineConfig c);

  EngineConfig cfg;
  std::vector<PortState> ports;
  DeviceTable devices;
  FramePool frames;
  std::vector<Request> requests;
  std::vector<std::uint32_t> free_requests;
  RequestId next_request_id = 1;
  Ring<AtaTx> ata_tx{64};
  Ring<ConfigTx> config_tx{16};
  Ring<Event> events{64};
  std::array<std::uint8_t, proto::kMaxFrameSize> scratch{};
  Counters counters;
  Nanos next_discover = kNever;
  Nanos timer_hint = kNever;  // lower bound of the earliest pending deadline

  // ---- shared helpers ----
  void arm(Nanos t) {
    if (t < timer_hint) timer_hint = t;
  }
  void emit(const Event& e) { events.push_back(e); }
  Event& emit_slot() { return events.push_back_slot(); }  // built in place (per-frame completions)
  Event event(EventKind k, const Device& d, Nanos now) const;
  bool port_usable(PortId p) const { return p < ports.size() && ports[p].config.up; }
  Nanos path_rto(const Path& p) const { return p.rtt.rto(cfg.rto_initial, cfg.rto_min, cfg.rto_max); }
  std::uint32_t path_cap(const Path& p) const;
  void refresh_path(Path& p);  // payload and window cap from its facts and ports
  void after_input();          // invariant checks in checked builds

  // ---- discovery.cpp ----
  void discover_all(Nanos now);
  void send_query_config(PortId port, const MacAddress& dst, DeviceAddress address, std::uint32_t tag);
  void probe_path(Device& d, Path& p, Nanos now);
  void on_config(PortId port, const proto::Header& h, const proto::QueryConfigArg& q, Nanos now);
  void start_identify(Device& d, Nanos now);
  void on_identified(Device& d, std::span<const std::uint8_t> page, Nanos now);
  void identify_failed(Device& d, const Event& why, Nanos now);
  void revalidate(Device& d, Nanos now);
  void close(Device& d, Nanos now);

  // ---- scheduler.cpp ----
  SubmitResult submit(DeviceAddress address, const IoRequest& r, Nanos now);
  void pump(Device& d, Nanos now);
  int pick_path(Device& d, int avoid);
  int pick_way(Path& p, int avoid);
  void transmit(std::uint32_t slot, Device& d, int path, int way, Nanos now);
  void split_for_payload(std::uint32_t slot, Device& d, std::uint32_t payload);
  std::optional<Transmit> poll_transmit();

  // ---- receive.cpp ----
  void on_frame(PortId port, std::span<const std::uint8_t> bytes, Nanos now);
  bool accept_reply(PortId port, const proto::Header& h);
  void on_ata(PortId port, const proto::Header& h, const proto::AtaBody& body, Nanos now);
  void path_answered(Device& d, Path& p, PortId port, bool ata, Nanos now);
  void frame_done(std::uint32_t slot, Nanos now);  // success: frees the slot, completes the request
  void fail_frame(std::uint32_t slot, IoStatus status, std::uint8_t ata_status, std::uint8_t ata_error,
                  proto::AoeError aoe, Nanos now);
  void retire_frame(std::uint32_t slot, bool cancelled);  // frees a slot and its window/accounting
  void complete_request(std::uint32_t req, IoStatus status, std::uint8_t ata_status, std::uint8_t ata_error,
                        proto::AoeError aoe, Nanos now);
  void unqueue_request(Device& d, std::uint32_t req);
  // The direction (LargeRun::kOut / kIn) in which frame `f` carries more than 2 sectors, or -1.
  int large_direction(const Frame& f) const;
  void note_large_result(Device& d, Path& p, int direction, bool ok, Nanos now);
  void maybe_fallback(Device& d, Path& p, Nanos now);

  // ---- timers.cpp ----
  void handle_timeout(Nanos now);
  void frame_timed_out(std::uint32_t slot, Nanos now);
  void device_down(Device& d, Nanos now);

  // ---- invariants.cpp ----
  std::string check_invariants() const;

  // ---- introspection.cpp ----
  DeviceInfo info(const Device& d) const;
};

}  // namespace aoeh::initiator
