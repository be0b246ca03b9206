#pragma once
// The deterministic discrete-event world: one scheduler, one frame pool, and the hosts, NICs,
// links and switches that make up a network. Nothing here reads a clock or unseeded randomness;
// the same construction and seed always give the same event sequence (see event_hash()).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/pcap_file.hpp"
#include "sim/frame_pool.hpp"
#include "sim/host.hpp"
#include "sim/impairment.hpp"
#include "sim/link.hpp"
#include "sim/nic.hpp"
#include "sim/rng.hpp"
#include "sim/scheduler.hpp"
#include "sim/switch.hpp"

namespace aoeh::sim {

using CaptureId = std::uint32_t;

class Simulator {
 public:
  explicit Simulator(std::uint64_t seed = 1);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  // ---- construction ----
  HostId add_host(std::unique_ptr<Host> host);
  // Adds a host together with its NICs (NIC k becomes the host's port k).
  HostId add_host(std::unique_ptr<Host> host, const std::vector<NicConfig>& nics);
  NicId add_nic(HostId host, NicConfig config);
  SwitchId add_switch(SwitchConfig config);
  // A cable from a NIC to a new port (of MTU `port_mtu`) on `sw`. Direction AtoB is NIC -> switch.
  LinkId connect(NicId nic, SwitchId sw, std::uint32_t port_mtu, LinkConfig config = {});
  // A cable between new ports on two switches. AtoB is a -> b.
  LinkId connect_switches(SwitchId a, std::uint32_t mtu_a, SwitchId b, std::uint32_t mtu_b, LinkConfig config = {});
  // A direct cable between two NICs. AtoB is a -> b.
  LinkId connect_nics(NicId a, NicId b, LinkConfig config = {});

  // ---- running ----
  // Starts every host (in id order); run_* call it implicitly.
  void start();
  // Processes events until `done()` holds (checked before the first and after every event) or
  // until the next event lies beyond `deadline`; then the clock stands at `deadline`.
  template <class Done>
  bool run_until(Done&& done, Nanos deadline) {
    if (!started_) start();
    if (done()) return true;
    Event e;
    while (scheduler_.pop_due(deadline, e)) {
      dispatch(e);
      if (done()) return true;
    }
    if (deadline != kNever) scheduler_.advance_to(deadline);
    return false;
  }
  void run_until_time(Nanos time) {
    run_until([] { return false; }, time);
  }
  void run_for(Nanos duration) { run_until_time(now() + duration); }
  // Runs until no event is pending (beware of hosts with periodic timers) or `deadline`.
  bool run_until_idle(Nanos deadline = kNever) {
    return run_until([this] { return scheduler_.empty(); }, deadline);
  }
  // Calls `action` at `time` (for scripted faults and scenario steps; allocates).
  void at(Nanos time, std::function<void()> action);

  Nanos now() const { return scheduler_.now(); }
  std::uint64_t seed() const { return seed_; }
  std::uint64_t event_hash() const { return scheduler_.hash(); }
  std::uint64_t events_processed() const { return scheduler_.processed(); }
  std::size_t events_pending() const { return scheduler_.pending(); }
  // The random stream of a named component (e.g. "loss:link3:ab"), independent of all others.
  Rng rng(std::string_view component) const { return Rng::stream(seed_, component); }

  // ---- frames ----
  // Sends from `nic` now. False when the NIC refused it (down, oversize (MTU or 64 KiB), runt,
  // unconnected); each refusal is counted in the NIC's counters.
  bool send(NicId nic, std::span<const std::uint8_t> frame);
  // Asks for host->timer() at `time`; the latest request wins, kNever cancels.
  void set_timer(HostId host, Nanos time);

  // ---- control ----
  void set_nic_up(NicId nic, bool up);
  void set_nic_mtu(NicId nic, std::uint32_t mtu);
  // A new MAC (e.g. a replaced card); the host keeps its own idea of its address, so tell it too.
  void set_nic_mac(NicId nic, const proto::MacAddress& mac);
  void set_switch_port_mtu(SwitchId sw, std::uint32_t port, std::uint32_t mtu);
  void set_link_up(LinkId link, bool up);  // a down link drops what is offered (in-flight frames still land)
  void add_impairment(LinkId link, Direction dir, std::unique_ptr<Impairment> impairment);
  void clear_impairments(LinkId link, Direction dir);

  // ---- capture (pcap, LINKTYPE_ETHERNET, simulated nanosecond timestamps) ----
  std::optional<CaptureId> open_capture(const std::string& path, std::string* error = nullptr);
  void tap_nic(NicId nic, CaptureId capture);                    // frames sent and received
  void tap_link(LinkId link, Direction dir, CaptureId capture);  // frames as they arrive
  void flush_captures();
  std::uint64_t frames_captured(CaptureId capture) const { return captures_[capture].frames_written(); }

  // ---- introspection ----
  std::size_t host_count() const { return hosts_.size(); }
  std::size_t nic_count() const { return nics_.size(); }
  std::size_t link_count() const { return links_.size(); }
  std::size_t switch_count() const { return switches_.size(); }
  Host& host(HostId id) const { return *hosts_[id].host; }
  const NicConfig& nic_config(NicId nic) const { return nics_[nic].config; }
  const NicCounters& nic_counters(NicId nic) const { return nics_[nic].counters; }
  HostId nic_host(NicId nic) const { return nics_[nic].host; }
  std::optional<NicId> find_nic(std::string_view name) const;
  // The link a NIC is cabled to and the direction the NIC transmits on.
  std::optional<std::pair<LinkId, Direction>> nic_link(NicId nic) const;
  const LinkConfig& link_config(LinkId link) const { return links_[link].config; }
  const LinkCounters& link_counters(LinkId link, Direction dir) const { return links_[link].dirs[int(dir)].counters; }
  const Switch& switch_at(SwitchId sw) const { return switches_[sw]; }
  const FramePool& frame_pool() const { return pool_; }

 private:
  struct Endpoint {
    enum class Kind : std::uint8_t { None, Nic, SwitchPort } kind = Kind::None;
    std::uint32_t id = 0;
    std::uint32_t port = 0;
  };
  struct LinkDir {
    Endpoint to;  // where frames in this direction arrive
    Transmitter tx;
    LinkCounters counters;
    std::vector<std::unique_ptr<Impairment>> impairments;
    std::vector<CaptureId> taps;
  };
  struct Link {
    LinkConfig config;
    bool up = true;
    LinkDir dirs[2];
  };
  struct NicState {
    NicConfig config;
    NicCounters counters;
    HostId host = 0;
    std::uint32_t port = 0;  // index in the host's NIC list
    bool cabled = false;
    LinkId link = 0;
    Direction out = Direction::AtoB;
    std::vector<CaptureId> taps;
  };
  struct HostSlot {
    std::unique_ptr<Host> host;
    Nanos armed = kNever;    // earliest timer event still in the queue for it
    Nanos wanted = kNever;   // what the host asked for
  };

  friend class Host;
  void dispatch(const Event& e);
  void deliver(std::uint32_t link_dir, FrameHandle frame);
  void nic_receive(NicId nic, FrameHandle frame);
  void switch_receive(SwitchId sw, std::uint32_t port, FrameHandle frame);
  // Puts one reference of `frame` onto a link direction at `ready`.
  void link_transmit(LinkId link, Direction dir, FrameHandle frame, Nanos ready);
  std::uint32_t add_switch_port(SwitchId sw, std::uint32_t mtu);
  LinkId new_link(Endpoint a, Endpoint b, const LinkConfig& config);
  void capture(const std::vector<CaptureId>& taps, FrameHandle frame);

  std::uint64_t seed_;
  bool started_ = false;
  Scheduler scheduler_;
  FramePool pool_;
  std::vector<HostSlot> hosts_;
  std::vector<NicState> nics_;
  std::vector<Link> links_;
  std::vector<Switch> switches_;
  std::vector<proto::PcapWriter> captures_;
  std::vector<std::function<void()>> actions_;
  std::vector<std::uint32_t> free_actions_;
};

}  // namespace aoeh::sim
