#pragma once
// The live side of the bindings (live.cpp): aoeh.LiveSession, its errors, and certify()'s view of it.
#include <pybind11/pybind11.h>

#include <optional>

#include "bindings/certify_subjects.hpp"

namespace aoeh::bindings {

// Nullopt unless `subject` is an aoeh.LiveSession; then a LiveWorld on its interfaces.
std::optional<CertifySubject> live_certify_subject(const pybind11::object& subject, const pybind11::object& target);

// aoeh.LivePermissionError (permission) or aoeh.InterfaceError, with `.code` set.
[[noreturn]] void raise_live_error(const std::string& message, const std::string& code, bool permission);

void bind_live(pybind11::module_& m);

}  // namespace aoeh::bindings
