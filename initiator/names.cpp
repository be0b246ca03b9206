// Human-readable names of the engine's enums (logs, reports, bindings).
#include "initiator/types.hpp"

namespace aoeh::initiator {

const char* submit_error_name(SubmitError e) {
  switch (e) {
    case SubmitError::None: return "none";
    case SubmitError::NoSuchDevice: return "no such device";
    case SubmitError::DeviceNotUp: return "device not up";
    case SubmitError::BadBuffer: return "bad buffer";
    case SubmitError::BeyondEnd: return "beyond end of device";
    case SubmitError::TooLarge: return "request too large";
  }
  return "unknown submit error";
}

const char* io_status_name(IoStatus s) {
  switch (s) {
    case IoStatus::Ok: return "ok";
    case IoStatus::AtaError: return "ATA error";
    case IoStatus::AoeError: return "AoE error";
    case IoStatus::Reserved: return "target reserved";
    case IoStatus::DeviceDown: return "device down";
    case IoStatus::Cancelled: return "cancelled";
  }
  return "unknown status";
}

const char* device_state_name(DeviceState s) {
  switch (s) {
    case DeviceState::Discovered: return "discovered";
    case DeviceState::Up: return "up";
    case DeviceState::Down: return "down";
    case DeviceState::Closewait: return "closewait";
    case DeviceState::Failed: return "failed";
  }
  return "unknown state";
}

const char* event_kind_name(EventKind k) {
  switch (k) {
    case EventKind::DeviceUp: return "device up";
    case EventKind::DeviceDown: return "device down";
    case EventKind::DeviceFailed: return "device failed";
    case EventKind::DeviceResized: return "device resized";
    case EventKind::IoCompleted: return "I/O completed";
    case EventKind::PathAdded: return "path added";
    case EventKind::PathUnhealthy: return "path unhealthy";
    case EventKind::PathHealthy: return "path healthy";
    case EventKind::PayloadFallback: return "payload fallback";
    case EventKind::ShelfUnset: return "shelf unset";
    case EventKind::ConfigChanged: return "config changed";
  }
  return "unknown event";
}

}  // namespace aoeh::initiator
