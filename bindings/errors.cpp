#include "bindings/errors.hpp"
#include "bindings/live_session.hpp"

#include "protocol/device_address.hpp"

namespace aoeh::bindings {
namespace {

// Exception classes live as long as the interpreter: plain handles, never decref'd at exit.
struct Classes {
  py::handle error, timeout, submit, io, device_down, reserved, ata, aoe, cancelled, plan, live, live_permission, interface;
} classes;

py::handle make_class(py::module_& m, const char* name, const char* doc, py::tuple bases) {
  const std::string qualified = std::string("aoeh.") + name;
  PyObject* cls = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, bases.ptr(), nullptr);
  if (cls == nullptr) throw py::error_already_set();
  m.add_object(name, py::handle(cls));  // the module keeps one reference; ours is never released
  return py::handle(cls);
}

[[noreturn]] void raise(py::handle cls, const std::string& message, const py::dict& attrs) {
  py::object exc = cls(message);
  for (auto item : attrs) exc.attr(item.first) = item.second;
  PyErr_SetObject(cls.ptr(), exc.ptr());
  throw py::error_already_set();
}

}  // namespace

void register_errors(py::module_& m) {
  auto one = [](py::handle h) { return py::make_tuple(h); };
  classes.error = make_class(m, "Error", "Base of every error the aoeh harness raises itself.",
                             one(PyExc_Exception));
  classes.timeout = make_class(m, "TimeoutError",
                               "World time ran out before the awaited condition held (the world stays usable).",
                               py::make_tuple(classes.error, py::handle(PyExc_TimeoutError)));
  classes.submit = make_class(m, "SubmitError",
                              "The initiator engine refused a request; `.reason` says why "
                              "(no such device, device not up, beyond end of device, bad buffer, too large).",
                              one(classes.error));
  classes.io = make_class(m, "IoError",
                          "A request completed with a failure. Attributes: status, device, kind, lba, count, "
                          "ata_status, ata_error, aoe_error, time.",
                          one(classes.error));
  classes.device_down = make_class(m, "DeviceDownError",
                                   "The device went down (dead_after without progress) with the request pending.",
                                   one(classes.io));
  classes.reserved = make_class(m, "ReservedError",
                                "The target is reserved by another initiator (AoE Error 6).", one(classes.io));
  classes.ata = make_class(m, "AtaError", "The target answered with ATA ERR/DF (see ata_status, ata_error).",
                           one(classes.io));
  classes.aoe = make_class(m, "AoeError", "The target answered with an AoE Error reply (see aoe_error).",
                           one(classes.io));
  classes.cancelled = make_class(m, "CancelledError", "The request was cancelled (its device went away).",
                                 one(classes.io));
  classes.plan = make_class(m, "PlanError", "A scenario or fault plan is invalid; `.path` is the JSON path of the offending field "
                            "(e.g. \"faults[2].target\"; \"\" for the whole document).",
                            py::make_tuple(classes.error, py::handle(PyExc_ValueError)));

  classes.live = make_class(m, "LiveError", "A live session could not use its interfaces; `.code` names why "
                            "(no-permission, no-such-interface, interface-down, not-ethernet, mtu-too-small, socket-error).",
                            one(classes.error));
  classes.live_permission = make_class(m, "LivePermissionError",
                                       "Raw Ethernet sockets need CAP_NET_RAW (run as root or grant the capability).",
                                       py::make_tuple(classes.live, py::handle(PyExc_PermissionError)));
  classes.interface = make_class(m, "InterfaceError", "The interface is unknown, down, not Ethernet or its MTU is too small.",
                                 one(classes.live));

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Error& e) {
      PyErr_SetString(classes.error.ptr(), e.what());
    }
  });
}

void raise_timeout(const std::string& message) { raise(classes.timeout, message, py::dict()); }

void raise_submit_error(const std::string& message, const std::string& reason) {
  py::dict attrs;
  attrs["reason"] = reason;
  raise(classes.submit, message, attrs);
}

void raise_plan_error(const std::string& message, const std::string& path) {
  py::dict attrs;
  attrs["path"] = path;
  raise(classes.plan, message, attrs);
}

void raise_live_error(const live::LiveError& error) {
  py::dict attrs;
  attrs["code"] = live::live_errc_name(error.code());
  const bool permission = error.code() == live::LiveErrc::NoPermission;
  raise(permission ? classes.live_permission : classes.interface, error.what(), attrs);
}

void raise_io_error(const PendingIo& io) {
  using S = initiator::IoStatus;
  const auto& e = io.completion;
  py::handle cls = classes.io;
  switch (e.status) {
    case S::DeviceDown: cls = classes.device_down; break;
    case S::Reserved: cls = classes.reserved; break;
    case S::AtaError: cls = classes.ata; break;
    case S::AoeError: cls = classes.aoe; break;
    case S::Cancelled: cls = classes.cancelled; break;
    case S::Ok: break;
  }
  std::string message = std::string(io_kind_key(io.kind)) + " " + io.device.to_string();
  if (io.kind != initiator::IoKind::Flush)
    message += " lba " + std::to_string(io.lba) + " count " + std::to_string(io.sectors);
  message += std::string(" failed: ") + io_status_key(e.status);
  char regs[64];
  if (e.status == S::AtaError) {
    std::snprintf(regs, sizeof regs, " (ATA status 0x%02x, error 0x%02x)", e.ata_status, e.ata_error);
    message += regs;
  }
  if (e.aoe_error != proto::AoeError::None) message += " (AoE error " + std::to_string(int(e.aoe_error)) + ")";
  std::snprintf(regs, sizeof regs, " at t=%.6f s", static_cast<double>(io.completed_at) / 1e9);
  message += regs;
  py::dict attrs;
  attrs["status"] = io_status_key(e.status);
  attrs["device"] = io.device.to_string();
  attrs["kind"] = io_kind_key(io.kind);
  attrs["lba"] = io.lba;
  attrs["count"] = io.sectors;
  attrs["ata_status"] = e.ata_status;
  attrs["ata_error"] = e.ata_error;
  attrs["aoe_error"] = static_cast<int>(e.aoe_error);
  attrs["time"] = static_cast<double>(io.completed_at) / 1e9;
  raise(cls, message, attrs);
}

}  // namespace aoeh::bindings
