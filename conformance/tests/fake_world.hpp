#pragma once
// A minimal World for unit tests of the runner: one probe port wired to a scripted responder that
// answers Query Config read, IDENTIFY and READ/WRITE on a tiny in-memory disk. Not a target model:
// the real one is sim/target; this exists so runner mechanics (selection, verdicts, evidence,
// safety, interruption) are testable on their own.
#include <atomic>
#include <deque>
#include <map>

#include "conformance/frames.hpp"
#include "sim/world.hpp"

namespace aoeh::conformance::testing {

struct FakeKnobs {
  bool silent = false;        // never answer
  bool mangle_tags = false;   // answer with tag + 1
  bool lba48 = false;
  std::uint64_t sectors = 4096;
  std::uint16_t buffer_count = 8;
};

class FakeWorld : public sim::World {
 public:
  explicit FakeWorld(FakeKnobs knobs = {});

  std::vector<std::string> probe_ports() const override { return {"p0"}; }
  proto::MacAddress port_mac(const std::string&) const override { return probe_mac_; }
  std::uint32_t port_mtu(const std::string&) const override { return 1500; }
  void send(const std::string& port, std::span<const std::uint8_t> frame) override;
  bool run_until(const std::function<bool()>& done, sim::Nanos deadline) override;
  std::vector<sim::ReceivedFrame> take_received() override;
  sim::Nanos now() const override { return now_; }

  // The disk as the responder holds it (sectors never written read as their LBA pattern).
  Bytes sector(std::uint64_t lba) const;
  std::size_t requests_seen() const { return requests_; }
  // Raises `flag` when the n-th request arrives (a Ctrl-C at a known point).
  void stop_after(std::size_t n, std::atomic<bool>* flag) {
    stop_at_ = n;
    stop_flag_ = flag;
  }

 private:
  void answer(const Bytes& request);
  void reply(const proto::Header& request_header, const Bytes& body_after_header);

  FakeKnobs knobs_;
  proto::MacAddress probe_mac_{{0x02, 0, 0, 0, 0, 0x01}};
  proto::MacAddress target_mac_{{0x02, 0, 0, 0, 0, 0x99}};
  sim::Nanos now_ = 0;
  std::deque<sim::ReceivedFrame> in_flight_;  // replies not yet delivered, in time order
  std::vector<sim::ReceivedFrame> delivered_;
  std::map<std::uint64_t, Bytes> written_;
  std::size_t requests_ = 0;
  std::size_t stop_at_ = 0;
  std::atomic<bool>* stop_flag_ = nullptr;
};

}  // namespace aoeh::conformance::testing
