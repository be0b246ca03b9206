// Conversions shared by the binding files.
#include <pybind11/stl.h>

#include "bindings/handles.hpp"

namespace aoeh::bindings {

PortRecord& PortHandle::rec() const {
  switch (owner) {
    case Owner::Initiator: return world->initiators.at(host).ports.at(port);
    case Owner::Target: return world->targets.at(host).ports.at(port);
    case Owner::Probe: return world->probes.at(host).port;
  }
  throw std::logic_error("bad port owner");
}

Nanos to_nanos(double seconds, const char* what) {
  if (!std::isfinite(seconds) || seconds < 0)
    throw py::value_error(std::string(what) + " must be a finite number of seconds >= 0, got " +
                          std::to_string(seconds));
  if (seconds > 9.2e9) throw py::value_error(std::string(what) + " is too large (at most ~292 years)");
  return static_cast<Nanos>(std::llround(seconds * 1e9));
}

proto::DeviceAddress to_address(py::handle h) {
  if (py::isinstance<py::str>(h)) {
    const std::string s = h.cast<std::string>();
    if (auto a = proto::DeviceAddress::parse(s)) return *a;
    throw py::value_error("not an AoE device address: '" + s + "' (expected eSHELF.SLOT like e1.0)");
  }
  if (py::isinstance<py::tuple>(h) || py::isinstance<py::list>(h)) {
    auto seq = h.cast<py::sequence>();
    if (seq.size() == 2) {
      const long shelf = seq[0].cast<long>(), slot = seq[1].cast<long>();
      if (shelf < 0 || shelf > 0xFFFF || slot < 0 || slot > 0xFF)
        throw py::value_error("device address out of range: shelf 0..65535, slot 0..255");
      return {static_cast<std::uint16_t>(shelf), static_cast<std::uint8_t>(slot)};
    }
  }
  if (py::hasattr(h, "address")) return to_address(h.attr("address"));
  throw py::value_error("expected a device address ('e1.0', (1, 0), a Device or a Target), got " +
                        py::repr(h).cast<std::string>());
}

proto::MacAddress to_mac(py::handle h) {
  if (py::isinstance<py::str>(h)) {
    const std::string s = h.cast<std::string>();
    if (auto m = proto::MacAddress::parse(s)) return *m;
    throw py::value_error("not a MAC address: '" + s + "' (expected 02:00:00:00:00:01)");
  }
  if (py::hasattr(h, "mac")) return to_mac(h.attr("mac"));
  throw py::value_error("expected a MAC address string, got " + py::repr(h).cast<std::string>());
}

std::vector<std::uint8_t> to_byte_vector(py::handle h, const char* what) {
  if (py::isinstance<py::str>(h))
    throw py::value_error(std::string(what) + " must be bytes-like, not str (encode it first)");
  Py_buffer view;
  if (PyObject_GetBuffer(h.ptr(), &view, PyBUF_C_CONTIGUOUS) != 0) {
    PyErr_Clear();
    throw py::value_error(std::string(what) + " must be bytes-like (bytes, bytearray, memoryview), got " +
                          std::string(py::str(py::type::of(h).attr("__name__"))));
  }
  std::vector<std::uint8_t> out(static_cast<const std::uint8_t*>(view.buf),
                                static_cast<const std::uint8_t*>(view.buf) + view.len);
  PyBuffer_Release(&view);
  return out;
}

std::string mac_string(const proto::MacAddress& m) { return m.to_string(); }

}  // namespace aoeh::bindings
