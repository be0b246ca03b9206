#include "conformance/probe.hpp"

#include <algorithm>

namespace aoeh::conformance {

proto::Parsed<proto::Message> Reply::parse() const {
  proto::ParseOptions lenient;
  lenient.require_version_1 = false;
  lenient.reject_reserved = false;
  return proto::parse_frame(bytes, lenient);
}

Probe::Probe(sim::World& world, ProbeTiming timing, const std::atomic<bool>* stop)
    : world_(world), timing_(timing), stop_(stop) {
  for (const auto& port : world_.probe_ports()) own_macs_.push_back(world_.port_mac(port));
}

void Probe::add_target_mac(const proto::MacAddress& mac) {
  if (std::find(target_macs_.begin(), target_macs_.end(), mac) == target_macs_.end()) target_macs_.push_back(mac);
}

bool Probe::from_target(const Reply& r) const {
  if (std::find(target_macs_.begin(), target_macs_.end(), r.header.src) != target_macs_.end()) return true;
  return target_ && r.header.address() == *target_;
}

void Probe::check_stop() const {
  if (stop_requested()) throw Interrupted{};
}

void Probe::record(const CapturedFrame& f, std::uint64_t index, const std::string& note) {
  if (evidence_ == nullptr) return;
  if (evidence_->size() >= kEvidenceLimit) {
    ++omitted_;
    return;
  }
  reports::EvidenceFrame e;
  e.sent = f.sent;
  e.time_ns = f.time;
  e.port = f.port;
  e.hex = to_hex(f.bytes);
  e.capture_index = index;
  e.note = note;
  evidence_->push_back(std::move(e));
}

void Probe::send(const std::string& port, const Bytes& frame, const std::string& note) {
  check_stop();
  world_.send(port, frame);
  capture_.push_back({world_.now(), port, true, frame});
  record(capture_.back(), capture_.size() - 1, note);
}

void Probe::drain() {
  for (auto& f : world_.take_received()) {
    capture_.push_back({f.time, f.port, false, f.bytes});
    auto header = proto::parse_header(f.bytes);
    if (!header) continue;  // not AoE: kept in the capture only
    // On a shared segment the probe hears its own broadcasts from another port.
    if (std::find(own_macs_.begin(), own_macs_.end(), header->src) != own_macs_.end()) continue;
    inbox_.push_back({f.port, f.time, std::move(f.bytes), header.value(), capture_.size() - 1});
  }
}

std::vector<Reply> Probe::take(const Filter& filter) {
  drain();
  std::vector<Reply> out;
  std::vector<Reply> rest;
  for (auto& r : inbox_) (filter(r) ? out : rest).push_back(std::move(r));
  inbox_ = std::move(rest);
  for (const auto& r : out) record(capture_[r.capture_index], r.capture_index, {});
  return out;
}

std::vector<Reply> Probe::await(std::optional<std::uint32_t> tag, std::size_t want, Nanos timeout,
                                const Filter& filter) {
  auto matches = [&](const Reply& r) {
    if (tag && r.header.tag != *tag) return false;
    return filter ? filter(r) : is_target_response(r);
  };
  auto count = [&] { return static_cast<std::size_t>(std::count_if(inbox_.begin(), inbox_.end(), matches)); };
  drain();
  if (count() < want && timeout > 0) {
    world_.run_until(
        [&] {
          drain();
          return count() >= want || stop_requested();
        },
        world_.now() + timeout);
  }
  check_stop();
  return take(matches);
}

std::optional<Reply> Probe::transact(const std::string& port, const Bytes& frame, const std::string& note) {
  if (frame.size() < proto::kHeaderSize) return std::nullopt;
  const std::uint32_t tag = frame_tag(frame);
  for (int attempt = 0; attempt < std::max(1, timing_.attempts); ++attempt) {
    const Nanos sent_at = world_.now();
    send(port, frame, attempt == 0 ? note : note + " (retransmission)");
    // The reply must also be for the same command: a stale reply with a colliding tag is not it.
    auto replies = await(tag, 1, timing_.reply_timeout, [&](const Reply& r) {
      return is_target_response(r) && r.header.command == frame[19];
    });
    if (!replies.empty()) {
      rtt_us_.push_back(static_cast<double>(replies.front().time - sent_at) / 1000.0);
      return std::move(replies.front());
    }
  }
  return std::nullopt;
}

std::vector<Reply> Probe::expect_silence(const std::string& port, const Bytes& frame, const std::string& note) {
  send(port, frame, note);
  // Any frame with this tag counts, whoever sends it: the point is that nobody should answer.
  return await(frame_tag(frame), 1, timing_.silence, [](const Reply&) { return true; });
}

void Probe::settle(Nanos duration) {
  world_.run_until([&] { return stop_requested(); }, world_.now() + duration);
  drain();
  check_stop();
}

void Probe::cite(const Reply& r, const std::string& note) {
  record(capture_[r.capture_index], r.capture_index, note);
}

void Probe::annotate_last(const std::string& note) {
  if (evidence_ == nullptr || evidence_->empty()) return;
  auto& n = evidence_->back().note;
  n = n.empty() ? note : n + "; " + note;
}

void Probe::clear_inbox() {
  drain();
  inbox_.clear();
}

}  // namespace aoeh::conformance
