// What every live target shares: the real clock and the event loop of a
// LiveNetwork on the run's thread, the listener, and the error that stops a
// run (an interrupt becomes one, as does a failure of the target's own
// threads). The cluster and fix:// targets build on it.
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
  // Actions belong to the case that scheduled them: once it ended, they are
  // dropped unrun (end_case()).
  void at(int64_t time_us, std::function<void()> action) override {
    net_.at(time_us, [this, generation = case_generation_, action = std::move(action)] {
      if (generation == case_generation_) action();
    });
  }
  void run_until(int64_t time_us) override {
    if (interrupted()) error_ = "interrupted";
    if (error_.empty()) net_.run_until(time_us);
  }
  // A thread's failure first: it is a bug, and what the target says after
  // it (an interrupt, a control error) may be its consequence.
  std::string error() const override {
    if (!threads_failed()) return error_;
    return error_.empty() ? threads_failure() : threads_failure() + "; also: " + error_;
  }
  bool failed() const override { return !error_.empty() || threads_failed(); }

 protected:
  // A failure of a thread the target runs beside the run's (the FIX
  // engine's, the fault proxy's: thread_failure.h). What it was handling,
  // a report or a connection, may be missing from the history, so the run
  // stops on it rather than judge what is left.
  virtual bool threads_failed() const { return false; }
  virtual std::string threads_failure() const { return ""; }

  // The case is over (its run returned, also when interrupted): what it
  // scheduled and has not run yet never runs. A clean-up that serves the
  // network afterwards must not send the case's next requests, time out its
  // answers or open its fault windows, on a case run that is gone.
  void end_case() { ++case_generation_; }

  exchange::LiveNetwork net_;
  exchange::ExchangeListener* listener_ = nullptr;
  std::string error_;  // the first failure of the target; the run stops on it
  uint64_t case_generation_ = 0;
};

}  // namespace ordeal
