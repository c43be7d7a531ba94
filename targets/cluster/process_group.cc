#include "targets/cluster/process_group.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

namespace ordeal::cluster {
namespace {

// A fixed table a signal handler can walk without locks or allocation.
constexpr size_t kTrackedMax = 256;
std::atomic<pid_t> g_tracked[kTrackedMax];

void track(pid_t pid) {
  for (auto& slot : g_tracked) {
    pid_t empty = 0;
    if (slot.compare_exchange_strong(empty, pid)) return;
  }
}
void untrack(pid_t pid) {
  for (auto& slot : g_tracked) {
    pid_t expected = pid;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

// Reaps `pid` if it has exited; true when it is gone. `ended` says how.
bool reaped(pid_t pid, std::string* ended = nullptr) {
  int status = 0;
  const pid_t r = waitpid(pid, &status, WNOHANG);
  if (ended != nullptr && r == pid) {
    *ended = WIFEXITED(status) ? fmt::format("exit status {}", WEXITSTATUS(status))
                               : fmt::format("signal {}", WTERMSIG(status));
  }
  return r == pid || (r < 0 && errno == ECHILD);
}

}  // namespace

void kill_all_children_from_signal_handler() {
  for (auto& slot : g_tracked) {
    const pid_t pid = slot.load();
    if (pid > 0) {
      ::kill(pid, SIGCONT);
      ::kill(pid, SIGKILL);
    }
  }
}

ProcessGroup::~ProcessGroup() { stop_all(); }

pid_t ProcessGroup::start(const Child& child) {
  // Everything the child needs is prepared before fork: after it, only
  // async-signal-safe calls.
  std::vector<char*> argv;
  for (const std::string& a : child.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const int log = open(child.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) {
    error_ = fmt::format("cannot open {}: {}", child.log_path, std::strerror(errno));
    return -1;
  }
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    dup2(log, STDOUT_FILENO);
    dup2(log, STDERR_FILENO);
    signal(SIGINT, SIG_IGN);  // ordeal stops its children itself, in order
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(log);
  if (pid < 0) {
    error_ = fmt::format("cannot start {}: {}", child.argv[0], std::strerror(errno));
    return -1;
  }
  track(pid);
  return pid;
}

int ProcessGroup::spawn(const std::vector<std::string>& argv, const std::string& log_path) {
  Child child{.argv = argv, .log_path = log_path, .pid = -1, .ended = {}};
  child.pid = start(child);
  if (child.pid < 0) return -1;
  children_.push_back(std::move(child));
  return static_cast<int>(children_.size()) - 1;
}

bool ProcessGroup::respawn(int index) {
  Child& child = children_.at(index);
  if (child.pid > 0 && alive(index)) return true;
  child.pid = start(child);
  return child.pid > 0;
}

bool ProcessGroup::alive(int index) {
  Child& child = children_.at(index);
  if (child.pid <= 0) return false;
  if (!reaped(child.pid, &child.ended)) return true;
  untrack(child.pid);
  child.pid = -1;
  return false;
}

bool ProcessGroup::pause(int index) { return alive(index) && ::kill(pid(index), SIGSTOP) == 0; }
bool ProcessGroup::resume(int index) { return alive(index) && ::kill(pid(index), SIGCONT) == 0; }

bool ProcessGroup::kill(int index) {
  if (!alive(index)) return false;
  Child& child = children_.at(index);
  ::kill(child.pid, SIGKILL);
  waitpid(child.pid, nullptr, 0);
  untrack(child.pid);
  child.pid = -1;
  return true;
}

void ProcessGroup::stop_all(int grace_ms) {
  for (size_t i = 0; i < children_.size(); ++i) {
    if (!alive(static_cast<int>(i))) continue;
    ::kill(children_[i].pid, SIGCONT);  // a paused child cannot act on SIGTERM
    ::kill(children_[i].pid, SIGTERM);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(grace_ms);
  for (size_t i = 0; i < children_.size(); ++i) {
    while (alive(static_cast<int>(i)) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    kill(static_cast<int>(i));
  }
}

}  // namespace ordeal::cluster
