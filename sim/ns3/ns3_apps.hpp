#pragma once
// ns-3 applications hosting the sans-IO endpoints. AoeApp owns the ns-3 plumbing shared by both:
// it registers a 0x88A2 protocol handler per device, rebuilds the Ethernet II frame (ns-3 devices
// pass header fields separately), sends frames back out as packets, keeps a single timer event at
// the endpoint's next_timeout(), and optionally copies every frame to a pcap file.
// ns-3 internal: include only from sim/ns3/*.cpp.
#include <ns3/application.h>
#include <ns3/event-id.h>
#include <ns3/net-device.h>
#include <ns3/packet.h>

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "initiator/engine.hpp"
#include "protocol/pcap_file.hpp"
#include "sim/io_submitter.hpp"
#include "sim/target/target.hpp"

namespace aoeh::sim::ns3app {

using Nanos = initiator::Nanos;
inline constexpr std::uint16_t kAoeEthertype = 0x88A2;

Nanos ns3_now();

class AoeApp : public ns3::Application {
 public:
  static ns3::TypeId GetTypeId();
  // After the app is on its node: `device` becomes port number ports().size().
  void add_port(ns3::Ptr<ns3::NetDevice> device);
  void set_capture(proto::PcapWriter* capture) { capture_ = capture; }
  std::uint64_t tx_refused() const { return tx_refused_; }

 protected:
  bool transmit(std::uint32_t port, std::span<const std::uint8_t> frame);
  void wake_at(Nanos time);  // the latest request wins; kNever cancels
  virtual void on_start(Nanos now) = 0;
  virtual void on_frame(std::uint32_t port, std::span<const std::uint8_t> frame, Nanos now) = 0;
  virtual void on_timer(Nanos now) = 0;
  void DoDispose() override;

 private:
  void StartApplication() override { on_start(ns3_now()); }
  void StopApplication() override { wake_at(initiator::kNever); }
  void receive(ns3::Ptr<ns3::NetDevice> device, ns3::Ptr<const ns3::Packet> packet, std::uint16_t protocol,
               const ns3::Address& from, const ns3::Address& to, ns3::NetDevice::PacketType type);
  void fire();

  std::vector<ns3::Ptr<ns3::NetDevice>> ports_;
  std::vector<std::uint8_t> rx_;
  ns3::EventId timer_;
  Nanos armed_ = initiator::kNever;
  proto::PcapWriter* capture_ = nullptr;
  std::uint64_t tx_refused_ = 0;
};

class EngineApp final : public AoeApp, public IoSubmitter {
 public:
  static ns3::TypeId GetTypeId();
  void init(initiator::EngineConfig config) { engine_.emplace(std::move(config)); }
  initiator::Engine& engine() { return *engine_; }
  const initiator::Engine& engine() const { return *engine_; }

  initiator::SubmitResult submit(proto::DeviceAddress device, const initiator::IoRequest& request) override;
  void pump();
  using EventHandler = std::function<void(const initiator::Event&)>;
  void set_event_handler(EventHandler handler) { handler_ = std::move(handler); }
  // Called after every pump (the owner checks its stop condition here).
  void set_after_pump(std::function<void()> f) { after_pump_ = std::move(f); }
  const std::vector<initiator::Event>& log() const { return log_; }
  void set_keep_log(bool keep) { keep_log_ = keep; }

 private:
  void on_start(Nanos now) override;
  void on_frame(std::uint32_t port, std::span<const std::uint8_t> frame, Nanos now) override;
  void on_timer(Nanos now) override;

  std::optional<initiator::Engine> engine_;
  EventHandler handler_;
  std::function<void()> after_pump_;
  std::vector<initiator::Event> log_;
  bool keep_log_ = true;
  bool pumping_ = false;
  bool again_ = false;
};

class TargetApp final : public AoeApp {
 public:
  static ns3::TypeId GetTypeId();
  void init(target::TargetConfig config) { target_.emplace(std::move(config)); }
  target::Target& target() { return *target_; }
  void pump() { drain(); }

 private:
  void on_start(Nanos now) override;
  void on_frame(std::uint32_t port, std::span<const std::uint8_t> frame, Nanos now) override;
  void on_timer(Nanos now) override;
  void drain();

  std::optional<target::Target> target_;
};

}  // namespace aoeh::sim::ns3app
