#pragma once
// The aoeh.Error hierarchy and helpers that raise its members with their attributes set:
//   aoeh.Error                       base of everything the harness raises itself
//     aoeh.TimeoutError              (also a builtins.TimeoutError) world time ran out
//     aoeh.SubmitError               the engine refused a request (device not up, beyond end, ...)
//     aoeh.IoError                   a request completed with a failure status
//       aoeh.DeviceDownError, aoeh.ReservedError, aoeh.AtaError, aoeh.AoeError, aoeh.CancelledError
//     aoeh.PlanError                 (also a ValueError) a scenario/fault plan file is invalid
// Bad arguments raise ValueError (py::value_error); files that cannot be written raise OSError.
#include <pybind11/pybind11.h>

#include <stdexcept>
#include <string>

#include "bindings/world_state.hpp"

namespace aoeh::bindings {

// Thrown by C++ code without the GIL; translated to aoeh.Error.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

void register_errors(py::module_& m);

[[noreturn]] void raise_timeout(const std::string& message);
[[noreturn]] void raise_submit_error(const std::string& message, const std::string& reason);
// Raises the IoError subclass matching the request's completion status.
[[noreturn]] void raise_io_error(const PendingIo& io);
// `.path` is the JSON path of the offending field ("faults[2].target"; "" for the whole document).
[[noreturn]] void raise_plan_error(const std::string& message, const std::string& path = "");

}  // namespace aoeh::bindings
