#include "framework/run/runner.h"

#include <rapidcheck.h>

#include <chrono>
#include <cstdlib>

#include "framework/base/assert.h"
#include "framework/run/generate.h"
#include "framework/run/sim_runner.h"

namespace ordeal {

CaseVerdict check_case(const Scenario& scenario, const Case& c, const exchange::DefectSet& defects) {
  CaseVerdict verdict{.history = run_sim_case(scenario, c, defects)};
  verdict.violations = check_history(verdict.history, scenario.properties, scenario.limits);
  return verdict;
}

namespace {

using Clock = std::chrono::steady_clock;

// RapidCheck's default listener prints progress and, at exit, its own
// reproduction hint; ordeal reports through its own listeners instead.
class QuietListener final : public rc::detail::TestListener {
 public:
  void onTestCaseFinished(const rc::detail::CaseDescription&) override {}
  void onShrinkTried(const rc::detail::CaseDescription&, bool) override {}
  void onTestFinished(const rc::detail::TestMetadata&, const rc::detail::TestResult&) override {}
};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

RunOutcome run_scenario(const Scenario& scenario, const RunOptions& options) {
  ORDEAL_ASSERT(options.shard_count >= 1 && options.shard_index >= 0 &&
                options.shard_index < options.shard_count);
  RunOutcome outcome;
  const auto start = Clock::now();
  const rc::Gen<Case> generator = case_generator(scenario);
  uint64_t case_index = 0;
  Progress progress;
  auto property = [&] {
    const Case c = *generator;
    const bool shrinking = outcome.original_case.has_value();
    if (!shrinking) {
      if (case_index++ % options.shard_count != static_cast<uint64_t>(options.shard_index)) return;
      if (options.time_budget_s > 0 && seconds_since(start) > options.time_budget_s) {
        outcome.budget_exhausted = true;
        return;
      }
      ++outcome.cases_run;
    }
    CaseVerdict verdict = check_case(scenario, c, options.defects);
    outcome.operations += c.operations();
    outcome.events += verdict.history.size();
    progress = Progress{.cases = outcome.cases_run, .operations = outcome.operations,
                        .violations = progress.violations, .wall_s = seconds_since(start),
                        .shrinking = shrinking};
    const bool failed = !verdict.violations.empty();
    if (failed) {
      if (!shrinking) {
        outcome.original_case = c;
        outcome.first_failure_s = seconds_since(start);
        progress.violations = verdict.violations.size();
      }
      outcome.failing_case = c;
      outcome.violations = std::move(verdict.violations);
    }
    if (failed || !outcome.failing_case) {
      outcome.last_case = c;
      outcome.history = std::move(verdict.history);
    }
    if (options.on_progress) options.on_progress(progress);
    if (failed) RC_FAIL(outcome.violations.front().message);
  };
  rc::detail::TestParams params;
  params.seed = options.seed;
  params.maxSuccess = options.cases * options.shard_count;
  params.maxSize = 100;
  params.disableShrinking = !options.shrink;
  rc::detail::TestMetadata metadata{.id = scenario.name, .description = scenario.name};
  // RapidCheck announces a configuration it drew itself on stderr; a fixed
  // default seed keeps it quiet (ordeal passes its own seed in params).
  setenv("RC_PARAMS", "seed=0", /*overwrite=*/0);
  QuietListener listener;
  rc::detail::checkProperty(rc::detail::toProperty(property), metadata, params, listener);
  outcome.wall_s = seconds_since(start);
  if (outcome.failed()) outcome.shrunk_s = outcome.wall_s;
  return outcome;
}

}  // namespace ordeal
