// Process faults: what the nemesis does to a whole node of a live target,
// as opposed to a fault point inside its code. A scenario names them like
// fault points, with the node they act on:
//
//   [[nemesis.fault]]
//   point = "process.pause"
//   node = "engine-1"
//
// They need real processes (`--target cluster`); the simulator refuses them.
// Each heals when its window ends, and a live target's nodes die with ordeal,
// so none outlives the run.
#pragma once

#include <array>
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
                     "SIGKILL the node at the window's start, start it afresh at its end "
                     "(its memory is lost)"},
};

inline bool is_process_fault(std::string_view name) { return name.rfind("process.", 0) == 0; }

inline const ProcessFaultInfo* find_process_fault(std::string_view name) {
  for (const ProcessFaultInfo& info : kProcessFaults) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

}  // namespace ordeal::faults
