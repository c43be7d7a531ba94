// The guard is a plain child of ordeal without PR_SET_PDEATHSIG, so it
// outlives ordeal. Between fork and exec only async-signal-safe calls are
// made (ordeal may have threads): every string is prepared before the fork.
#include "faults/hook_lease.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "faults/hook.h"

namespace ordeal::faults {
namespace {

constexpr int kGuardPollMs = 10;

void sleep_ms(int ms) {
  timespec t{.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1'000'000L};
  nanosleep(&t, nullptr);
}

// Waits for the stop command, killing its process group after timeout_ms.
void wait_bounded(pid_t pid, int timeout_ms) {
  for (int waited_ms = 0; waited_ms <= timeout_ms; waited_ms += kGuardPollMs) {
    if (waitpid(pid, nullptr, WNOHANG) == pid) return;
    sleep_ms(kGuardPollMs);
  }
  kill(-pid, SIGKILL);
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
}

// The guard's whole life: wait for "released", end of file or the lease,
// then run the stop command unless released.
[[noreturn]] void guard(int read_fd, int log_fd, const char* command, char* phase_env,
                        int64_t lease_ms, int timeout_ms) {
  pollfd p{.fd = read_fd, .events = POLLIN, .revents = 0};
  const int wait_ms = static_cast<int>(std::min<int64_t>(lease_ms, 0x7fffffff));
  int ready = 0;
  do {
    ready = poll(&p, 1, wait_ms);
  } while (ready < 0 && errno == EINTR);
  char byte = 0;
  if (ready > 0 && read(read_fd, &byte, 1) == 1 && byte == 'r') _exit(0);
  const pid_t stop = fork();
  if (stop == 0) {
    setpgid(0, 0);
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    putenv(phase_env);
    execl("/bin/sh", "sh", "-c", command, static_cast<char*>(nullptr));
    _exit(127);
  }
  if (stop > 0) wait_bounded(stop, timeout_ms);
  _exit(0);
}

}  // namespace

HookLease::~HookLease() {
  if (pid_ <= 0) return;
  close(pipe_);  // unreleased: the guard runs the stop command now
  pipe_ = -1;
  wait_for_guard(int64_t{timeout_ms_} + 1000);
}

std::string HookLease::arm(const std::string& stop_command, const std::string& log_path,
                           int64_t lease_ms, int timeout_ms) {
  if (pid_ > 0) return "a hook lease is already armed";
  const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) return fmt::format("cannot open {}: {}", log_path, std::strerror(errno));
  int fds[2];
  // A socket pair rather than a pipe: release() can then write with
  // MSG_NOSIGNAL to a guard that already exited, without a SIGPIPE.
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    close(log);
    return fmt::format("cannot make a pipe for a hook lease: {}", std::strerror(errno));
  }
  std::string phase_env = "ORDEAL_HOOK_PHASE=lease-expired";
  pid_ = fork();
  if (pid_ == 0) {
    close(fds[1]);
    // Its own session: a Ctrl-C meant for ordeal must not kill the guard.
    setsid();
    close_inherited_fds({fds[0], log});
    guard(fds[0], log, stop_command.c_str(), phase_env.data(), lease_ms, timeout_ms);
  }
  close(fds[0]);
  close(log);
  if (pid_ < 0) {
    close(fds[1]);
    return fmt::format("cannot start a hook lease guard: {}", std::strerror(errno));
  }
  pipe_ = fds[1];
  timeout_ms_ = timeout_ms;
  return "";
}

void HookLease::release() {
  if (pid_ <= 0) return;
  const char released = 'r';
  if (send(pipe_, &released, 1, MSG_NOSIGNAL) != 1) kill(pid_, SIGKILL);  // it is gone or stuck: stop it
  close(pipe_);
  pipe_ = -1;
  wait_for_guard(1000);
}

void HookLease::wait_for_guard(int64_t wait_ms) {
  for (int64_t waited_ms = 0; waited_ms <= wait_ms; waited_ms += kGuardPollMs) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    sleep_ms(kGuardPollMs);
  }
  // Still running after its own bound: leave it to finish on its own.
  pid_ = -1;
}

}  // namespace ordeal::faults
