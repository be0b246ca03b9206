#pragma once
// The live side of the bindings (live.cpp): aoeh.LiveSession, its errors, and certify()'s view of it.
#include <pybind11/pybind11.h>

#include <optional>

#include "bindings/certify_subjects.hpp"
#include "live/errors.hpp"

namespace aoeh::bindings {

// Nullopt unless `subject` is an aoeh.LiveSession; then a LiveWorld on its interfaces.
std::optional<CertifySubject> live_certify_subject(const pybind11::object& subject, const pybind11::object& target);

// aoeh.LivePermissionError (no CAP_NET_RAW) or aoeh.InterfaceError, with `.code` set.
[[noreturn]] void raise_live_error(const live::LiveError& error);

void bind_live(pybind11::module_& m);

}  // namespace aoeh::bindings
