#include "live/relay_core.hpp"

#include <algorithm>
#include <utility>

namespace aoeh::live {

RelayCore::RelayCore(RelayFaults faults) : faults_(std::move(faults)) { queue_.reserve(4096); }

faults::FaultStats RelayCore::fault_stats(std::size_t i) const {
  faults::FaultStats out;
  faults_.faults.at(i).model->add_stats(out);
  return out;
}

void RelayCore::release_last() {
  if (last_out_) pool_.unref(*std::exchange(last_out_, std::nullopt));
}

void RelayCore::push(Held h) {
  queue_.push_back(h);
  std::push_heap(queue_.begin(), queue_.end(), Later{});
}

void RelayCore::handle_frame(RelayDirection d, std::span<const std::uint8_t> frame, sim::Nanos now) {
  release_last();
  const auto di = static_cast<std::size_t>(d);
  RelayCounters& c = counters_[di];
  ++c.received;
  if (frame.size() > sim::FramePool::kMaxFrame) {
    ++c.dropped;
    return;
  }
  sim::FrameHandle h = pool_.create(frame);
  // The link id only names the cable for the models; the relay has one.
  sim::ImpairContext ctx(pool_, h, now, 0, d == RelayDirection::AtoB ? sim::Direction::AtoB : sim::Direction::BtoA);
  for (auto& fault : faults_.chains[di]) {
    fault->on_frame(ctx);
    if (ctx.dropped()) break;
  }
  if (ctx.dropped()) {
    ++c.dropped;
    pool_.unref(h);
    return;
  }
  if (ctx.edited()) ++c.corrupted;
  if (ctx.delay() > 0) ++c.delayed;
  const sim::Nanos due = now + ctx.delay();
  push({due, seq_++, h, d});
  for (int i = 0; i < ctx.duplicates(); ++i) {
    pool_.ref(h);
    ++c.duplicated;
    push({due + ctx.duplicate_after(i), seq_++, h, d});
  }
}

std::optional<RelayCore::Output> RelayCore::poll_transmit(sim::Nanos now) {
  release_last();
  if (queue_.empty() || queue_.front().due > now) return std::nullopt;
  std::pop_heap(queue_.begin(), queue_.end(), Later{});
  const Held h = queue_.back();
  queue_.pop_back();
  last_out_ = h.frame;
  const auto bytes = pool_.bytes(h.frame);
  RelayCounters& c = counters_[static_cast<std::size_t>(h.direction)];
  ++c.forwarded;
  c.bytes_forwarded += bytes.size();
  return Output{h.direction, bytes};
}

}  // namespace aoeh::live
