// The lease of a hook fault: once a hook's start command has run, a guard
// process holds its stop command and runs it if ordeal does not, so that a
// staging cluster is healed even when ordeal is killed (kill -9, a crashed
// CI runner) or stops a case early. The guard runs the stop command when
//   - ordeal releases the lease without having run the stop (the object is
//     destroyed unreleased: an interrupted or failed case), or ordeal dies
//     (the guard sees its pipe close);
//   - the lease runs out (the window's length plus a margin) while ordeal
//     is still alive but has not run the stop;
// and exits quietly when ordeal ran the stop itself (`release`).
//
//   HookLease lease;
//   if (auto error = lease.arm(stop, "OUT/hooks.log", lease_ms, timeout_ms); !error.empty()) ...
//   ...  // at the window's end, ordeal runs the stop command itself:
//   lease.release();
#pragma once

#include <sys/types.h>

#include <string>

namespace ordeal::faults {

class HookLease {
 public:
  HookLease() = default;
  // Unreleased: the guard runs the stop command now; waits for it at most
  // its timeout (plus a second).
  ~HookLease();
  HookLease(const HookLease&) = delete;
  HookLease& operator=(const HookLease&) = delete;

  // Starts the guard. lease_ms: when it runs the stop on its own;
  // timeout_ms: how long the stop command may take before it is killed.
  std::string arm(const std::string& stop_command, const std::string& log_path, int64_t lease_ms,
                  int timeout_ms);
  // ordeal ran the stop command itself: the guard exits without running it.
  void release();
  pid_t guard_pid() const { return pid_; }

 private:
  void wait_for_guard(int64_t wait_ms);
  pid_t pid_ = -1;
  int pipe_ = -1;  // ordeal's end of the socket pair; the guard holds the other
  int timeout_ms_ = 0;
};

}  // namespace ordeal::faults
