#include "sim/simulator.hpp"

#include <cstring>
#include <stdexcept>

namespace aoeh::sim {
namespace {
// The MAC as a 48-bit key (byte order is irrelevant: the table only hashes and compares keys).
std::uint64_t mac_at(std::span<const std::uint8_t> frame, std::size_t offset) {
  std::uint64_t v = 0;
  std::memcpy(&v, frame.data() + offset, 6);
  return v;
}
}  // namespace

bool Host::transmit(std::uint32_t port, std::span<const std::uint8_t> frame) {
  if (runtime_) [[unlikely]]
    return runtime_->send(port, frame);
  return sim_->send(nics_.at(port), frame);
}

void Host::wake_at(Nanos time) {
  if (runtime_) [[unlikely]]
    return runtime_->set_timer(time);
  sim_->set_timer(id_, time);
}

Nanos Host::now() const { return runtime_ ? runtime_->now() : sim_->now(); }

void Host::at(Nanos time, std::function<void()> action) {
  if (runtime_) return runtime_->at(time, std::move(action));
  sim_->at(time, std::move(action));
}

Simulator::Simulator(std::uint64_t seed) : seed_(seed) {}
Simulator::~Simulator() = default;

// ---------------------------------------------------------------- construction

HostId Simulator::add_host(std::unique_ptr<Host> host) {
  if (!host) throw std::invalid_argument("add_host: null host");
  const HostId id = static_cast<HostId>(hosts_.size());
  host->sim_ = this;
  host->id_ = id;
  hosts_.push_back(HostSlot{std::move(host)});
  if (started_) hosts_[id].host->start(now());
  return id;
}

HostId Simulator::add_host(std::unique_ptr<Host> host, const std::vector<NicConfig>& nics) {
  // NICs first, so the host sees them all when it starts.
  if (!host) throw std::invalid_argument("add_host: null host");
  const HostId id = static_cast<HostId>(hosts_.size());
  host->sim_ = this;
  host->id_ = id;
  hosts_.push_back(HostSlot{std::move(host)});
  for (const auto& n : nics) add_nic(id, n);
  if (started_) hosts_[id].host->start(now());
  return id;
}

NicId Simulator::add_nic(HostId host, NicConfig config) {
  const NicId id = static_cast<NicId>(nics_.size());
  NicState n;
  n.config = std::move(config);
  n.host = host;
  n.port = static_cast<std::uint32_t>(hosts_.at(host).host->nics_.size());
  nics_.push_back(std::move(n));
  hosts_[host].host->nics_.push_back(id);
  return id;
}

SwitchId Simulator::add_switch(SwitchConfig config) {
  switches_.push_back(Switch{std::move(config), {}, {}});
  return static_cast<SwitchId>(switches_.size() - 1);
}

std::uint32_t Simulator::add_switch_port(SwitchId sw, std::uint32_t mtu) {
  auto& ports = switches_.at(sw).ports;
  ports.push_back(SwitchPort{});
  ports.back().mtu = mtu;
  return static_cast<std::uint32_t>(ports.size() - 1);
}

LinkId Simulator::new_link(Endpoint a, Endpoint b, const LinkConfig& config) {
  const LinkId id = static_cast<LinkId>(links_.size());
  links_.emplace_back();
  Link& l = links_.back();
  l.config = config;
  l.dirs[0].to = b;  // AtoB lands on b
  l.dirs[1].to = a;
  auto attach = [&](const Endpoint& e, Direction out) {
    if (e.kind == Endpoint::Kind::Nic) {
      NicState& n = nics_[e.id];
      n.cabled = true;
      n.link = id;
      n.out = out;
    } else {
      SwitchPort& p = switches_[e.id].ports[e.port];
      p.connected = true;
      p.link = id;
      p.out = out;
    }
  };
  attach(a, Direction::AtoB);
  attach(b, Direction::BtoA);
  return id;
}

LinkId Simulator::connect(NicId nic, SwitchId sw, std::uint32_t port_mtu, LinkConfig config) {
  if (nics_.at(nic).cabled) throw std::logic_error("connect: NIC " + nics_[nic].config.name + " already cabled");
  const std::uint32_t port = add_switch_port(sw, port_mtu);
  return new_link({Endpoint::Kind::Nic, nic, 0}, {Endpoint::Kind::SwitchPort, sw, port}, config);
}

LinkId Simulator::connect_switches(SwitchId a, std::uint32_t mtu_a, SwitchId b, std::uint32_t mtu_b,
                                   LinkConfig config) {
  const std::uint32_t pa = add_switch_port(a, mtu_a);
  const std::uint32_t pb = add_switch_port(b, mtu_b);
  return new_link({Endpoint::Kind::SwitchPort, a, pa}, {Endpoint::Kind::SwitchPort, b, pb}, config);
}

LinkId Simulator::connect_nics(NicId a, NicId b, LinkConfig config) {
  if (nics_.at(a).cabled || nics_.at(b).cabled) throw std::logic_error("connect_nics: NIC already cabled");
  return new_link({Endpoint::Kind::Nic, a, 0}, {Endpoint::Kind::Nic, b, 0}, config);
}

// ---------------------------------------------------------------- running

void Simulator::start() {
  if (started_) return;
  started_ = true;
  for (auto& h : hosts_) h.host->start(now());
}

void Simulator::at(Nanos time, std::function<void()> action) {
  std::uint32_t slot;
  if (!free_actions_.empty()) {
    slot = free_actions_.back();
    free_actions_.pop_back();
    actions_[slot] = std::move(action);
  } else {
    slot = static_cast<std::uint32_t>(actions_.size());
    actions_.push_back(std::move(action));
  }
  scheduler_.schedule(EventKind::Action, time, slot);
}

void Simulator::set_timer(HostId host, Nanos time) {
  HostSlot& h = hosts_[host];
  h.wanted = time;
  // Only an earlier wish needs a new event; a later one is honoured when the armed event fires.
  if (time < h.armed) {
    h.armed = time < now() ? now() : time;
    scheduler_.schedule(EventKind::HostTimer, h.armed, host);
  }
}

void Simulator::dispatch(const Event& e) {
  const EventKind kind = e.kind();
  scheduler_.fold_event(e, kind == EventKind::FrameArrival ? pool_.hash(e.frame) : 0);
  switch (kind) {
    case EventKind::FrameArrival:
      deliver(e.subject, e.frame);
      break;
    case EventKind::HostTimer: {
      HostSlot& h = hosts_[e.subject];
      if (e.time != h.armed) break;  // superseded by an earlier wish that has already fired
      h.armed = kNever;
      if (h.wanted <= e.time) {
        h.wanted = kNever;
        h.host->timer(e.time);
      } else if (h.wanted != kNever) {
        h.armed = h.wanted;
        scheduler_.schedule(EventKind::HostTimer, h.armed, e.subject);
      }
      break;
    }
    case EventKind::Action: {
      auto action = std::move(actions_[e.subject]);
      actions_[e.subject] = nullptr;
      free_actions_.push_back(e.subject);
      action();
      break;
    }
  }
}

// ---------------------------------------------------------------- frames

bool Simulator::send(NicId nic, std::span<const std::uint8_t> frame) {
  NicState& n = nics_[nic];
  if (!n.config.up) return ++n.counters.tx_dropped_down, false;
  if (frame.size() < kEthernetHeader) return ++n.counters.tx_dropped_runt, false;
  if (frame.size() > std::size_t{n.config.mtu} + kEthernetHeader || frame.size() > FramePool::kMaxFrame)
    return ++n.counters.tx_dropped_mtu, false;
  if (!n.cabled) return ++n.counters.tx_unconnected, false;
  ++n.counters.tx_frames;
  n.counters.tx_bytes += frame.size();
  const FrameHandle h = pool_.create(frame);
  if (!n.taps.empty()) capture(n.taps, h);
  link_transmit(n.link, n.out, h, now());
  return true;
}

void Simulator::link_transmit(LinkId link, Direction dir, FrameHandle frame, Nanos ready) {
  Link& l = links_[link];
  LinkDir& d = l.dirs[int(dir)];
  if (!l.up) {
    ++d.counters.down_drops;
    pool_.unref(frame);
    return;
  }
  Nanos extra = 0;
  int duplicates = 0;
  Nanos duplicate_after[ImpairContext::kMaxDuplicates];
  if (!d.impairments.empty()) {
    ImpairContext ctx(pool_, frame, ready, link, dir);
    for (auto& imp : d.impairments) {
      imp->on_frame(ctx);
      if (ctx.dropped()) break;
    }
    if (ctx.dropped()) {
      ++d.counters.impairment_drops;
      pool_.unref(frame);
      return;
    }
    if (ctx.edited()) {
      pool_.rehash(frame);
      ++d.counters.edited;
    }
    extra = ctx.delay();
    duplicates = ctx.duplicates();
    for (int i = 0; i < duplicates; ++i) duplicate_after[i] = ctx.duplicate_after(i);
  }
  const std::size_t length = pool_.size(frame);
  const Nanos finish = d.tx.admit(ready, length, l.config);
  if (finish < 0) {
    ++d.counters.queue_drops;
    pool_.unref(frame);
    return;
  }
  ++d.counters.frames;
  d.counters.bytes += length;
  if (d.tx.queued() > d.counters.max_queue) d.counters.max_queue = d.tx.queued();
  const Nanos arrival = finish + l.config.propagation + extra;
  const std::uint32_t subject = link * 2 + static_cast<std::uint32_t>(dir);
  for (int i = 0; i < duplicates; ++i) {
    pool_.ref(frame);
    ++d.counters.duplicates;
    scheduler_.schedule(EventKind::FrameArrival, arrival + duplicate_after[i], subject, frame);
  }
  scheduler_.schedule(EventKind::FrameArrival, arrival, subject, frame);
}

void Simulator::deliver(std::uint32_t link_dir, FrameHandle frame) {
  LinkDir& d = links_[link_dir >> 1].dirs[link_dir & 1];
  ++d.counters.delivered;
  if (!d.taps.empty()) capture(d.taps, frame);
  const Endpoint to = d.to;
  if (to.kind == Endpoint::Kind::Nic) {
    nic_receive(to.id, frame);
  } else {
    switch_receive(to.id, to.port, frame);
  }
  pool_.unref(frame);
}

void Simulator::nic_receive(NicId nic, FrameHandle frame) {
  NicState& n = nics_[nic];
  const auto bytes = pool_.bytes(frame);
  if (!n.config.up) return void(++n.counters.rx_dropped_down);
  if (bytes.size() > std::size_t{n.config.mtu} + kEthernetHeader) return void(++n.counters.rx_dropped_mtu);
  if (bytes.size() < kEthernetHeader) return void(++n.counters.rx_filtered);
  if (!n.config.promiscuous && (bytes[0] & 1) == 0 && std::memcmp(bytes.data(), n.config.mac.bytes.data(), 6) != 0)
    return void(++n.counters.rx_filtered);
  ++n.counters.rx_frames;
  n.counters.rx_bytes += bytes.size();
  if (!n.taps.empty()) capture(n.taps, frame);
  hosts_[n.host].host->receive(n.port, bytes, now());
}

void Simulator::switch_receive(SwitchId sw, std::uint32_t in, FrameHandle frame) {
  Switch& s = switches_[sw];
  s.ports[in].counters.rx_frames++;
  const auto bytes = pool_.bytes(frame);
  if (bytes.size() < kEthernetHeader) return void(++s.ports[in].counters.runts);
  if ((bytes[6] & 1) == 0) s.table.learn(mac_at(bytes, 6), in);
  const std::uint32_t out = (bytes[0] & 1) ? MacTable::kUnknown : s.table.find(mac_at(bytes, 0));
  const Nanos ready = now() + s.config.forwarding_delay;
  const std::size_t payload = bytes.size() - kEthernetHeader;
  auto egress = [&](std::uint32_t p, bool flood) {
    SwitchPort& port = s.ports[p];
    if (!port.connected) return;
    if (payload > port.mtu) return void(++port.counters.mtu_drops);
    ++port.counters.tx_frames;
    if (flood) ++port.counters.flooded;
    pool_.ref(frame);
    link_transmit(port.link, port.out, frame, ready);
  };
  if (out == MacTable::kUnknown) {
    for (std::uint32_t p = 0; p < s.ports.size(); ++p)
      if (p != in) egress(p, true);
  } else if (out == in) {
    ++s.ports[in].counters.filtered;
  } else {
    egress(out, false);
  }
}

// ---------------------------------------------------------------- control

void Simulator::set_nic_up(NicId nic, bool up) {
  NicState& n = nics_.at(nic);
  if (n.config.up == up) return;
  n.config.up = up;
  hosts_[n.host].host->port_changed(n.port, up, n.config.mtu, now());
}

void Simulator::set_nic_mtu(NicId nic, std::uint32_t mtu) {
  NicState& n = nics_.at(nic);
  if (n.config.mtu == mtu) return;
  n.config.mtu = mtu;
  hosts_[n.host].host->port_changed(n.port, n.config.up, mtu, now());
}

void Simulator::set_nic_mac(NicId nic, const proto::MacAddress& mac) { nics_.at(nic).config.mac = mac; }

void Simulator::set_switch_port_mtu(SwitchId sw, std::uint32_t port, std::uint32_t mtu) {
  switches_.at(sw).ports.at(port).mtu = mtu;
}

void Simulator::set_link_up(LinkId link, bool up) { links_.at(link).up = up; }

void Simulator::add_impairment(LinkId link, Direction dir, std::unique_ptr<Impairment> impairment) {
  if (!impairment) throw std::invalid_argument("add_impairment: null impairment");
  links_.at(link).dirs[int(dir)].impairments.push_back(std::move(impairment));
}

void Simulator::clear_impairments(LinkId link, Direction dir) { links_.at(link).dirs[int(dir)].impairments.clear(); }

// ---------------------------------------------------------------- capture

std::optional<CaptureId> Simulator::open_capture(const std::string& path, std::string* error) {
  auto writer = proto::PcapWriter::create(path, error);
  if (!writer) return std::nullopt;
  captures_.push_back(std::move(*writer));
  return static_cast<CaptureId>(captures_.size() - 1);
}

void Simulator::tap_nic(NicId nic, CaptureId capture) { nics_.at(nic).taps.push_back(capture); }

void Simulator::tap_link(LinkId link, Direction dir, CaptureId capture) {
  links_.at(link).dirs[int(dir)].taps.push_back(capture);
}

void Simulator::flush_captures() {
  for (auto& c : captures_) c.flush();
}

void Simulator::capture(const std::vector<CaptureId>& taps, FrameHandle frame) {
  for (CaptureId c : taps) captures_[c].write(now(), pool_.bytes(frame));
}

// ---------------------------------------------------------------- introspection

std::optional<NicId> Simulator::find_nic(std::string_view name) const {
  for (NicId i = 0; i < nics_.size(); ++i)
    if (nics_[i].config.name == name) return i;
  return std::nullopt;
}

std::optional<std::pair<LinkId, Direction>> Simulator::nic_link(NicId nic) const {
  const NicState& n = nics_.at(nic);
  if (!n.cabled) return std::nullopt;
  return std::make_pair(n.link, n.out);
}

}  // namespace aoeh::sim
