// The processes a live run started, so that it stops every one of them: at
// the end, on failure, and on SIGINT. Each child dies with ordeal too (the
// kernel signals it when its parent exits), so no node outlives a run.
//
//   ProcessGroup group;
//   int i = group.spawn({"exchange-node", "--role", "gateway", ...}, "gateway.log");
//   group.pause(i);  group.resume(i);  group.kill(i);
//   group.stop_all(2000);  // SIGTERM, then SIGKILL after 2 s
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace ordeal::cluster {

class ProcessGroup {
 public:
  ProcessGroup() = default;
  ~ProcessGroup();  // stop_all
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;

  // Starts argv[0] (a path) with stdout and stderr appended to log_path.
  // Returns the child's index, or -1 with error() set.
  int spawn(const std::vector<std::string>& argv, const std::string& log_path);
  // Starts the child again with the same command (after it exited or was killed).
  bool respawn(int index);

  bool pause(int index);   // SIGSTOP
  bool resume(int index);  // SIGCONT
  bool kill(int index);    // SIGKILL, and reaped
  bool alive(int index);
  pid_t pid(int index) const { return children_.at(index).pid; }
  size_t size() const { return children_.size(); }
  // How a child that alive() found gone ended: "exit status 3", "signal 11".
  const std::string& ended(int index) const { return children_.at(index).ended; }

  // SIGTERM to every live child (resumed first), SIGKILL to those still
  // alive after grace_ms; every child reaped.
  void stop_all(int grace_ms = 2000);
  const std::string& error() const { return error_; }

 private:
  struct Child {
    std::vector<std::string> argv;
    std::string log_path;
    pid_t pid = -1;
    std::string ended;
  };
  pid_t start(const Child& child);
  std::vector<Child> children_;
  std::string error_;
};

// Every pid any ProcessGroup has running, for a signal handler that must
// stop them before the process exits (async-signal-safe to read).
void kill_all_children_from_signal_handler();

}  // namespace ordeal::cluster
