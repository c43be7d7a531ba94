// Threads of ordeal's own beside the run's (the FIX sockets', the fault
// proxy's) run event loops whose handlers can throw: a bug in ordeal or in
// a user's extension, or memory running out. Out of a thread's function an
// exception ends the process (std::terminate) and takes the history with
// it; caught here, it is kept as the thread's failure for its owner to
// report, and the loop runs on, so the thread still stops when its owner
// stops it (an asio io_context's run() may be called again after a handler
// threw). Valid C++14: the FIX engine's sources include it.
//
//   ThreadFailure failure;
//   thread = std::thread([&] {
//     run_guarded_loop([&] { io.run(); }, [&](const std::string& what) {
//       failure.note("the socket thread " + what);
//     });
//   });
//   ...
//   if (failure.failed()) report(failure.what());  // "the socket thread threw: ..."
#pragma once

#include <atomic>
#include <exception>
#include <mutex>
#include <new>
#include <string>

namespace ordeal {

// What the exception being handled did, as words to follow the name of what
// was running ("threw: bad key", "ran out of memory"). Call it in a catch
// block only.
inline std::string what_was_thrown() {
  try {
    throw;
  } catch (const std::bad_alloc&) {
    return "ran out of memory";
  } catch (const std::exception& e) {
    return std::string("threw: ") + e.what();
  } catch (...) {
    return "threw something that is not a std::exception";
  }
}

// Calls `run` until it returns; each exception out of it goes to `failed`
// (with what_was_thrown()'s words) and `run` is called again. The handler
// that threw is lost; the ones after it run.
template <typename Run, typename Failed>
void run_guarded_loop(Run run, Failed failed) {
  for (;;) {
    try {
      run();
      return;
    } catch (...) {
      failed(what_was_thrown());
    }
  }
}

// A thread's first failure, read from another thread. Later failures are
// counted, not kept: the first is the cause, the rest are often its echo.
class ThreadFailure {
 public:
  void note(const std::string& what) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (count_ == 0) what_ = what;
    ++count_;
    failed_.store(true, std::memory_order_release);
  }
  // Cheap enough to ask at every step of a case.
  bool failed() const { return failed_.load(std::memory_order_acquire); }
  // The first failure, with how many followed it; empty when none.
  std::string what() const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (count_ <= 1) return what_;
    return what_ + " (and " + std::to_string(count_ - 1) + " failures more)";
  }

 private:
  mutable std::mutex mutex_;
  std::string what_;
  unsigned long count_ = 0;
  std::atomic<bool> failed_{false};
};

}  // namespace ordeal
