#pragma once
// SIGINT/SIGTERM as a stop request for a live loop: the first one is recorded (the loop ends
// cleanly and keeps its results), a second one exits at once.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <memory>

namespace aoeh::live {

class StopSignals {
 public:
  explicit StopSignals(boost::asio::io_context& io);
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  int received() const { return *signal_; }  // 0 until a signal arrives

 private:
  void arm();
  boost::asio::signal_set set_;
  std::shared_ptr<int> signal_ = std::make_shared<int>(0);  // outlives us in a pending handler
};

}  // namespace aoeh::live
