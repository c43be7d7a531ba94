// SIGINT and SIGTERM as a flag that long loops poll: a run stops starting
// cases, a live target stops its processes and heals its faults, and the
// command exits 130. The handler itself only counts the signals: a second
// one, a second or more later, also cuts short the waits that the first
// still lets finish (the clean-up of open orders).
//
//   install_interrupt_handler();
//   while (!interrupted()) run_one_more_case();
#pragma once

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdint>
#include <ctime>

namespace ordeal {

inline volatile std::sig_atomic_t g_interrupted = 0;
// When the first signal came (CLOCK_MONOTONIC, ms). One Ctrl-C can arrive
// twice: `timeout` and shells pass it to the child and to the whole
// process group. So a repeat within kRepeatMs is the same interrupt.
inline std::atomic<int64_t> g_first_interrupt_ms = 0;
inline constexpr int64_t kRepeatMs = 1'000;
static_assert(std::atomic<int64_t>::is_always_lock_free, "read and written in a signal handler");

inline bool interrupted() { return g_interrupted != 0; }
inline bool interrupted_twice() { return g_interrupted >= 2; }

inline int64_t monotonic_ms() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);  // safe in a signal handler
  return int64_t{now.tv_sec} * 1000 + now.tv_nsec / 1'000'000;
}

inline void install_interrupt_handler() {
  // Only the handler writes them; a count stops at 2, all that is asked.
  // write(2) is safe in a handler, unlike stdio.
  auto handler = [](int) {
    if (g_interrupted == 0) {
      g_first_interrupt_ms = monotonic_ms();
      g_interrupted = 1;
      static constexpr char kSay[] =
          "ordeal: interrupted: cleaning up and stopping (interrupt again to stop waiting)\n";
      [[maybe_unused]] const ssize_t n = write(STDERR_FILENO, kSay, sizeof kSay - 1);
    } else if (monotonic_ms() - g_first_interrupt_ms >= kRepeatMs) {
      g_interrupted = 2;
    }
  };
  std::signal(SIGINT, handler);
  std::signal(SIGTERM, handler);
}

}  // namespace ordeal
