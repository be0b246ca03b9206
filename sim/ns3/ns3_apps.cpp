#include "sim/ns3/ns3_apps.hpp"

#include <ns3/mac48-address.h>
#include <ns3/node.h>
#include <ns3/nstime.h>
#include <ns3/simulator.h>

#include <algorithm>

namespace aoeh::sim::ns3app {

namespace {
constexpr std::size_t kEthernetHeader = 14;
constexpr std::size_t kMaxFrame = 9216 + kEthernetHeader;
}  // namespace

Nanos ns3_now() { return ns3::Simulator::Now().GetNanoSeconds(); }

ns3::TypeId AoeApp::GetTypeId() {
  static ns3::TypeId tid = ns3::TypeId("aoeh::AoeApp").SetParent<ns3::Application>().SetGroupName("aoeh");
  return tid;
}

void AoeApp::add_port(ns3::Ptr<ns3::NetDevice> device) {
  ports_.push_back(device);
  // Promiscuous registration so the handler sees the real destination (broadcast or ours);
  // frames for other hosts are dropped in receive().
  GetNode()->RegisterProtocolHandler(ns3::MakeCallback(&AoeApp::receive, this), kAoeEthertype, device, true);
  rx_.reserve(kMaxFrame);
}

void AoeApp::DoDispose() {
  ns3::Simulator::Cancel(timer_);
  ports_.clear();
  ns3::Application::DoDispose();
}

void AoeApp::receive(ns3::Ptr<ns3::NetDevice> device, ns3::Ptr<const ns3::Packet> packet, std::uint16_t protocol,
                     const ns3::Address& from, const ns3::Address& to, ns3::NetDevice::PacketType type) {
  if (type == ns3::NetDevice::PACKET_OTHERHOST || protocol != kAoeEthertype) return;
  const auto it = std::find(ports_.begin(), ports_.end(), device);
  if (it == ports_.end()) return;
  const std::uint32_t size = packet->GetSize();
  if (size + kEthernetHeader > kMaxFrame) return;
  rx_.resize(kEthernetHeader + size);
  ns3::Mac48Address::ConvertFrom(to).CopyTo(rx_.data());
  ns3::Mac48Address::ConvertFrom(from).CopyTo(rx_.data() + 6);
  rx_[12] = static_cast<std::uint8_t>(protocol >> 8);
  rx_[13] = static_cast<std::uint8_t>(protocol & 0xFF);
  packet->CopyData(rx_.data() + kEthernetHeader, size);
  const Nanos now = ns3_now();
  if (capture_) capture_->write(now, rx_);
  on_frame(static_cast<std::uint32_t>(it - ports_.begin()), rx_, now);
}

bool AoeApp::transmit(std::uint32_t port, std::span<const std::uint8_t> frame) {
  if (port >= ports_.size() || frame.size() < kEthernetHeader) return ++tx_refused_, false;
  ns3::Mac48Address dst;
  dst.CopyFrom(frame.data());
  const std::uint16_t protocol = static_cast<std::uint16_t>((frame[12] << 8) | frame[13]);
  auto packet = ns3::Create<ns3::Packet>(frame.data() + kEthernetHeader,
                                         static_cast<std::uint32_t>(frame.size() - kEthernetHeader));
  // SimpleNetDevice refuses frames over its MTU or when its queue is full, like a NIC.
  if (!ports_[port]->Send(packet, dst, protocol)) return ++tx_refused_, false;
  if (capture_) capture_->write(ns3_now(), frame);
  return true;
}

void AoeApp::wake_at(Nanos time) {
  if (time == armed_ && timer_.IsRunning()) return;
  ns3::Simulator::Cancel(timer_);
  armed_ = time;
  if (time == initiator::kNever) return;
  const Nanos delay = std::max<Nanos>(0, time - ns3_now());
  timer_ = ns3::Simulator::Schedule(ns3::NanoSeconds(delay), &AoeApp::fire, this);
}

void AoeApp::fire() {
  armed_ = initiator::kNever;
  on_timer(ns3_now());
}

// --- the initiator engine ---

ns3::TypeId EngineApp::GetTypeId() {
  static ns3::TypeId tid = ns3::TypeId("aoeh::EngineApp").SetParent<AoeApp>().SetGroupName("aoeh");
  return tid;
}

void EngineApp::pump() {
  // Same shape as sim::EngineHost::pump: a handler that submits re-enters; the outer loop drains.
  if (pumping_) {
    again_ = true;
    return;
  }
  pumping_ = true;
  do {
    again_ = false;
    while (auto t = engine_->poll_transmit()) transmit(t->port, t->frame);
    while (auto e = engine_->poll_event()) {
      if (keep_log_) log_.push_back(*e);
      if (handler_) handler_(*e);
    }
  } while (again_);
  pumping_ = false;
  wake_at(engine_->next_timeout());
  if (after_pump_) after_pump_();
}

initiator::SubmitResult EngineApp::submit(proto::DeviceAddress device, const initiator::IoRequest& request) {
  auto r = engine_->submit(device, request, ns3_now());
  pump();
  return r;
}

void EngineApp::on_start(Nanos now) {
  engine_->start(now);
  pump();
}

void EngineApp::on_frame(std::uint32_t port, std::span<const std::uint8_t> frame, Nanos now) {
  engine_->handle_frame(static_cast<initiator::PortId>(port), frame, now);
  pump();
}

void EngineApp::on_timer(Nanos now) {
  engine_->handle_timeout(now);
  pump();
}

// --- the reference target ---

ns3::TypeId TargetApp::GetTypeId() {
  static ns3::TypeId tid = ns3::TypeId("aoeh::TargetApp").SetParent<AoeApp>().SetGroupName("aoeh");
  return tid;
}

void TargetApp::drain() {
  while (auto t = target_->poll_transmit()) transmit(static_cast<std::uint32_t>(t->port_index), t->frame);
  wake_at(target_->next_timeout());
}

void TargetApp::on_start(Nanos now) {
  target_->start(now);
  drain();
}

void TargetApp::on_frame(std::uint32_t port, std::span<const std::uint8_t> frame, Nanos now) {
  target_->handle_frame(port, frame, now);
  drain();
}

void TargetApp::on_timer(Nanos now) {
  target_->handle_timeout(now);
  drain();
}

}  // namespace aoeh::sim::ns3app
