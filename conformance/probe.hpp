#pragma once
// The conformance suite's only way to the target: raw frames through a World's probe ports. Every
// frame sent or received is captured (capture.pcap) and the ones a test sends or awaits become its
// evidence. Waiting is in world time, so the same test runs against the simulator and a wire.
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "conformance/frames.hpp"
#include "reports/model.hpp"
#include "sim/world.hpp"

namespace aoeh::conformance {

using sim::Nanos;
inline constexpr Nanos kMs = 1'000'000;

struct CapturedFrame {
  Nanos time = 0;
  std::string port;
  bool sent = false;
  Bytes bytes;
};

struct Reply {
  std::string port;
  Nanos time = 0;
  Bytes bytes;
  proto::Header header;
  std::uint64_t capture_index = 0;

  // Lenient parse (version and reserved bits are the tests' business); spans point into `bytes`.
  proto::Parsed<proto::Message> parse() const;
};

// Thrown out of a test when the user interrupted the run (Ctrl-C): the runner then restores.
struct Interrupted {};

struct ProbeTiming {
  Nanos reply_timeout = 500 * kMs;  // how long to wait for an expected reply (per attempt)
  Nanos silence = 150 * kMs;        // how long a target must stay silent to count as "ignored"
  int attempts = 3;                 // tries for requests that expect a reply (lossy paths)
};

class Probe {
 public:
  Probe(sim::World& world, ProbeTiming timing, const std::atomic<bool>* stop = nullptr);

  sim::World& world() { return world_; }
  const ProbeTiming& timing() const { return timing_; }
  std::vector<std::string> ports() const { return world_.probe_ports(); }
  proto::MacAddress port_mac(const std::string& port) const { return world_.port_mac(port); }

  // The device under test: replies are matched to it by address or source MAC.
  void set_target(proto::DeviceAddress address) { target_ = address; }
  void add_target_mac(const proto::MacAddress& mac);
  const std::vector<proto::MacAddress>& target_macs() const { return target_macs_; }
  bool from_target(const Reply& r) const;

  // Tags step by 16 so that a target echoing a tag off by a little never matches another request.
  std::uint32_t next_tag() { return next_tag_ += kTagStride; }
  static constexpr std::uint32_t kTagStride = 16;

  // Evidence of the running test goes here (nullptr: none).
  void set_evidence(std::vector<reports::EvidenceFrame>* evidence) {
    evidence_ = evidence;
    omitted_ = 0;
  }
  // Frames beyond the per-test evidence limit are only in the capture; this says how many.
  std::size_t evidence_omitted() const { return omitted_; }
  static constexpr std::size_t kEvidenceLimit = 64;
  // Restoration after Ctrl-C must still talk to the target.
  void set_ignore_stop(bool ignore) { ignore_stop_ = ignore; }
  bool stop_requested() const { return !ignore_stop_ && stop_ != nullptr && stop_->load(); }

  void send(const std::string& port, const Bytes& frame, const std::string& note = {});

  using Filter = std::function<bool(const Reply&)>;
  // Waits until `want` frames with `tag` (any tag when nullopt) that pass `filter` arrived or `timeout`
  // passed; returns all matching ones, in order. The default filter takes responses from the target.
  std::vector<Reply> await(std::optional<std::uint32_t> tag, std::size_t want, Nanos timeout,
                           const Filter& filter = {});
  // Matching frames already received (no waiting).
  std::vector<Reply> take(const Filter& filter);
  bool is_target_response(const Reply& r) const { return r.header.is_response() && from_target(r); }

  // Sends and waits for one response with the frame's tag, retransmitting up to timing().attempts times.
  std::optional<Reply> transact(const std::string& port, const Bytes& frame, const std::string& note = {});
  // Sends once and waits the silence window; returns the responses that came anyway.
  std::vector<Reply> expect_silence(const std::string& port, const Bytes& frame, const std::string& note = {});
  // Lets world time pass (the target processes what it got) without expecting anything.
  void settle(Nanos duration);

  // Adds an already received frame (e.g. an announcement heard before the test) to the evidence.
  void cite(const Reply& r, const std::string& note);
  // Attaches a note to the most recent evidence frame (the reply a verdict is about).
  void annotate_last(const std::string& note);

  const std::vector<CapturedFrame>& capture() const { return capture_; }
  const std::vector<double>& rtt_samples_us() const { return rtt_us_; }
  // Drops queued unmatched frames (between tests: stale late replies must not match).
  void clear_inbox();

 private:
  void drain();
  void record(const CapturedFrame& f, std::uint64_t index, const std::string& note);
  void check_stop() const;

  sim::World& world_;
  ProbeTiming timing_;
  const std::atomic<bool>* stop_;
  bool ignore_stop_ = false;
  std::optional<proto::DeviceAddress> target_;
  std::vector<proto::MacAddress> target_macs_;
  std::uint32_t next_tag_ = 0x0AE00000;
  std::vector<reports::EvidenceFrame>* evidence_ = nullptr;
  std::size_t omitted_ = 0;
  std::vector<CapturedFrame> capture_;
  std::vector<Reply> inbox_;      // AoE frames not sent by the probe itself, not yet matched
  std::vector<proto::MacAddress> own_macs_;
  std::vector<double> rtt_us_;
};

}  // namespace aoeh::conformance
