// What every live target shares: the real clock and the event loop of a
// LiveNetwork on the run's thread, the listener, and the error that stops a
// run (an interrupt becomes one). The cluster and fix:// targets build on it.
//
//   class MyTarget final : public LiveTarget {
//     MyTarget(uint64_t seed) : LiveTarget(seed) {}
//     ...  // submit, metadata and nemesis
//   };
#pragma once

#include <functional>
#include <string>

#include "framework/base/interrupt.h"
#include "framework/run/target.h"
#include "targets/exchange/live_network.h"

namespace ordeal {

class LiveTarget : public Target {
 public:
  explicit LiveTarget(uint64_t seed) : net_(seed) {}

  void set_listener(exchange::ExchangeListener* listener) override { listener_ = listener; }
  int64_t now_us() const override { return net_.now_us(); }
  void at(int64_t time_us, std::function<void()> action) override {
    net_.at(time_us, std::move(action));
  }
  void run_until(int64_t time_us) override {
    if (interrupted()) error_ = "interrupted";
    if (error_.empty()) net_.run_until(time_us);
  }
  std::string error() const override { return error_; }

 protected:
  exchange::LiveNetwork net_;
  exchange::ExchangeListener* listener_ = nullptr;
  std::string error_;  // the first failure of the target; the run stops on it
};

}  // namespace ordeal
