#include "faults/foreign_command.hpp"

#include <vector>

#include "protocol/mac_mask_list.hpp"
#include "protocol/reserve_release.hpp"

namespace aoeh::faults {

void send_foreign_command(FaultyTargetHost& host, const FaultPlan& f) {
  const target::Target& t = host.target();
  proto::Header h;
  h.dst = t.config().ports[0].mac;
  h.src = f.mac;
  h.set_address(t.address());
  std::vector<std::uint8_t> frame(proto::kMaxFrameSize);
  std::size_t n;
  if (f.type == FaultType::Reserve) {
    h.command = static_cast<std::uint8_t>(proto::Command::ReserveRelease);
    const proto::MacAddress holder[] = {f.mac};
    n = proto::encode_reserve_release(frame, h, static_cast<std::uint8_t>(proto::ReserveCommand::Set), holder);
  } else {
    h.command = static_cast<std::uint8_t>(proto::Command::MacMaskList);
    const proto::MacMaskDirective add[] = {{static_cast<std::uint8_t>(proto::DirectiveCommand::Add), f.mac}};
    n = proto::encode_mac_mask_list(frame, h, static_cast<std::uint8_t>(proto::MaskCommand::Edit), 0, add);
  }
  host.inject(0, std::span(frame.data(), n));
}

void undo_foreign_command(target::Target& t, FaultType type) {
  if (type == FaultType::Reserve) t.clear_reservation();
  else t.clear_mask_list();
}

}  // namespace aoeh::faults
