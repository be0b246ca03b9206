#include "conformance/tests/fake_world.hpp"

#include "protocol/identify.hpp"

namespace aoeh::conformance::testing {

namespace {
constexpr sim::Nanos kLatency = 20'000;  // 20 us each way, fixed
}

FakeWorld::FakeWorld(FakeKnobs knobs) : knobs_(knobs) {}

Bytes FakeWorld::sector(std::uint64_t lba) const {
  auto it = written_.find(lba);
  if (it != written_.end()) return it->second;
  return sector_pattern(lba, 1, 0x5EED);
}

void FakeWorld::send(const std::string&, std::span<const std::uint8_t> frame) {
  ++requests_;
  if (stop_flag_ != nullptr && requests_ == stop_at_) *stop_flag_ = true;
  if (!knobs_.silent) answer(Bytes(frame.begin(), frame.end()));
}

bool FakeWorld::run_until(const std::function<bool()>& done, sim::Nanos deadline) {
  if (done()) return true;
  while (!in_flight_.empty() && in_flight_.front().time <= deadline) {
    now_ = in_flight_.front().time;
    delivered_.push_back(std::move(in_flight_.front()));
    in_flight_.pop_front();
    if (done()) return true;
  }
  now_ = std::max(now_, deadline);
  return done();
}

std::vector<sim::ReceivedFrame> FakeWorld::take_received() {
  auto out = std::move(delivered_);
  delivered_.clear();
  return out;
}

void FakeWorld::reply(const proto::Header& request, const Bytes& body) {
  auto h = proto::reply_header(request, target_mac_);
  if (knobs_.mangle_tags) h.tag += 1;
  Bytes frame = raw_frame(h, body);
  in_flight_.push_back({"p0", now_ + kLatency, std::move(frame)});
}

void FakeWorld::answer(const Bytes& request) {
  auto m = proto::parse_frame(request);
  if (!m || m->header.is_response()) return;
  const auto& h = m->header;
  if (!(proto::DeviceAddress{1, 1}.matches(h.address()))) return;
  auto reply_header = h;
  reply_header.shelf = 1;
  reply_header.slot = 1;
  if (const auto* q = m->query_config()) {
    if (q->command() != proto::ConfigCommand::Read) return;
    proto::QueryConfigArg a;
    a.buffer_count = knobs_.buffer_count;
    a.firmware_version = 0x4001;
    a.sector_count = 2;
    Bytes frame(proto::kMaxFrameSize);
    frame.resize(proto::encode_query_config(frame, proto::reply_header(reply_header, target_mac_), a));
    reply(reply_header, Bytes(frame.begin() + proto::kHeaderSize, frame.end()));
    return;
  }
  const auto* a = m->ata();
  if (a == nullptr) return;
  proto::AtaArg out = a->arg;
  out.cmd_status = proto::ata::kStatusDrdy;
  out.err_feature = 0;
  Bytes data;
  const std::uint8_t cmd = a->arg.cmd_status;
  if (cmd == proto::ata::kIdentify) {
    proto::Identity id;
    id.capacity_sectors = knobs_.sectors;
    id.lba48 = knobs_.lba48;
    id.model = "fake";
    id.serial = "F1";
    id.firmware = "1";
    data.resize(proto::kIdentifyPageSize);
    proto::build_identify(std::span<std::uint8_t, proto::kIdentifyPageSize>(data.data(), data.size()), id);
  } else if (cmd == proto::ata::kReadSectors || cmd == proto::ata::kReadSectorsExt || cmd == proto::ata::kWriteSectors ||
             cmd == proto::ata::kWriteSectorsExt) {
    if (a->arg.lba + a->arg.sector_count > knobs_.sectors) {
      out.cmd_status = proto::ata::kStatusDrdy | proto::ata::kStatusErr;
      out.err_feature = proto::ata::kErrorIdnf;
    } else if (a->arg.write()) {
      for (std::uint32_t i = 0; i < a->arg.sector_count; ++i)
        written_[a->arg.lba + i] = Bytes(a->data.begin() + i * 512, a->data.begin() + (i + 1) * 512);
    } else {
      for (std::uint32_t i = 0; i < a->arg.sector_count; ++i) {
        auto s = sector(a->arg.lba + i);
        data.insert(data.end(), s.begin(), s.end());
      }
    }
  } else {
    out.cmd_status = proto::ata::kStatusDrdy | proto::ata::kStatusErr;
    out.err_feature = proto::ata::kErrorAbrt;
  }
  Bytes frame = ata_frame(proto::reply_header(reply_header, target_mac_), out, data);
  reply(reply_header, Bytes(frame.begin() + proto::kHeaderSize, frame.end()));
}

}  // namespace aoeh::conformance::testing
