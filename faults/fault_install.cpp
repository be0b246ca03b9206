// The start/end actions of every fault type, on any FaultWorld (faults/fault_install.hpp).
#include "faults/fault_install.hpp"

#include <algorithm>

#include "faults/foreign_command.hpp"
#include "faults/target_settings.hpp"

namespace aoeh::faults {
namespace {

using Action = std::function<void()>;

void at_start_end(FaultWorld& w, std::size_t i, const FaultPlan& f, Action begin, Action end) {
  FaultWorld* wp = &w;
  w.at(f.at, [wp, i, begin = std::move(begin)] {
    wp->note_edge(i, true);
    if (begin) begin();
  });
  if (f.duration != sim::kNever) {
    w.at(f.at + f.duration, [wp, i, end = std::move(end)] {
      wp->note_edge(i, false);
      if (end) end();
    });
  }
}

// One down/up cycle per period, each scheduling the next while the window lasts.
void flap_cycle(FaultWorld* w, std::size_t i, Nanos t, Window win, Nanos period, Nanos down) {
  if (!win.contains(t)) return;
  w->at(t, [=] {
    w->hold_cables_down(i, true);
    w->count(i, "flaps");
    w->at(std::min(t + down, win.end), [=] { w->hold_cables_down(i, false); });
    flap_cycle(w, i, t + period, win, period, down);
  });
}

}  // namespace

void install_fault(FaultWorld& w, std::size_t i, const FaultPlan& f) {
  const Window win = fault_window(f);
  FaultWorld* wp = &w;
  if (is_frame_fault(f.type)) {
    w.add_frame_fault(i, f, win);
    return at_start_end(w, i, f, {}, {});
  }
  if (is_link_impairment(f)) {
    auto hooks = w.add_link_fault(i, f);
    return at_start_end(w, i, f, std::move(hooks.begin), std::move(hooks.end));
  }
  switch (f.type) {
    case FaultType::Mtu: {
      // On a switch port: the port's own MTU, egress (toward the host) and/or ingress.
      const std::uint32_t old = w.switch_port_mtu(i);
      auto set = [wp, i, egress = f.site.toward_host, ingress = f.site.from_host](std::uint32_t mtu) {
        if (egress) wp->set_switch_port_mtu(i, true, mtu);
        if (ingress) wp->set_switch_port_mtu(i, false, mtu);
      };
      return at_start_end(w, i, f, [set, mtu = f.mtu] { set(mtu); }, [set, old] { set(old); });
    }
    case FaultType::Down:
    case FaultType::Partition:
      return at_start_end(w, i, f, [wp, i] { wp->hold_cables_down(i, true); }, [wp, i] { wp->hold_cables_down(i, false); });
    case FaultType::Flap:
      at_start_end(w, i, f, {}, {});
      return flap_cycle(wp, i, win.start, win, f.period, f.down_time);
    case FaultType::Crash:
      return at_start_end(
          w, i, f,
          [wp, i] {
            wp->target(i).crash(wp->now());
            wp->count(i, "crashes");
            wp->target_crashed(i);
          },
          [wp, i] {
            wp->target(i).target().restart(wp->now());
            wp->target(i).pump();
          });
    case FaultType::Slow: {
      const target::ServiceTime old = w.target(i).target().config().service;
      return at_start_end(
          w, i, f, [wp, i, s = target::ServiceTime{f.delay, f.jitter}] { wp->target(i).target().set_service_time(s); },
          [wp, i, old] { wp->target(i).target().set_service_time(old); });
    }
    case FaultType::Resize:
    case FaultType::Bufcnt:
    case FaultType::ConfigString:
    case FaultType::Firmware: {
      // A setting changes at the start and, with a duration, changes back to the original at the end.
      auto apply = [wp, i, f, original = settings_of(w.target(i).target().config())](bool back) {
        change_target_setting(wp->target(i).target(), f, original, back, wp->now());
        wp->target(i).pump();
      };
      return at_start_end(w, i, f, [apply] { apply(false); }, [apply] { apply(true); });
    }
    case FaultType::MacChange: {
      const proto::MacAddress old = w.target(i).target().config().ports.at(f.port).mac;
      auto set = [wp, i, port = f.port, announce = f.announce](proto::MacAddress mac) {
        wp->set_target_nic_mac(i, port, mac);
        wp->target(i).target().set_mac(port, mac);
        if (announce) wp->target(i).target().announce(wp->now());
        wp->target(i).pump();
      };
      return at_start_end(w, i, f, [set, mac = f.mac] { set(mac); }, [set, old] { set(old); });
    }
    case FaultType::Reserve:
    case FaultType::MaskList:
      // Another host's command, delivered to the target's first port.
      return at_start_end(
          w, i, f, [wp, i, f] { send_foreign_command(wp->target(i), f); },
          [wp, i, type = f.type] { undo_foreign_command(wp->target(i).target(), type); });
    case FaultType::ClaimAddress: {
      const proto::DeviceAddress own = w.target(i).target().address();
      auto set = [wp, i, announce = f.announce](proto::DeviceAddress a) {
        wp->target(i).target().set_address(a.shelf, a.slot);
        if (announce) wp->target(i).target().announce(wp->now());
        wp->target(i).pump();
      };
      return at_start_end(w, i, f, [set, a = f.address] { set(a); }, [set, own] { set(own); });
    }
    case FaultType::PortDown:
      return at_start_end(w, i, f, [wp, i] { wp->set_port_up(i, false); }, [wp, i] { wp->set_port_up(i, true); });
    case FaultType::PortMtu: {
      const std::uint32_t old = w.port_mtu(i);
      return at_start_end(w, i, f, [wp, i, mtu = f.mtu] { wp->set_port_mtu(i, mtu); },
                          [wp, i, old] { wp->set_port_mtu(i, old); });
    }
    default: return;  // a frame fault or a link impairment: installed above
  }
}

}  // namespace aoeh::faults
