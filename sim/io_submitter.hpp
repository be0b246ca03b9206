#pragma once
// What a Workload submits I/O through: the in-process EngineHost, or the ns-3 engine application.
// Completions come back as engine events that the owner feeds to Workload::on_event.
#include "initiator/engine.hpp"

namespace aoeh::sim {

class IoSubmitter {
 public:
  virtual ~IoSubmitter() = default;
  virtual initiator::SubmitResult submit(proto::DeviceAddress device, const initiator::IoRequest& request) = 0;
};

}  // namespace aoeh::sim
