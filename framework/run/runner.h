// Runs a scenario in sim mode: generates cases from the seed (RapidCheck),
// runs and checks each, and on the first failure shrinks it to the smallest
// case that still fails. The result carries what the reports need.
//
//   RunOutcome outcome = run_scenario(scenario, {.seed = 7, .cases = 1000});
//   if (outcome.failed()) write_repro(outcome.failing_case, ...);
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "framework/check/property.h"
#include "framework/history/history.h"
#include "framework/run/case.h"
#include "framework/run/scenario.h"
#include "framework/run/target.h"
#include "targets/exchange/defects.h"

namespace ordeal {

struct CaseVerdict {
  History history;
  std::vector<Violation> violations;
  // The target failed: the history is incomplete, so there is no verdict.
  std::string error;
};

// Runs one case in the simulator and checks the scenario's properties over
// its history.
CaseVerdict check_case(const Scenario& scenario, const Case& c, const exchange::DefectSet& defects);

struct Progress {
  uint64_t cases = 0;
  uint64_t operations = 0;
  uint64_t violations = 0;
  double wall_s = 0;
  bool shrinking = false;
};

// Makes the target for one case (a fresh exchange per case), or null with
// `error` set when the target cannot start.
using TargetFactory = std::function<std::unique_ptr<Target>(const Case& c, std::string& error)>;

struct RunOptions {
  uint64_t seed = 0;
  int cases = 100;
  exchange::DefectSet defects;
  int shard_index = 0;  // runs only the cases whose index is shard_index modulo shard_count
  int shard_count = 1;
  double time_budget_s = 0;  // 0: no budget
  bool shrink = true;
  // Shrinking stops after this long and reports what it has
  // (RunOutcome::shrink_cut_short). On the simulator, and on a
  // deterministic_target, the seconds are counted in operations the
  // candidate cases sent, 500,000 a second, so that the shrunk case does not
  // depend on the machine's speed (large cases take longer in wall time);
  // on a live target, in wall time.
  double shrink_budget_s = 30;
  // Of that, RapidCheck's own shrinking of the generated values gets at most
  // this long (and a quarter of the budget) before ordeal's minimizer takes
  // over. Tests that need the minimizer's result alone set it to 0.
  double value_shrink_s = 2.0;
  std::function<void(const Progress&)> on_progress;
  // After each live case: what its clean-up cancelled (case_clean_up.h).
  std::function<void(const CaseCleanUp&)> on_clean_up;
  TargetFactory make_target;  // empty: the inproc simulator
  // make_target's cases replay exactly (a virtual clock, every choice from
  // the case's seed, as the toy venue's in examples/extending): shrinking
  // counts its budget in operations as on the simulator.
  bool deterministic_target = false;
};

// A fault point of the scenario over the cases a run ran (shrinking's
// candidates not counted): the windows that armed it and its fires.
struct FaultTally {
  std::string point;
  uint64_t windows = 0;
  uint64_t fires = 0;
};

struct RunOutcome {
  uint64_t cases_run = 0;
  // Sent: the invocations in the histories of the cases run (shrinking's
  // candidates not counted); `events` likewise.
  uint64_t operations = 0;
  // Generated but never sent, of the cases run (not shrinking): a case
  // stops its clients at 10 minutes of virtual time (case_run.cc).
  uint64_t operations_unsent = 0;
  uint64_t events = 0;
  double wall_s = 0;
  double first_failure_s = 0;
  double shrunk_s = 0;
  // Shrinking ran on the failing case (it may have found nothing smaller);
  // false for --no-shrink and for a replay, whose case is reported as given.
  bool shrunk = false;
  // Shrinking reached its budget (shrink_budget_s), or was interrupted,
  // with more left to try: the case is the smallest found by then.
  bool shrink_cut_short = false;
  bool budget_exhausted = false;
  bool interrupted = false;           // SIGINT or SIGTERM stopped the run
  std::string target_error;           // the target failed: no verdict on that case
  std::vector<Violation> violations;  // of the failing (shrunk) case
  CaseCleanUp clean_up;               // every case's clean-up, added up
  std::optional<Case> failing_case;   // shrunk unless shrinking was off
  std::optional<Case> original_case;  // as first found
  Case last_case;                     // the failing case, or the last one run
  History history;                    // of last_case
  // Each fault point the scenario arms, in its order, on the simulator
  // (which records every fire); empty on another target.
  std::vector<FaultTally> fault_points;
  bool failed() const { return failing_case.has_value(); }
};

RunOutcome run_scenario(const Scenario& scenario, const RunOptions& options);
// One case on the options' target (the simulator when make_target is empty),
// cleaned up after as in a run.
CaseVerdict check_case(const Scenario& scenario, const Case& c, const RunOptions& options);
// Shrinks one given case with ordeal's minimizer alone (as after a run's
// RapidCheck phase), keeping the first property it violates; not failed()
// when the case violates nothing. Deterministic on the simulator.
RunOutcome shrink_case(const Scenario& scenario, const Case& c, const RunOptions& options);

// A fresh seed when none is given (52 bits, so that it survives JSON and
// spreadsheets as a number); the caller prints it, so the run can be repeated.
uint64_t draw_seed();

}  // namespace ordeal
