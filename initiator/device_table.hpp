#pragma once
// Devices (shelf.slot), their paths (one per answering target MAC) and each path's ways (the local
// ports it answered on). Fixed-size per device and path apart from the config string; devices live
// behind stable pointers in discovery order, which is also the order every scan visits them.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "initiator/congestion_window.hpp"
#include "initiator/frame_pool.hpp"
#include "initiator/ring.hpp"
#include "initiator/rtt_estimator.hpp"
#include "initiator/types.hpp"
#include "protocol/identify.hpp"

namespace aoeh::initiator {

inline constexpr std::size_t kMaxWaysPerPath = 8;  // Linux: up to 8 interfaces per target

struct Way {
  PortId port = 0;
  std::uint32_t losses = 0;  // timeouts since this port last carried an answer
  bool dropped = false;      // more than 2 x window losses: unused until it carries an answer
};

// A run of consecutive large-frame (> 2 sectors) timeouts in one direction, and whether a small
// exchange succeeded during it (so it is not an outage).
struct LargeRun {
  static constexpr int kOut = 0;  // data travels to the target (WRITE)
  static constexpr int kIn = 1;   // data travels back (READ)
  std::uint32_t timeouts = 0;
  Nanos since = kNever;  // first timeout of the run
  bool small_ok = false;
};

struct Path {
  MacAddress mac;
  std::array<Way, kMaxWaysPerPath> ways{};
  std::uint8_t way_count = 0;
  std::uint8_t next_way = 0;  // round-robin cursor

  // Query Config facts.
  std::uint16_t buffer_count = 0;
  std::uint16_t firmware = 0;
  std::uint8_t sector_count = 0;
  std::string config;

  std::uint32_t payload = 0;  // sectors per frame in use (0: unusable, e.g. every port down)
  bool fallback = false;      // MTU-mismatch fallback to 2-sector frames until revalidate

  RttEstimator rtt;
  CongestionWindow window;
  std::uint32_t outstanding = 0;

  // Health: a path with frames unanswered since `unanswered_since` for path_unhealthy_after is
  // unhealthy; it then gets Query Config probes every probe_interval until it answers.
  bool healthy = true;
  Nanos unanswered_since = kNever;
  Nanos next_probe = kNever;

  // MTU fallback evidence, kept per direction because a mismatch can be one-way (a write carries
  // its data out, a read's data comes back): a large write getting through says nothing about
  // large read replies. Index with LargeRun::kOut / kIn.
  std::array<LargeRun, 2> large{};
  Nanos next_liveness_probe = 0;  // liveness probes at most once per RTO

  bool has_room() const { return outstanding < window.window(); }
};

struct Request {
  RequestId id = 0;  // 0: slot free
  std::uint64_t user_data = 0;
  IoKind kind = IoKind::Read;
  std::uint64_t lba = 0;
  std::uint32_t sectors = 0;
  std::span<std::uint8_t> buffer;
  std::uint32_t device = kNone;
  std::uint64_t next_lba = 0;    // first sector not yet carved into a frame
  std::uint32_t uncarved = 0;    // sectors not yet carved (FLUSH: 1 until its frame exists)
  std::uint32_t live_frames = 0; // carved frames not yet finished
  std::uint32_t next = kNone;    // device request queue link
  bool queued = false;
  bool done = false;
};

struct Device {
  DeviceAddress address;
  std::uint32_t index = 0;
  DeviceState state = DeviceState::Discovered;
  std::uint64_t capacity = 0;
  bool lba48 = false;
  proto::FixedString<40> model;
  proto::FixedString<20> serial;
  proto::FixedString<8> firmware;
  std::uint32_t open_count = 0;

  std::vector<Path> paths;
  std::uint32_t next_path = 0;  // round-robin cursor

  Ring<FrameRef> ready{8};               // frames waiting for a window slot
  std::uint32_t queue_head = kNone;      // requests with sectors still to carve
  std::uint32_t queue_tail = kNone;
  std::uint32_t live_frames = 0;         // frames in any live state
  Nanos last_progress = 0;               // meaningful while has_work()
  bool identifying = false;              // an IDENTIFY frame is live
  bool pump_pending = false;             // scratch flag for timer processing

  bool has_work() const { return live_frames > 0 || queue_head != kNone; }
  Path* find_path(const MacAddress& mac) {
    for (auto& p : paths)
      if (p.mac == mac) return &p;
    return nullptr;
  }
};

// Lookup by shelf.slot: a hash index for finding, a vector for ordered iteration.
class DeviceTable {
 public:
  Device* find(DeviceAddress a) {
    const std::uint32_t key = a.key();
    if (last_ != nullptr && last_key_ == key) return last_;
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    last_key_ = key;
    last_ = devices_[it->second].get();
    return last_;
  }
  const Device* find(DeviceAddress a) const {
    auto it = index_.find(a.key());
    return it == index_.end() ? nullptr : devices_[it->second].get();
  }
  Device& add(DeviceAddress a) {
    auto d = std::make_unique<Device>();
    d->address = a;
    d->index = static_cast<std::uint32_t>(devices_.size());
    index_.emplace(a.key(), d->index);
    devices_.push_back(std::move(d));
    return *devices_.back();
  }
  Device& operator[](std::uint32_t i) { return *devices_[i]; }
  const Device& operator[](std::uint32_t i) const { return *devices_[i]; }
  std::uint32_t size() const { return static_cast<std::uint32_t>(devices_.size()); }

 private:
  std::vector<std::unique_ptr<Device>> devices_;
  std::unordered_map<std::uint32_t, std::uint32_t> index_;  // lookup only, never iterated
  std::uint32_t last_key_ = 0;
  Device* last_ = nullptr;
};

}  // namespace aoeh::initiator
