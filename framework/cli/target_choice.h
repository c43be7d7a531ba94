// Which target `ordeal run` and `ordeal replay` drive, checked against the
// scenario before anything starts: inproc (the simulator), cluster
// (processes on loopback), a fix:// URI, or one the program registered
// (framework/run/target_registry.h). Bad choices are usage errors (exit 2)
// that name the flag or the scenario's line.
//
//   TargetChoice choice = choose_target(scenario, "cluster", "none", "ordeal-out");
//   if (!choice) { print choice.error; exit 2; }
//   options.make_target = choice.make_target;  // empty for inproc
#pragma once

#include <string>
#include <string_view>

#include "framework/run/runner.h"

namespace ordeal::cli {

struct TargetChoice {
  std::string target;          // as chosen: inproc, cluster or fix://...
  std::string label;           // where it was chosen, for errors: "--target"
  TargetFactory make_target;   // empty: the inproc simulator
  std::string notice;          // printed before the run (what a foreign gateway skips)
  std::string error;           // why the choice is refused
  bool named = false;          // a registered target: the defect is its own to read
  bool deterministic = false;  // it replays a case exactly (RunOptions::deterministic_target)
  explicit operator bool() const { return error.empty(); }
};

// `scenario` must outlive the factory. `out_dir` holds the cluster's logs;
// `label` says where the target was chosen, in errors.
// The simulator is refused a scenario with faults it cannot play, or with
// `only` given, a case that arms one (a replay runs a single case).
TargetChoice choose_target(const Scenario& scenario, const std::string& target,
                           const std::string& defect, const std::string& out_dir,
                           const Case* only = nullptr, std::string_view label = "--target");

// The first fault of the case (of the whole scenario without one) that the
// simulator cannot play, or null.
const FaultSpec* live_only_fault(const Scenario& scenario, const Case* only = nullptr);

}  // namespace ordeal::cli
