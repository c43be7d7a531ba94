// Process faults: what the nemesis does to a whole node of a live target,
// as opposed to a fault point inside its code. A scenario names them like
// fault points, with the node they act on:
//
//   [[nemesis.fault]]
//   point = "process.pause"
//   node = "engine-1"
//
// Most need real processes (`--target cluster`); the simulator refuses
// them, but plays process.restart and the version faults (runs_in_sim).
// Each heals when its window ends, and a live target's nodes die with ordeal,
// so none outlives the run. Every node keeps its state on disk, so a SIGKILL
// loses only what was never acknowledged: the gateway's requests in flight,
// which its clients see end unknown when their session drops.
//
// The version faults act on one metadata replica (`node = "meta-1"`): the
// target must survive replicas of two schema versions serving side by side,
// and a step of an upgrade being taken back.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace ordeal::faults {

struct ProcessFaultInfo {
  std::string_view name;
  std::string_view description;
};

inline constexpr std::array kProcessFaults = {
    ProcessFaultInfo{"process.pause",
                     "SIGSTOP the node for the window, then SIGCONT: it sees nothing meanwhile"},
    ProcessFaultInfo{"process.kill",
                     "SIGKILL the node at the window's start, start it again at its end "
                     "(from its state on disk)"},
    ProcessFaultInfo{"process.restart",
                     "SIGKILL the node at the window's start, start it again param ms later "
                     "(default 200, at most the window)"},
    ProcessFaultInfo{"process.mixed_version",
                     "metadata replica: restart it with schema 2 at the window's start, "
                     "among replicas of schema 1; back to schema 1 at its end"},
    ProcessFaultInfo{
        "process.rollback",
        "metadata replica: upgrade it to schema 2 at the window's start, roll it "
        "back to schema 1 param ms later (default 300, at most the window), under load"},
};

// The process faults the simulator can play too: a restart keeps what a
// node keeps on disk, and a replica's schema is the node's to change.
inline bool runs_in_sim(std::string_view name) {
  return name == "process.restart" || name == "process.mixed_version" || name == "process.rollback";
}

// The process faults that act on metadata replicas only.
inline bool is_version_fault(std::string_view name) {
  return name == "process.mixed_version" || name == "process.rollback";
}

// Without a param: how long process.restart keeps the node down, and how
// long process.rollback runs schema 2 before it is rolled back.
inline constexpr int64_t kRestartDownMsDefault = 200;
inline constexpr int64_t kRollbackAfterMsDefault = 300;

inline bool is_process_fault(std::string_view name) { return name.rfind("process.", 0) == 0; }

inline const ProcessFaultInfo* find_process_fault(std::string_view name) {
  for (const ProcessFaultInfo& info : kProcessFaults) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

}  // namespace ordeal::faults
