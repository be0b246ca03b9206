#include "sim/ns3/host_app.hpp"

#include <ns3/data-rate.h>
#include <ns3/drop-tail-queue.h>
#include <ns3/mac48-address.h>
#include <ns3/node.h>
#include <ns3/nstime.h>
#include <ns3/queue-size.h>
#include <ns3/simulator.h>

#include <algorithm>
#include <atomic>

namespace aoeh::sim::ns3app {

namespace {
constexpr std::size_t kMaxFrame = 65535 + kEthernetHeader;
constexpr std::uint16_t kAoeEthertype = 0x88A2;
std::atomic<bool> g_ns3_claimed{false};
}  // namespace

bool claim_ns3() { return !g_ns3_claimed.exchange(true); }
void release_ns3() { g_ns3_claimed = false; }

ns3::Ptr<HostApp> add_host_node(std::vector<ns3::Ptr<ns3::Node>>& nodes, std::unique_ptr<Host> host) {
  auto node = ns3::CreateObject<ns3::Node>();
  nodes.push_back(node);
  auto app = ns3::CreateObject<HostApp>();
  app->set_host(std::move(host));
  node->AddApplication(app);
  return app;
}

ns3::Ptr<ns3::SimpleNetDevice> make_device(std::uint64_t bits_per_second, std::uint32_t queue, std::uint16_t mtu) {
  auto d = ns3::CreateObject<ns3::SimpleNetDevice>();
  d->SetMtu(mtu);
  if (bits_per_second > 0) d->SetAttribute("DataRate", ns3::DataRateValue(ns3::DataRate(bits_per_second)));
  auto q = ns3::CreateObject<ns3::DropTailQueue<ns3::Packet>>();
  q->SetMaxSize(ns3::QueueSize(ns3::QueueSizeUnit::PACKETS, std::max<std::uint32_t>(1, queue)));
  d->SetQueue(q);
  return d;
}

ns3::Ptr<ns3::UniformRandomVariable> fixed_stream(std::int64_t number) {
  auto v = ns3::CreateObject<ns3::UniformRandomVariable>();
  v->SetStream(number);
  return v;
}

ns3::TypeId HostApp::GetTypeId() {
  static ns3::TypeId tid = ns3::TypeId("aoeh::HostApp").SetParent<ns3::Application>().SetGroupName("aoeh");
  return tid;
}

void HostApp::set_host(std::unique_ptr<Host> host) {
  host_ = std::move(host);
  host_->attach(this);
}

void HostApp::add_port(ns3::Ptr<ns3::NetDevice> device, std::uint32_t mtu) {
  Port p;
  p.device = device;
  p.mtu = mtu;
  ports_.push_back(p);
  // Promiscuous, so the handler sees the destination class: frames the bridge floods to this
  // cable for other hosts are counted as filtered, as the in-process NIC does.
  GetNode()->RegisterProtocolHandler(ns3::MakeCallback(&HostApp::receive, this), kAoeEthertype, device, true);
  rx_.reserve(9000 + kEthernetHeader);
}

void HostApp::DoDispose() {
  ns3::Simulator::Cancel(timer_);
  ports_.clear();
  host_.reset();
  ns3::Application::DoDispose();
}

void HostApp::StartApplication() { host_->start(now()); }

Nanos HostApp::now() const { return ns3::Simulator::Now().GetNanoSeconds(); }

void HostApp::at(Nanos time, std::function<void()> action) {
  ns3::Simulator::Schedule(ns3::NanoSeconds(std::max<Nanos>(0, time - now())), [this, a = std::move(action)] {
    a();
    if (after_call_) after_call_();
  });
}

void HostApp::set_port_up(std::uint32_t port, bool up) {
  Port& p = ports_.at(port);
  if (p.up == up) return;
  p.up = up;
  host_->port_changed(port, up, p.mtu, now());
}

void HostApp::set_port_mtu(std::uint32_t port, std::uint32_t mtu) {
  Port& p = ports_.at(port);
  if (p.mtu == mtu) return;
  p.mtu = mtu;
  host_->port_changed(port, p.up, mtu, now());
}

void HostApp::set_port_mac(std::uint32_t port, const proto::MacAddress& mac) {
  ns3::Mac48Address a;
  a.CopyFrom(mac.bytes.data());
  ports_.at(port).device->SetAddress(a);
}

void HostApp::receive(ns3::Ptr<ns3::NetDevice> device, ns3::Ptr<const ns3::Packet> packet, std::uint16_t protocol,
                      const ns3::Address& from, const ns3::Address& to, ns3::NetDevice::PacketType type) {
  if (protocol != kAoeEthertype) return;
  const auto it = std::find_if(ports_.begin(), ports_.end(), [&](const Port& p) { return p.device == device; });
  if (it == ports_.end()) return;
  Port& p = *it;
  if (type == ns3::NetDevice::PACKET_OTHERHOST) {
    ++p.counters.rx_filtered;
    return;
  }
  const std::uint32_t size = packet->GetSize();
  if (!p.up) {
    ++p.counters.rx_dropped_down;
    return;
  }
  if (size > p.mtu || size + kEthernetHeader > kMaxFrame) {
    ++p.counters.rx_dropped_mtu;
    return;
  }
  rx_.resize(kEthernetHeader + size);
  ns3::Mac48Address::ConvertFrom(to).CopyTo(rx_.data());
  ns3::Mac48Address::ConvertFrom(from).CopyTo(rx_.data() + 6);
  rx_[12] = static_cast<std::uint8_t>(protocol >> 8);
  rx_[13] = static_cast<std::uint8_t>(protocol & 0xFF);
  packet->CopyData(rx_.data() + kEthernetHeader, size);
  ++p.counters.rx_frames;
  p.counters.rx_bytes += rx_.size();
  const Nanos t = now();
  if (p.capture) p.capture->write(t, rx_);
  host_->receive(static_cast<std::uint32_t>(it - ports_.begin()), rx_, t);
}

bool HostApp::send(std::uint32_t port, std::span<const std::uint8_t> frame) {
  Port& p = ports_.at(port);
  if (frame.size() < kEthernetHeader) return ++p.counters.tx_dropped_runt, false;
  if (!p.up) return ++p.counters.tx_dropped_down, false;
  if (frame.size() - kEthernetHeader > p.mtu) return ++p.counters.tx_dropped_mtu, false;
  ns3::Mac48Address dst, src;
  dst.CopyFrom(frame.data());
  src.CopyFrom(frame.data() + 6);
  const std::uint16_t protocol = static_cast<std::uint16_t>((frame[12] << 8) | frame[13]);
  auto packet = ns3::Create<ns3::Packet>(frame.data() + kEthernetHeader,
                                         static_cast<std::uint32_t>(frame.size() - kEthernetHeader));
  // SendFrom keeps the frame's own source MAC (a host may speak for another, e.g. a MAC change).
  ++p.counters.tx_frames;
  // A full device queue drops the frame: on the link, as in-process (the NIC accepted it), where
  // the device's queue counts it.
  p.device->SendFrom(packet, src, dst, protocol);
  p.counters.tx_bytes += frame.size();
  if (p.capture) p.capture->write(now(), frame);
  return true;
}

void HostApp::set_timer(Nanos time) {
  if (time == armed_ && timer_.IsRunning()) return;
  ns3::Simulator::Cancel(timer_);
  armed_ = time;
  if (time == kNever) return;
  timer_ = ns3::Simulator::Schedule(ns3::NanoSeconds(std::max<Nanos>(0, time - now())), &HostApp::fire, this);
}

void HostApp::fire() {
  armed_ = kNever;
  host_->timer(now());
}

}  // namespace aoeh::sim::ns3app
