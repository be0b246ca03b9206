#pragma once
// An ns-3 application that runs any sim::Host (the engine host, the faulty reference target, ...)
// unchanged: the host is attached to this app as its HostRuntime, so its frames leave through ns-3
// NetDevices (Ethernet II, ethertype 0x88A2), its timer is one ns-3 event, and its clock and
// scripted calls are ns-3's. Port k is the host's NIC k, with the NIC's own state: up/down, MTU
// (oversize frames refused on send, dropped on receive) and the counters sim::NicCounters keeps.
// ns-3 internal: include only from sim/ns3/*.cpp.
#include <ns3/application.h>
#include <ns3/event-id.h>
#include <ns3/net-device.h>
#include <ns3/node.h>
#include <ns3/packet.h>
#include <ns3/random-variable-stream.h>
#include <ns3/simple-net-device.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "protocol/mac_address.hpp"
#include "protocol/pcap_file.hpp"
#include "sim/host.hpp"
#include "sim/nic.hpp"

namespace aoeh::sim::ns3app {

// ns-3's simulator is process-global: whoever builds an ns-3 world (a plan run, an Ns3Simulation)
// claims it first and releases it after Simulator::Destroy. False when taken (thread-safe).
bool claim_ns3();
void release_ns3();

class HostApp final : public ns3::Application, public HostRuntime {
 public:
  static ns3::TypeId GetTypeId();
  // Takes the host and attaches itself as its runtime. Call before the simulation starts.
  void set_host(std::unique_ptr<Host> host);
  // Called after each of the host's scripted calls (at()): the plan backend checks whether its
  // run is done then, as after its own actions.
  void set_after_call(std::function<void()> fn) { after_call_ = std::move(fn); }
  // After the app is on its node: `device` becomes port number port_count().
  void add_port(ns3::Ptr<ns3::NetDevice> device, std::uint32_t mtu);
  std::uint32_t port_count() const { return static_cast<std::uint32_t>(ports_.size()); }
  // Frames this port sends and receives go to `capture` (null: none).
  void tap(std::uint32_t port, proto::PcapWriter* capture) { ports_.at(port).capture = capture; }

  // NIC state, as sim::Simulator::set_nic_* (the host hears of up/MTU changes through port_changed).
  void set_port_up(std::uint32_t port, bool up);
  void set_port_mtu(std::uint32_t port, std::uint32_t mtu);
  void set_port_mac(std::uint32_t port, const proto::MacAddress& mac);
  const NicCounters& counters(std::uint32_t port) const { return ports_.at(port).counters; }

  // HostRuntime
  bool send(std::uint32_t port, std::span<const std::uint8_t> frame) override;
  void set_timer(Nanos time) override;
  Nanos now() const override;
  void at(Nanos time, std::function<void()> action) override;

 protected:
  void DoDispose() override;

 private:
  struct Port {
    ns3::Ptr<ns3::NetDevice> device;
    std::uint32_t mtu = 1500;
    bool up = true;
    proto::PcapWriter* capture = nullptr;
    NicCounters counters;
  };
  void StartApplication() override;
  void StopApplication() override { set_timer(kNever); }
  void receive(ns3::Ptr<ns3::NetDevice> device, ns3::Ptr<const ns3::Packet> packet, std::uint16_t protocol,
               const ns3::Address& from, const ns3::Address& to, ns3::NetDevice::PacketType type);
  void fire();

  std::unique_ptr<Host> host_;
  std::function<void()> after_call_;
  std::vector<Port> ports_;
  std::vector<std::uint8_t> rx_;
  ns3::EventId timer_;
  Nanos armed_ = kNever;
};

// A new node, appended to `nodes`, running `host` in a new HostApp (give it its ports next).
ns3::Ptr<HostApp> add_host_node(std::vector<ns3::Ptr<ns3::Node>>& nodes, std::unique_ptr<Host> host);

// A point-to-point device with the link's rate (0: unlimited) and a drop-tail transmit queue of
// `queue` frames (at least 1), as both ns-3 backends cable their hosts.
ns3::Ptr<ns3::SimpleNetDevice> make_device(std::uint64_t bits_per_second, std::uint32_t queue, std::uint16_t mtu);

// A uniform random stream with a fixed stream number: ns-3 numbers automatic streams from a
// process-wide counter that Simulator::Destroy does not reset, so fixed numbers make the same seed
// give the same run however many runs came before it in this process.
ns3::Ptr<ns3::UniformRandomVariable> fixed_stream(std::int64_t number);

}  // namespace aoeh::sim::ns3app
