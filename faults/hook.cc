#include "faults/hook.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ordeal::faults {

void close_inherited_fds(std::initializer_list<int> keep) {
  unsigned first = STDERR_FILENO + 1;
  for (const int fd : keep) {
    if (fd < static_cast<int>(first)) continue;
    if (static_cast<unsigned>(fd) > first) close_range(first, static_cast<unsigned>(fd) - 1, 0);
    first = static_cast<unsigned>(fd) + 1;
  }
  close_range(first, ~0U, 0);
}

HookProcess::~HookProcess() { kill(); }

std::string HookProcess::start(const std::string& command, const std::string& phase,
                               const std::string& log_path) {
  const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) return fmt::format("cannot open {}: {}", log_path, std::strerror(errno));
  const std::string phase_env = "ORDEAL_HOOK_PHASE=" + phase;
  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ == 0) {
    // Its own process group, so that a timeout kills the whole script.
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    dup2(log, STDOUT_FILENO);
    dup2(log, STDERR_FILENO);
    close_inherited_fds({});
    putenv(const_cast<char*>(phase_env.c_str()));
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(log);
  if (pid_ < 0) return fmt::format("cannot start a hook: {}", std::strerror(errno));
  return "";
}

bool HookProcess::finished(int& exit_code) {
  if (pid_ <= 0) return true;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) != pid_) return false;
  pid_ = -1;
  exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return true;
}

void HookProcess::kill() {
  if (pid_ <= 0) return;
  ::kill(-pid_, SIGKILL);
  ::kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

}  // namespace ordeal::faults
