#include "live/live_world.hpp"

#include <stdexcept>

namespace aoeh::live {

LiveWorld::LiveWorld(const std::vector<std::string>& interfaces, const RawPortOptions& options) {
  for (const auto& name : interfaces) ports_.push_back(RawPort::open(io_, name, options));
  armed_.assign(ports_.size(), false);
  epoch_ = monotonic_now();
}

LiveWorld::~LiveWorld() = default;

std::vector<std::string> LiveWorld::probe_ports() const {
  std::vector<std::string> names;
  for (const auto& p : ports_) names.push_back(p.info().name);
  return names;
}

std::size_t LiveWorld::index_of(const std::string& port) const {
  for (std::size_t i = 0; i < ports_.size(); ++i) {
    if (ports_[i].info().name == port) return i;
  }
  throw std::out_of_range("LiveWorld: no probe port '" + port + "'");
}

RawPort& LiveWorld::port(const std::string& name) { return ports_[index_of(name)]; }
proto::MacAddress LiveWorld::port_mac(const std::string& port) const { return ports_[index_of(port)].info().mac; }
std::uint32_t LiveWorld::port_mtu(const std::string& port) const { return ports_[index_of(port)].info().mtu; }

void LiveWorld::send(const std::string& port, std::span<const std::uint8_t> frame) {
  ports_[index_of(port)].send(frame);
}

void LiveWorld::arm(std::size_t index) {
  if (armed_[index]) return;
  armed_[index] = true;
  ports_[index].async_wait_readable([this, index](const boost::system::error_code& ec) {
    armed_[index] = false;
    if (ec) return;
    const Nanos t = now();
    RawPort& p = ports_[index];
    for (auto frames = p.receive_batch(); !frames.empty(); frames = p.receive_batch()) {
      for (const auto& f : frames) {
        arrived_.push_back({p.info().name, t, std::vector<std::uint8_t>(f.begin(), f.end())});
      }
    }
  });
}

bool LiveWorld::run_until(const std::function<bool()>& done, sim::Nanos deadline) {
  if (done()) return true;
  io_.restart();
  for (;;) {
    // Frames come from the kernel in batches but are delivered one by one, judging `done` after
    // each, as the simulator does; the rest wait in arrived_ for the next run.
    while (!arrived_.empty()) {
      received_.push_back(std::move(arrived_.front()));
      arrived_.pop_front();
      if (done()) return true;
    }
    const Nanos left = deadline - now();
    if (left <= 0) return false;
    for (std::size_t i = 0; i < ports_.size(); ++i) arm(i);
    // A run that drained every handler leaves the context stopped; without a restart the next
    // run_one_for returns at once and frames already in the kernel wait until the next call.
    if (io_.stopped()) io_.restart();
    io_.run_one_for(std::chrono::nanoseconds(left));
  }
}

std::vector<sim::ReceivedFrame> LiveWorld::take_received() {
  std::vector<sim::ReceivedFrame> out(std::make_move_iterator(received_.begin()),
                                      std::make_move_iterator(received_.end()));
  received_.clear();
  return out;
}

}  // namespace aoeh::live
