// ATA (command 0): admission (reservation, count, data length, bufcnt) and execution.
#include <algorithm>
#include <cstring>

#include "protocol/ata.hpp"
#include "protocol/byte_order.hpp"
#include "protocol/identify.hpp"
#include "sim/target/target.hpp"

namespace aoeh::target {

using proto::AoeError;
using proto::AtaArg;
using proto::Header;
namespace ata = proto::ata;

namespace {

bool is_read_command(std::uint8_t c) { return c == ata::kReadSectors || c == ata::kReadSectorsExt; }
bool is_write_command(std::uint8_t c) { return c == ata::kWriteSectors || c == ata::kWriteSectorsExt; }

// Decodes only the 12-byte argument: the target judges the data length itself (Error 2 for short
// writes). parse_ata_body skips data for error responses, so it is asked to read the argument as one.
proto::Parsed<proto::AtaBody> parse_argument(const Header& request, std::span<const std::uint8_t> frame) {
  Header as_error_reply = request;
  as_error_reply.flags = proto::kFlagResponse | proto::kFlagError;
  return proto::parse_ata_body(as_error_reply, frame, /*reject_reserved=*/false);
}

constexpr std::uint8_t kSmartReadData = 0xD0;
constexpr std::uint8_t kSmartEnableOperations = 0xD8;
constexpr std::uint8_t kSmartDisableOperations = 0xD9;
constexpr std::uint8_t kSmartReturnStatus = 0xDA;
constexpr std::uint64_t kSmartSignature = 0xC24F00;  // LBA mid 0x4F, high 0xC2: no threshold exceeded

}  // namespace

void Target::accept_ata(std::size_t port, std::span<const std::uint8_t> frame, const Header& request, Nanos now) {
  auto parsed = parse_argument(request, frame);
  if (!parsed) {
    send_error(port, frame, request, AoeError::BadArgument);
    return;
  }
  const AtaArg& a = parsed->arg;
  if (!reserve_list_.empty() && !has(Defect::ReservationIgnored) &&
      std::find(reserve_list_.begin(), reserve_list_.end(), request.src) == reserve_list_.end()) {
    send_error(port, frame, request, AoeError::TargetReserved);
    return;
  }
  const bool moves_data = is_read_command(a.cmd_status) || is_write_command(a.cmd_status) || a.write();
  if (moves_data && a.sector_count > advertised_sector_count(port) && !has(Defect::NoErrorOnBadCount)) {
    send_error(port, frame, request, AoeError::BadArgument);
    return;
  }
  if (a.write() && frame.size() - proto::kAtaHeaderSize < a.data_bytes() && !has(Defect::ShortWriteAccepted)) {
    send_error(port, frame, request, AoeError::BadArgument);  // nothing is written
    return;
  }

  const ServiceTime& st = config_.service;
  if (queue_count_ == 0 && st.fixed == 0 && st.per_sector == 0) {
    execute_ata(port, frame);
    return;
  }
  if (queue_count_ >= config_.bufcnt) {
    ++counters_.dropped_bufcnt;
    if (has(Defect::BufcntOverrunCorrupts) && queue_count_ > 0) {
      // The overrun lands in the newest queued request's buffer, past its argument.
      Pending& newest = *slots_[(queue_head_ + queue_count_ - 1) % slots_.size()];
      const std::size_t end = std::min(newest.frame.size(), frame.size());
      if (end > proto::kAtaHeaderSize)
        std::copy(frame.begin() + proto::kAtaHeaderSize, frame.begin() + static_cast<std::ptrdiff_t>(end),
                  newest.frame.begin() + proto::kAtaHeaderSize);
    }
    return;
  }
  auto& slot = slots_[(queue_head_ + queue_count_) % slots_.size()];
  if (!slot) {
    // Sized on first use, not up front: 4,096 idle targets would otherwise hold 16 x 9 KiB each.
    slot = std::make_unique<Pending>();
    std::size_t max_mtu = 0;
    for (const auto& port_config : config_.ports) max_mtu = std::max<std::size_t>(max_mtu, port_config.mtu);
    slot->frame.reserve(std::max(proto::kMaxFrameSize, max_mtu + proto::kEthernetHeaderSize));
  }
  Pending& p = *slot;
  const std::size_t sectors = moves_data ? a.sector_count : 0;
  p.port = port;
  p.due = std::max(now, busy_until_) + st.fixed + st.per_sector * static_cast<Nanos>(sectors);
  p.frame.assign(frame.begin(), frame.end());
  busy_until_ = p.due;
  ++queue_count_;
}

void Target::execute_ata(std::size_t port, std::span<const std::uint8_t> frame) {
  auto request_header = proto::parse_header(frame);
  auto parsed = parse_argument(request_header.value(), frame);
  if (!parsed) return;  // accept_ata checked it; a corrupted queued copy stays silent
  const Header& request = request_header.value();
  const AtaArg& a = parsed->arg;
  ++counters_.ata_commands;

  std::uint64_t lba = a.lba;
  const std::span<const std::uint8_t> raw = parsed->raw_arg;
  if (!a.extended() && has(Defect::Lba28NotMasked)) {
    lba = proto::load_le48(raw.data() + 4);
  }
  if (a.extended() && has(Defect::Lba48TruncatedTo28)) lba &= ata::kMaxLba28;

  AtaArg reply = a;
  reply.lba = a.lba;
  reply.err_feature = 0;
  reply.cmd_status = ata::kStatusDrdy;
  std::size_t data_bytes = 0;  // sector data following the argument in the reply
  bool data_from_media = false;
  std::array<std::uint8_t, proto::kIdentifyPageSize> page;  // filled whole by IDENTIFY / SMART READ DATA before use
  auto fail = [&](std::uint8_t error) {
    reply.cmd_status = ata::kStatusDrdy | ata::kStatusErr;
    reply.err_feature = error;
    data_bytes = 0;
    data_from_media = false;
    ++counters_.ata_errors;
  };

  const std::uint8_t cmd = a.cmd_status;
  const bool write_cmd = is_write_command(cmd);
  const bool read_cmd = is_read_command(cmd);
  const bool direction_mismatch = write_cmd ? !a.write() : a.write();
  const std::uint64_t count = a.sector_count;
  const bool beyond_end = lba > config_.capacity_sectors || count > config_.capacity_sectors - lba;

  if (direction_mismatch && !has(Defect::IgnoreWriteFlag)) {
    fail(ata::kErrorAbrt);
  } else if (cmd == ata::kIdentify) {
    proto::Identity id;
    id.capacity_sectors = config_.capacity_sectors + (has(Defect::IdentifyCapacityOffByOne) ? 1 : 0);
    id.lba48 = true;
    id.model.assign(config_.model);
    id.serial.assign(config_.serial);
    id.firmware.assign(config_.firmware_revision);
    proto::build_identify(page, id);
    reply.sector_count = 1;  // the count describes the 512 bytes that follow
    data_bytes = page.size();
  } else if (read_cmd) {
    if (beyond_end && !has(Defect::NoIdnfBeyondEnd)) {
      fail(ata::kErrorIdnf);
    } else {
      data_bytes = count * proto::kSectorSize;
      data_from_media = true;
    }
  } else if (write_cmd) {
    if (config_.read_only) {
      fail(ata::kErrorAbrt);
    } else if (beyond_end && !has(Defect::NoIdnfBeyondEnd)) {
      fail(ata::kErrorIdnf);
    } else if (!beyond_end) {  // (a defective target swallows writes past the end)
      // Data is what the frame carries up to count * 512; a short write (defect only) is zero-filled.
      const std::size_t want = count * proto::kSectorSize;
      const std::size_t have = std::min(want, frame.size() - proto::kAtaHeaderSize);
      bool ok = true;
      if (have == want) {
        ok = media_write(lba, frame.subspan(proto::kAtaHeaderSize, want));
      } else {
        std::vector<std::uint8_t> padded(want, 0);
        std::copy_n(frame.begin() + proto::kAtaHeaderSize, have, padded.begin());
        ok = media_write(lba, padded);
      }
      if (ok) counters_.sectors_written += count;
      else fail(ata::kErrorAbrt);
    }
  } else if (cmd == ata::kFlushCache || cmd == ata::kFlushCacheExt) {
    ++counters_.flushes;
    if (!media_flush()) fail(ata::kErrorAbrt);
    else if (has(Defect::FlushStatusWithoutDrdy)) reply.cmd_status = 0;
  } else if (cmd == ata::kCheckPowerMode) {
    reply.sector_count = 0xFF;  // active or idle
  } else if (cmd == ata::kSmart && config_.smart_enabled) {
    switch (a.err_feature) {
      case kSmartEnableOperations:
      case kSmartDisableOperations: break;
      case kSmartReturnStatus: reply.lba = (a.lba & 0xFF) | kSmartSignature; break;
      case kSmartReadData:
        page.fill(0);
        page[0] = 0x10;  // data structure revision; no attributes
        reply.sector_count = 1;
        data_bytes = page.size();
        break;
      default: fail(ata::kErrorAbrt);
    }
  } else {
    fail(ata::kErrorAbrt);  // unknown command, or SMART while disabled
  }

  // A read command sent with W (IgnoreWriteFlag) still answers with its data.
  Header h = reply_to(request, port);
  auto out = begin_frame(proto::kAtaHeaderSize + data_bytes);
  const std::size_t head = proto::encode_ata(out, h, reply, {}, /*pad=*/false);
  if (data_bytes > 0) {
    auto data = out.subspan(proto::kAtaHeaderSize, data_bytes);
    if (data_from_media) {
      if (media_read(lba, data)) {
        counters_.sectors_read += count;
      } else {
        fail(ata::kErrorUnc);
        proto::encode_ata(out, h, reply, {}, false);
      }
    } else {
      std::copy(page.begin(), page.end(), data.begin());
    }
  }
  commit_frame(reply_port(port), proto::pad_frame(out, head + data_bytes, pad()), false);
}

// --- media: the write-back cache in front of the store ---

bool Target::media_read(std::uint64_t lba, std::span<std::uint8_t> out) {
  if (!config_.store->read(lba, out)) return false;
  if (cache_.sector_count() == 0) return true;
  for (std::size_t i = 0; i * proto::kSectorSize < out.size(); ++i)
    cache_.read_sector(lba + i, out.data() + i * proto::kSectorSize);
  return true;
}

bool Target::media_write(std::uint64_t lba, std::span<const std::uint8_t> data) {
  if (!config_.write_cache) return config_.store->write(lba, data);
  cache_.write(lba, data);
  return true;
}

bool Target::media_flush() {
  bool ok = true;
  // Runs of consecutive dirty sectors go to the store as one write each.
  std::uint64_t run_start = 0;
  std::vector<std::uint8_t> run;
  auto emit = [&] {
    if (!run.empty() && !config_.store->write(run_start, run)) ok = false;
    run.clear();
  };
  cache_.for_each([&](std::uint64_t lba, const std::uint8_t* bytes) {
    if (run.empty() || lba != run_start + run.size() / proto::kSectorSize) {
      emit();
      run_start = lba;
    }
    run.insert(run.end(), bytes, bytes + proto::kSectorSize);
  });
  emit();
  if (ok) cache_.clear();
  return ok && config_.store->flush();
}

std::size_t Target::dirty_sectors() const { return cache_.sector_count(); }

bool Target::read_sectors(std::uint64_t lba, std::span<std::uint8_t> out) { return media_read(lba, out); }

}  // namespace aoeh::target
