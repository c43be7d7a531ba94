// SIGINT and SIGTERM as a flag that long loops poll: a run stops starting
// cases, a live target stops its processes and heals its faults, and the
// command exits 130. The handler itself only sets the flag.
//
//   install_interrupt_handler();
//   while (!interrupted()) run_one_more_case();
#pragma once

#include <csignal>

namespace ordeal {

inline volatile std::sig_atomic_t g_interrupted = 0;

inline bool interrupted() { return g_interrupted != 0; }

inline void install_interrupt_handler() {
  auto handler = [](int) { g_interrupted = 1; };
  std::signal(SIGINT, handler);
  std::signal(SIGTERM, handler);
}

}  // namespace ordeal
