// Hook faults: a shell command run at a fault window's start and end, such
// as a staging cluster's own upgrade, rollout or rollback script. ordeal
// does not know what it does; it runs it, bounds it with a timeout, and
// records when it ran.
//
//   [[nemesis.fault]]
//   point = "hook"
//   start = "kubectl rollout restart deploy/metadata"
//   stop = "kubectl rollout status deploy/metadata --timeout=60s"
//   timeout_ms = 90000
//
// Hooks run on the machine that runs ordeal, through /bin/sh, with
// ORDEAL_HOOK_PHASE=start|stop in the environment (lease-expired when the
// lease's guard runs the stop: hook_lease.h); only live targets take them.
#pragma once

#include <sys/types.h>

#include <initializer_list>
#include <string>

namespace ordeal::faults {

inline constexpr std::string_view kHookFault = "hook";
inline constexpr int kHookTimeoutMsMax = 3'600'000;

// In a child after fork: closes every descriptor above stderr except `keep`
// (ascending), so that a hook or guard holds none of ordeal's sockets and
// pipes. Async-signal-safe.
void close_inherited_fds(std::initializer_list<int> keep);

// One running hook command. The destructor kills it if it still runs.
class HookProcess {
 public:
  HookProcess() = default;
  ~HookProcess();
  HookProcess(HookProcess&& other) noexcept : pid_(other.pid_) { other.pid_ = -1; }
  HookProcess& operator=(HookProcess&&) = delete;
  HookProcess(const HookProcess&) = delete;

  // Starts `/bin/sh -c command` with its output appended to log_path.
  // Returns an error message, or empty.
  std::string start(const std::string& command, const std::string& phase,
                    const std::string& log_path);
  // True once it exited; exit_code is its status (128+n after signal n).
  bool finished(int& exit_code);
  void kill();

 private:
  pid_t pid_ = -1;
};

}  // namespace ordeal::faults
