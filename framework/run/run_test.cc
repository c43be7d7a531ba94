// The sim engine end to end: determinism, scenario validation, the incident
// scenario's verdicts, shrinking, repro files and sharding.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "framework/base/interrupt.h"
#include "framework/check/property.h"
#include "framework/history/history_jsonl.h"
#include "framework/run/price_grid.h"
#include "framework/run/repro.h"
#include "framework/run/runner.h"
#include "framework/run/shipped_scenarios.h"
#include "framework/run/sim_target.h"
#include "targets/exchange/sim_exchange.h"

namespace ordeal {
namespace {

using exchange::DefectSet;

TEST(Run, SameSeedSameHistoryByteForByte) {
  const Scenario s = shipped("okx-2023-08-14");
  const RunOutcome a = run_scenario(s, {.seed = 42, .cases = 15});
  const RunOutcome b = run_scenario(s, {.seed = 42, .cases = 15});
  ASSERT_FALSE(a.failed());
  EXPECT_GT(a.history.size(), 10u);
  EXPECT_EQ(render(a.history), render(b.history));
  EXPECT_EQ(a.operations, b.operations);
  const RunOutcome c = run_scenario(s, {.seed = 43, .cases = 15});
  EXPECT_NE(render(a.history), render(c.history));
}

TEST(Run, SameCaseSameHistoryWithFaultsArmed) {
  const Scenario s = shipped("metadata-corruption");
  const RunOutcome found = run_scenario(s, {.seed = 7, .cases = 5});
  Case c = found.last_case;
  c.faults = {{.fault = 0, .start_ms = 0, .duration_ms = 800},
              {.fault = 2, .start_ms = 100, .duration_ms = 500}};
  c.upgrade = true;
  EXPECT_EQ(render(run_sim_case(s, c, {})), render(run_sim_case(s, c, {})));
}

TEST(Run, OrderRateCapSpacesRequestsOverAllClients) {
  Scenario s = shipped("okx-2023-08-14");
  const Case c = run_scenario(s, {.seed = 4, .cases = 1}).last_case;
  const auto min_gap_us = [&](const History& h) {
    int64_t gap = INT64_MAX, last = -1;
    for (size_t i = 0; i < h.size(); ++i) {
      if (h[i].type != EventType::invoke) continue;
      if (last >= 0) gap = std::min(gap, h[i].time_us - last);
      last = h[i].time_us;
    }
    return gap;
  };
  EXPECT_LT(min_gap_us(run_sim_case(s, c, {})), 100'000) << "uncapped, clients overlap";
  s.max_orders_per_s = 10;
  EXPECT_GE(min_gap_us(run_sim_case(s, c, {})), 100'000);
}

TEST(Run, IncidentDefectIsFoundAndShrunkToAFewOperations) {
  const Scenario s = shipped("okx-2023-08-14");
  const RunOutcome outcome = run_scenario(
      s, {.seed = 1, .cases = s.cases, .defects = *DefectSet::parse("okx-2023-08-14")});
  ASSERT_TRUE(outcome.failed());
  const std::string& property = outcome.violations.front().property;
  EXPECT_TRUE(property == "no-lost-cancel" || property == "no-lost-amend" ||
              property == "no-lost-order")
      << property;
  EXPECT_LE(outcome.failing_case->operations(), 8u);
  EXPECT_LE(outcome.failing_case->operations(), outcome.original_case->operations());
  // The reported history is the shrunk case's, and it shows the violation.
  EXPECT_FALSE(check_history(outcome.history, {}, s.limits).empty());
}

// On the simulator shrinking's budget is counted in the operations its
// candidates send, not in time: a budget too small to finish (a
// millisecond, 500 operations) stops it at the same case on every run,
// whatever the machine's load, and says so. The run's counts are those of
// the cases run: the same as without shrinking.
TEST(Run, ShrinkingOnTheSimulatorStopsAtTheSameCaseWhateverTheMachinesSpeed) {
  const Scenario s = shipped("okx-2023-08-14");
  const RunOptions options{.seed = 1,
                           .cases = s.cases,
                           .defects = *DefectSet::parse("okx-2023-08-14"),
                           .shrink_budget_s = 0.001};
  const RunOutcome a = run_scenario(s, options);
  const RunOutcome b = run_scenario(s, options);
  ASSERT_TRUE(a.failed() && b.failed());
  EXPECT_TRUE(a.shrink_cut_short);
  EXPECT_LT(a.failing_case->operations(), a.original_case->operations()) << "it began";
  EXPECT_EQ(*a.failing_case, *b.failing_case);
  EXPECT_EQ(render(a.history), render(b.history));

  RunOptions unshrunk = options;
  unshrunk.shrink = false;
  const RunOutcome found = run_scenario(s, unshrunk);
  EXPECT_EQ(a.operations, found.operations);
  EXPECT_EQ(a.events, found.events);
  EXPECT_EQ(a.cases_run, found.cases_run);

  RunOptions plenty = options;
  plenty.shrink_budget_s = 30;
  EXPECT_FALSE(run_scenario(s, plenty).shrink_cut_short);
}

// restart-loses-orders needs a shard to crash after an order rests; the
// crash has probability 0.05 per request applied, so as generated it takes
// about 20 requests to happen at all. Shrinking pins it to one of its first
// checks, and the requests that only gave it its chances go (seed 2: from
// 24 operations before pinning, to 3). The case had two windows of the
// crash armed as one, the pin on the later: the later goes once it hands
// its pin to the earlier, which the arm starts with, so every check keeps
// its number (2 faults were left without that). The minimizer alone, so
// that the result does not hang on how much RapidCheck shrank in its 2 s
// on this machine (a sanitizer build kept the second window).
TEST(Run, ShrinkingPinsARareFaultAndDropsTheRequestsItNeededToFire) {
  const Scenario s = shipped("engine-restart");
  const RunOutcome outcome = run_scenario(s, {.seed = 2,
                                              .cases = s.cases,
                                              .defects = *DefectSet::parse("restart-loses-orders"),
                                              .value_shrink_s = 0});
  ASSERT_TRUE(outcome.failed());
  const Case& shrunk = *outcome.failing_case;
  EXPECT_LE(shrunk.operations(), 4u);
  ASSERT_EQ(shrunk.faults.size(), 1u);
  EXPECT_FALSE(shrunk.faults[0].pins.empty());
  EXPECT_EQ(s.faults[shrunk.faults[0].fault].point, "engine.shard.crash");
  // The pinned case fails as reported, with the crash where the pin put it.
  const CaseVerdict again =
      check_case(s, shrunk, {.defects = *DefectSet::parse("restart-loses-orders")});
  ASSERT_FALSE(again.violations.empty());
  EXPECT_EQ(again.violations.front().property, outcome.violations.front().property);
  size_t fires = 0;
  for (size_t i = 0; i < again.history.size(); ++i) {
    fires += again.history[i].type == EventType::fault_fire;
  }
  EXPECT_EQ(fires, 1u);
}

// A case whose crash must hit one particular request (testdata/): tried
// only at the pin list's 16 spread-out checks, no pin kept the failure and
// all 21 operations stayed; tried at every check up to 64, one does.
TEST(Run, ShrinkingFindsAPinBetweenTheSpreadOutChecks) {
  const Scenario s = shipped("engine-restart");
  Case c;
  ASSERT_EQ(load_repro_case(std::string(ORDEAL_SOURCE_DIR) +
                                "/framework/run/testdata/unpinnable-by-spread-checks.toml",
                            s, c),
            "");
  ASSERT_EQ(c.operations(), 21u);
  const auto defects = *DefectSet::parse("restart-loses-orders");
  const RunOutcome outcome = shrink_case(s, c, {.defects = defects});
  ASSERT_TRUE(outcome.failed());
  EXPECT_LE(outcome.failing_case->operations(), 8u);
  ASSERT_EQ(outcome.failing_case->faults.size(), 1u);
  EXPECT_FALSE(outcome.failing_case->faults[0].pins.empty());
}

// A stale copy of the metadata is caught only when an order arrives long
// after the damage: the orders before it, each rejected after 200 ms, only
// took that time, and the metadata changes before the corruption only gave
// its pinned fire the checks to come to the right update. Shrinking drops
// the orders and sends the last one when it went before, and drops the
// changes with the pin moved back. Seed 1, the minimizer alone (exactly
// reproducible): 1 operation and 1 metadata change; 6 operations without
// the first step, 6 metadata changes without the second.
TEST(Run, ShrinkingDropsWhatOnlyTookTimeOrGaveAPinnedFaultItsChecks) {
  // The defect also leaves order entry down after the faults, which the
  // recovery probes would show at once, with no order of the case needed.
  Scenario s = shipped("metadata-corruption");
  s.recovery_probes = false;
  const auto defects = *DefectSet::parse("stale-tick-after-corrupt");
  const RunOutcome outcome =
      run_scenario(s, {.seed = 1, .cases = s.cases, .defects = defects, .value_shrink_s = 0});
  ASSERT_TRUE(outcome.failed());
  const Case& shrunk = *outcome.failing_case;
  EXPECT_LE(shrunk.operations(), 2u);
  EXPECT_LE(shrunk.metadata.size(), 2u);
  const CaseVerdict again = check_case(s, shrunk, {.defects = defects});
  ASSERT_FALSE(again.violations.empty());
  EXPECT_EQ(again.violations.front().property, "metadata-conformance");
}

// This failure needs two corrupted updates: a point pinned at one check
// fires once, so no single pin kept it, and the window stayed at the
// mercy of chance; every metadata change before the two fires gave them
// their checks, and stayed too. Pinned at every check the failing run
// fired at, acting as there, the case fails without chance; the fires it
// does not need go, then the changes. Seed 6, the minimizer alone: 1
// metadata change and 1 fault with 2 pinned fires; 12 metadata changes and
// 1 fault, none pinned, without the step.
TEST(Run, ShrinkingPinsEveryFireAFailureNeeds) {
  // As above: the recovery probes would show the defect with no order.
  Scenario s = shipped("metadata-corruption");
  s.recovery_probes = false;
  const auto defects = *DefectSet::parse("stale-tick-after-corrupt");
  const RunOutcome outcome =
      run_scenario(s, {.seed = 6, .cases = s.cases, .defects = defects, .value_shrink_s = 0});
  ASSERT_TRUE(outcome.failed());
  const Case& shrunk = *outcome.failing_case;
  EXPECT_LE(shrunk.metadata.size(), 2u);
  ASSERT_EQ(shrunk.faults.size(), 1u);
  EXPECT_GE(shrunk.faults[0].pins.size(), 2u);
  const CaseVerdict again = check_case(s, shrunk, {.defects = defects});
  ASSERT_FALSE(again.violations.empty());
  EXPECT_EQ(again.violations.front().property, "metadata-conformance");
  size_t fires = 0;
  for (size_t i = 0; i < again.history.size(); ++i) {
    fires += again.history[i].type == EventType::fault_fire;
  }
  EXPECT_EQ(fires, shrunk.faults[0].pins.size()) << "a pinned window fires at its pins only";
}

// The incident's lost amend needs one client: the three left without
// operations go, and the steps name "client 1".
TEST(Run, ShrinkingDropsClientsLeftWithoutOperations) {
  const Scenario s = shipped("okx-2023-08-14");
  ASSERT_EQ(s.clients, 4);
  const auto defects = *DefectSet::parse("okx-2023-08-14");
  const RunOutcome outcome =
      run_scenario(s, {.seed = 1, .cases = s.cases, .defects = defects, .value_shrink_s = 0});
  ASSERT_TRUE(outcome.failed());
  ASSERT_EQ(outcome.failing_case->clients.size(), 1u);
  EXPECT_FALSE(outcome.failing_case->clients[0].empty());
  EXPECT_FALSE(check_case(s, *outcome.failing_case, {.defects = defects}).violations.empty());
}

class NoFalsePositives : public ::testing::TestWithParam<std::string> {};

// The nightly runs 10,000 cases per scenario; the suite a smaller sweep.
TEST_P(NoFalsePositives, ShippedScenarioPassesWithDefectNone) {
  const Scenario s = shipped(GetParam());
  const RunOutcome outcome = run_scenario(s, {.seed = 2024, .cases = 300, .shrink = false});
  EXPECT_FALSE(outcome.failed()) << (outcome.failed() ? outcome.violations.front().message : "");
  EXPECT_EQ(outcome.cases_run, 300u);
}

INSTANTIATE_TEST_SUITE_P(Shipped, NoFalsePositives,
                         ::testing::Values("okx-2023-08-14", "engine-restart",
                                           "metadata-corruption", "restart-rollback"));

// The restart-rollback scenario catches the two defects it is there for: a
// gateway that forgets its orders across a restart, and a rollback that
// leaves the old version serving the new schema.
TEST(Run, RestartRollbackCatchesItsDefects) {
  const Scenario s = shipped("restart-rollback");
  for (const char* defect : {"gateway-forgets-orders", "rollback-keeps-migrated"}) {
    const RunOutcome outcome = run_scenario(
        s, {.seed = 1, .cases = s.cases, .defects = *DefectSet::parse(defect), .shrink = false});
    ASSERT_TRUE(outcome.failed()) << defect;
    const std::string& property = outcome.violations.front().property;
    if (std::string_view(defect) == "rollback-keeps-migrated") {
      EXPECT_EQ(property, "no-newer-schema");
    } else {
      EXPECT_TRUE(property == "no-lost-order" || property == "no-lost-cancel" ||
                  property == "no-lost-amend")
          << property;
    }
  }
}

// A node that never asks again after a failed resync leaves order entry
// down once the faults healed: only the recovery probes, orders sent after
// them, show it. They are not the case's operations: the counts are the
// same with and without them.
TEST(Run, RecoveryProbesCatchOrderEntryThatNeverComesBack) {
  Scenario s = shipped("metadata-corruption");
  const auto defects = *DefectSet::parse("resync-gives-up");
  const RunOutcome caught =
      run_scenario(s, {.seed = 1, .cases = 300, .defects = defects, .shrink = false});
  ASSERT_TRUE(caught.failed());
  EXPECT_EQ(caught.violations.front().property, "recovers-after-faults");
  const RunOutcome probed = run_scenario(s, {.seed = 2, .cases = 50, .shrink = false});
  s.recovery_probes = false;
  EXPECT_FALSE(
      run_scenario(s, {.seed = 1, .cases = 300, .defects = defects, .shrink = false}).failed());
  const RunOutcome unprobed = run_scenario(s, {.seed = 2, .cases = 50, .shrink = false});
  EXPECT_EQ(probed.operations, unprobed.operations);
  EXPECT_EQ(probed.operations_unsent, 0u);
  EXPECT_GT(probed.events, unprobed.events);
}

// The process faults the simulator plays: a restart keeps the shard's book
// (its memory stands for its disk), so defect none passes and the planted
// restart-loses-orders is caught; replicas go to schema 2 and back.
const char* const kSimProcessFaults = R"(
name = "sim-process-faults"
cases = 40
[workload]
clients = 3
operations_per_client = 15
symbols = ["BTC-USDT", "ETH-USDT"]
[nemesis]
faults_max = 3
window_ms = 1500
[[nemesis.fault]]
point = "process.restart"
node = "engine-0"
param = 300
[[nemesis.fault]]
point = "process.mixed_version"
node = "meta-1"
[[nemesis.fault]]
point = "process.rollback"
node = "meta-0"
param = 400
)";

TEST(Run, SimPlaysRestartsAndVersionFaults) {
  const ScenarioLoad loaded = parse_scenario(kSimProcessFaults, "sim-process-faults.toml");
  ASSERT_TRUE(loaded) << loaded.error;
  for (const FaultSpec& f : loaded.scenario.faults) EXPECT_FALSE(f.needs_live_target()) << f.point;
  const RunOutcome clean =
      run_scenario(loaded.scenario, {.seed = 11, .cases = 40, .shrink = false});
  EXPECT_FALSE(clean.failed()) << (clean.failed() ? clean.violations.front().message : "");
  EXPECT_EQ(clean.cases_run, 40u);
  const RunOutcome planted =
      run_scenario(loaded.scenario, {.seed = 11,
                                     .cases = 40,
                                     .defects = *DefectSet::parse("restart-loses-orders"),
                                     .shrink = false});
  EXPECT_TRUE(planted.failed()) << "process.restart in sim restarted nothing";
}

TEST(Run, ShardsSplitTheCases) {
  const Scenario s = shipped("engine-restart");
  const RunOutcome first =
      run_scenario(s, {.seed = 5, .cases = 10, .shard_index = 0, .shard_count = 2});
  const RunOutcome second =
      run_scenario(s, {.seed = 5, .cases = 10, .shard_index = 1, .shard_count = 2});
  EXPECT_EQ(first.cases_run, 10u);
  EXPECT_EQ(second.cases_run, 10u);
  EXPECT_NE(render(first.history), render(second.history));
}

// A run that stops ends at once, however many cases it had left: RapidCheck
// would call the property for each of them, and 10^8 calls that return at
// once took half a minute after a Ctrl-C, or past a time budget. The bound
// below is a hang check, far above a run that stops and far below one that
// goes through the cases left.
TEST(Run, AStoppedRunEndsWithoutGoingThroughTheCasesLeft) {
  const Scenario s = shipped("engine-restart");
  g_interrupted = 1;
  const RunOutcome interrupted = run_scenario(s, {.seed = 1, .cases = 100'000'000});
  g_interrupted = 0;
  EXPECT_TRUE(interrupted.interrupted);
  EXPECT_EQ(interrupted.cases_run, 0u);
  EXPECT_LT(interrupted.wall_s, 5.0);
  const RunOutcome out_of_time =
      run_scenario(s, {.seed = 1, .cases = 100'000'000, .time_budget_s = 1e-9});
  EXPECT_TRUE(out_of_time.budget_exhausted);
  EXPECT_LT(out_of_time.wall_s, 5.0);
}

// A budget shorter than one case still runs one: "PASS: 0 cases" said
// every property held when none had been checked.
TEST(Run, ATimeBudgetRunsAtLeastOneCase) {
  const Scenario s = shipped("engine-restart");
  const RunOutcome outcome = run_scenario(s, {.seed = 1, .cases = 10, .time_budget_s = 1e-300});
  EXPECT_EQ(outcome.cases_run, 1u);
  EXPECT_TRUE(outcome.budget_exhausted);
  EXPECT_GT(outcome.history.size(), 0u);
  const RunOutcome shard = run_scenario(
      s, {.seed = 1, .cases = 10, .shard_index = 2, .shard_count = 3, .time_budget_s = 1e-300});
  EXPECT_EQ(shard.cases_run, 1u) << "the shard's own first case";
}

// A case stops its clients at 10 minutes of virtual time: with think
// times of up to a minute, 100 operations a client do not all go. The run
// counts those sent (the invocations of the history) and says how many
// did not go, rather than counting operations that never ran.
TEST(Run, OperationsNeverSentAreCountedApart) {
  const ScenarioLoad load = parse_scenario(
      "[workload]\nclients = 1\noperations_per_client = 100\nthink_ms_max = 60000\n", "s.toml");
  ASSERT_EQ(load.error, "");
  const RunOutcome outcome = run_scenario(load.scenario, {.seed = 3, .cases = 1});
  ASSERT_FALSE(outcome.failed());
  ASSERT_GT(outcome.last_case.operations(), 0u);
  size_t invoked = 0;
  for (const Event& e : outcome.history.events()) invoked += e.type == EventType::invoke;
  EXPECT_EQ(outcome.operations, invoked);
  EXPECT_GT(outcome.operations_unsent, 0u);
  EXPECT_EQ(outcome.operations + outcome.operations_unsent, outcome.last_case.operations());
}

TEST(Repro, RoundTripsACaseAndReplaysTheSameViolation) {
  const Scenario s = shipped("okx-2023-08-14");
  const auto defects = *DefectSet::parse("okx-2023-08-14");
  const RunOutcome outcome = run_scenario(s, {.seed = 3, .cases = s.cases, .defects = defects});
  ASSERT_TRUE(outcome.failed());
  const Repro repro{.scenario_path = s.path,
                    .target = "cluster",
                    .defect = "okx-2023-08-14",
                    .run_seed = 3,
                    .c = *outcome.failing_case};
  const std::string path = ::testing::TempDir() + "repro.toml";
  std::ofstream(path) << repro_toml(repro, s, path);
  const ReproLoad loaded = load_repro(path);
  ASSERT_TRUE(loaded) << loaded.error;
  EXPECT_EQ(loaded.repro.scenario_path, s.path);
  EXPECT_EQ(loaded.repro.defect, "okx-2023-08-14");
  EXPECT_EQ(loaded.repro.target, "cluster");
  Case c;
  ASSERT_EQ(load_repro_case(path, s, c), "");
  EXPECT_EQ(c, *outcome.failing_case);
  const CaseVerdict again = check_case(s, c, defects);
  ASSERT_FALSE(again.violations.empty());
  EXPECT_EQ(again.violations.front().message, outcome.violations.front().message);
  EXPECT_EQ(render(again.history), render(outcome.history));
}

// A case that arms a fault the simulator cannot play (here a kill of a
// process) gets no verdict in sim mode: the run reports the target's error
// instead of passing a case whose fault never happened.
TEST(Run, SimCaseWithAFaultForRealProcessesIsAnErrorNotAPass) {
  Scenario s = shipped("okx-2023-08-14");
  s.faults.push_back(FaultSpec{.point = "process.kill", .node = "gateway"});
  Case c;
  c.seed = 1;
  c.clients = {{Op{.at_ms = 10}}};
  c.faults = {FaultWindow{
      .fault = static_cast<uint8_t>(s.faults.size() - 1), .start_ms = 5, .duration_ms = 100}};
  const CaseVerdict verdict = check_case(s, c, DefectSet{});
  EXPECT_NE(verdict.error.find("process.kill needs real processes"), std::string::npos)
      << verdict.error;
  EXPECT_TRUE(verdict.violations.empty());
  std::string error;
  run_sim_case(s, c, {}, &error);
  EXPECT_EQ(error, verdict.error);
  c.faults.clear();
  EXPECT_EQ(check_case(s, c, DefectSet{}).error, "");
}

// A target that cannot start gives no verdict either: its error, not a pass.
TEST(Run, OneCaseOnATargetThatCannotStartIsAnError) {
  const Scenario s = shipped("okx-2023-08-14");
  Case c;
  c.seed = 1;
  c.clients = {{Op{.at_ms = 10}}};
  const RunOptions options{.make_target = [](const Case&, std::string& error) {
    error = "cannot start the cluster";
    return std::unique_ptr<Target>();
  }};
  const CaseVerdict verdict = check_case(s, c, options);
  EXPECT_EQ(verdict.error, "cannot start the cluster");
  EXPECT_TRUE(verdict.violations.empty());
}

// A property with a bug: it throws once armed. Registered for these tests
// alone; disarmed it finds nothing.
std::atomic<bool> g_property_throws{false};
class ThrowsWhenArmed final : public Property {
 public:
  std::string_view name() const override { return "test-throws-when-armed"; }
  std::string_view description() const override { return "throws while a test arms it"; }
  void check(const CheckContext&, std::vector<Violation>&) const override {
    if (g_property_throws) throw std::runtime_error("a bug in a property");
  }
};
ORDEAL_REGISTER_PROPERTY(ThrowsWhenArmed);

// A run tallies each fault point's windows and fires over its cases: the
// incident scenario's metadata points fire; a point armed while nothing
// passes it (its windows open after the workload) never does. A target
// that records no fires (a live one) has no tallies.
TEST(Run, TalliesEachFaultPointsWindowsAndFires) {
  const RunOutcome incident = run_scenario(shipped("okx-2023-08-14"), {.seed = 2, .cases = 100});
  ASSERT_EQ(incident.fault_points.size(), 3u);
  for (const FaultTally& t : incident.fault_points) {
    EXPECT_GT(t.windows, 0u) << t.point;
    EXPECT_GT(t.fires, 0u) << t.point;
  }
  const ScenarioLoad late = parse_scenario(R"(
cases = 30
[workload]
clients = 2
operations_per_client = 3
symbols = ["BTC-USDT"]
think_ms_max = 1
[nemesis]
faults_max = 1
window_ms = 5000
[[nemesis.fault]]
point = "gateway.ack.delay"
)",
                                           "late.toml");
  ASSERT_TRUE(late) << late.error;
  const RunOutcome silent = run_scenario(late.scenario, {.seed = 2, .cases = 30});
  ASSERT_EQ(silent.fault_points.size(), 1u);
  EXPECT_EQ(silent.fault_points[0].point, "gateway.ack.delay");
  EXPECT_GT(silent.fault_points[0].windows, 0u);
  EXPECT_EQ(silent.fault_points[0].fires, 0u);
  const TargetFactory simulator = [&](const Case& c, std::string& /*error*/) {
    return make_sim_target(late.scenario, c, exchange::DefectSet());
  };
  EXPECT_TRUE(run_scenario(late.scenario, {.seed = 2, .cases = 2, .make_target = simulator})
                  .fault_points.empty());
}

// An exception out of a case is the run's error, exit 3, not a pass: RapidCheck
// took it for a failing case and shrank it, and ordeal, finding no violation,
// said every property held (and counted each shrinking step as a case).
TEST(Run, APropertyThatThrowsEndsTheRunWithAnErrorNotAPass) {
  Scenario s = shipped("okx-2023-08-14");
  s.properties = {"test-throws-when-armed", "no-lost-cancel"};
  g_property_throws = true;
  const RunOutcome outcome = run_scenario(s, {.seed = 3, .cases = 50});
  g_property_throws = false;
  EXPECT_EQ(outcome.target_error,
            "checking the history: property test-throws-when-armed threw: a bug in a property");
  EXPECT_FALSE(outcome.failed());
  EXPECT_EQ(outcome.cases_run, 1u);
  // The case's whole history stays, for `ordeal check` to run it again.
  EXPECT_GT(outcome.history.size(), 30u);
  EXPECT_TRUE(check_history(outcome.history, {}, s.limits).empty());
  EXPECT_TRUE(run_scenario(s, {.seed = 3, .cases = 5}).target_error.empty());
}

TEST(Run, ATargetThatThrowsEndsTheRunWithAnErrorNotAPass) {
  const Scenario s = shipped("okx-2023-08-14");
  const RunOptions options{.seed = 3, .cases = 50, .make_target = [](const Case&, std::string&) {
                             throw std::runtime_error("the venue's adapter broke");
                             return std::unique_ptr<Target>();
                           }};
  const RunOutcome outcome = run_scenario(s, options);
  EXPECT_EQ(outcome.target_error, "starting the target threw: the venue's adapter broke");
  EXPECT_FALSE(outcome.failed());
  EXPECT_EQ(outcome.cases_run, 1u);
}

// Outside a case's run and check RapidCheck catches what is thrown (here by
// a progress listener): the run still ends as an error.
TEST(Run, AnExceptionRapidCheckCatchesIsAnErrorNotAPass) {
  const Scenario s = shipped("okx-2023-08-14");
  RunOptions options{.seed = 3, .cases = 20};
  options.on_progress = [](const Progress&) { throw std::runtime_error("a broken listener"); };
  const RunOutcome outcome = run_scenario(s, options);
  EXPECT_NE(outcome.target_error.find("outside a case's run and check:"), std::string::npos)
      << outcome.target_error;
  EXPECT_NE(outcome.target_error.find("a broken listener"), std::string::npos);
  EXPECT_FALSE(outcome.failed());
}

// ---- scenario validation ------------------------------------------------------

std::string error_of(const std::string& toml) { return parse_scenario(toml, "s.toml").error; }
bool starts(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

TEST(Scenario, ShippedScenariosLoad) {
  for (const char* name : {"okx-2023-08-14", "engine-restart", "metadata-corruption",
                           "cluster-chaos", "cluster-versions"}) {
    const Scenario s = shipped(name);
    EXPECT_EQ(s.name, name);
    EXPECT_FALSE(s.faults.empty());
  }
}

// Prices are the middle of the band plus or minus price_steps_max steps: a
// bound any higher sent prices of 0 and below (SOL-USDT with 1000 steps:
// -9500), which every venue rejects whatever the case does.
TEST(Scenario, PriceStepsMaxKeepsEveryPriceAboveZero) {
  EXPECT_EQ(error_of("[workload]\nsymbols = [\"SOL-USDT\"]\nprice_steps_max = 50\n"),
            "s.toml:3: workload.price_steps_max: must be between 0 and 49 with SOL-USDT (its "
            "prices are 500 plus or minus steps of 10: 50 steps below would make a price of 0)");
  EXPECT_EQ(error_of("[workload]\nsymbols = [\"SOL-USDT\"]\nprice_steps_max = 49\n"), "");
  // The default symbols: ETH-USDT has the fewer steps below its middle.
  EXPECT_PRED2(starts, error_of("[workload]\nprice_steps_max = 110\n"),
               "s.toml:2: workload.price_steps_max: must be between 0 and 109 with ETH-USDT");
  EXPECT_EQ(error_of("[workload]\nsymbols = [\"BTC-USDT\"]\nprice_steps_max = 549\n"), "");
  // The bound is exact for every symbol: its lowest price is above 0, one
  // step lower is not.
  for (const exchange::Instrument& record : exchange::default_metadata(1).instruments) {
    const PriceGrid g = price_grid(record);
    EXPECT_GT(g.mid - price_steps_max(g) * g.step, 0) << record.symbol;
    EXPECT_LE(g.mid - (price_steps_max(g) + 1) * g.step, 0) << record.symbol;
  }
}

TEST(Scenario, ErrorsNameFileLineAndHint) {
  EXPECT_PRED2(starts, error_of("name = \"x\"\ncolour = 3\n"),
               "s.toml:2: unknown key 'colour' (known keys: ");
  EXPECT_EQ(error_of("cases = \"many\"\n"), "s.toml:1: cases: expected an integer");
  EXPECT_EQ(error_of("cases = 0\n"), "s.toml:1: cases: must be between 1 and 100000000");
  EXPECT_PRED2(starts, error_of("[workload]\nclients = 2\nspeed = 1\n"),
               "s.toml:3: unknown key 'speed' in [workload] (known keys: ");
  EXPECT_EQ(error_of("[[nemesis.fault]]\npoint = \"meta.update.explode\"\n"),
            "s.toml:2: nemesis.fault.point: unknown fault point 'meta.update.explode' (see "
            "`ordeal list faults`)");
  EXPECT_EQ(error_of("[[nemesis.fault]]\npoint = \"meta.update.corrupt\"\nparam = 7\n"),
            "s.toml:3: nemesis.fault.param: meta.update.corrupt takes 0 (a field drawn per "
            "fire) or one of 1 tick size, 2 lot size, 3 routing shard, 4 trading status, 5 "
            "version, 6 price band");
  EXPECT_EQ(error_of("[[nemesis.fault]]\npoint = \"meta.update.corrupt\"\nparam = 6\n"), "");
  EXPECT_EQ(error_of("[properties]\ncheck = [\"no-lost-cancel\", \"no-free-lunch\"]\n"),
            "s.toml:2: properties.check: unknown property 'no-free-lunch' (see `ordeal list "
            "properties`)");
  EXPECT_EQ(error_of("[properties]\ncheck = [\"no-lost-cancel\", \"no-lost-cancel\"]\n"),
            "s.toml:2: properties.check: 'no-lost-cancel' is named twice");
  EXPECT_EQ(error_of("[workload]\nsymbols = [\"BTC-USDT\", \"ETH-USDT\", \"BTC-USDT\"]\n"),
            "s.toml:2: workload.symbols: 'BTC-USDT' is named twice");
  EXPECT_PRED2(starts, error_of("[workload]\nsymbols = [\"DOGE-USDT\"]\n"),
               "s.toml:2: workload.symbols: unknown symbol 'DOGE-USDT'");
  EXPECT_EQ(error_of("\n[workload]\nsymbols = []\n"),
            "s.toml:3: workload.symbols: at least one symbol is needed");
  EXPECT_EQ(error_of("[metadata]\nkinds = []\n"),
            "s.toml:2: metadata.kinds: at least one kind is needed (changes_max = 0 makes no "
            "metadata changes)");
  // The hint lists every key a scenario may have, the seed too.
  EXPECT_PRED2(
      starts, error_of("seeed = 3\n"),
      "s.toml:1: unknown key 'seeed' (known keys: cases, description, exchange, instruments, "
      "live, "
      "metadata, name, nemesis, properties, seed, target, workload)");
  EXPECT_EQ(parse_scenario("cases = 2\n", "s.toml").scenario.seed, std::nullopt);
  // Without a name, reports and junit.xml name the scenario by its file.
  EXPECT_EQ(parse_scenario("cases = 2\n", "dir/my-sweep.toml").scenario.name, "my-sweep");
  EXPECT_EQ(parse_scenario("name = \"x\"\n", "dir/my-sweep.toml").scenario.name, "x");
  EXPECT_EQ(parse_scenario("seed = 0\n", "s.toml").scenario.seed, 0u);
  EXPECT_EQ(
      error_of("[workload.mix]\nplace = 0\namend = 0\ncancel = 0\nmass_cancel = 0\nstatus = 0\n"),
      "s.toml:1: workload.mix: at least one weight must be above 0");
  EXPECT_NE(error_of("name = \n").find("s.toml:1:"), std::string::npos);
  // A target's name is the run's to check (--target may choose another):
  // `ordeal run` refuses an unknown one there, naming this line (cli.end_to_end).
  const ScenarioLoad named = parse_scenario("cases = 2\ntarget = \"mainframe\"\n", "s.toml");
  EXPECT_EQ(named.error, "");
  EXPECT_EQ(named.scenario.target, "mainframe");
  EXPECT_EQ(named.scenario.target_line, 2);
  EXPECT_EQ(error_of("target = \"\"\n"),
            "s.toml:1: target: empty (inproc, cluster, or a registered target)");
  EXPECT_EQ(error_of("target = \"cluster\"\n"), "");
  EXPECT_EQ(error_of("target = \"fix://127.0.0.1:9878?version=FIX.4.4&sender=A&target=B\"\n"),
            "s.toml:1: target: 'fix://127.0.0.1:9878?version=FIX.4.4&sender=A&target=B' is "
            "given with --target on the command line, not in a scenario");
  EXPECT_PRED2(starts, error_of("[[nemesis.fault]]\npoint = \"process.pause\"\n"),
               "s.toml:1: nemesis.fault.node: process.pause needs the node it acts on");
  EXPECT_PRED2(
      starts, error_of("\n[[nemesis.fault]]\npoint = \"process.kill\"\nnode = \"engine-7\"\n"),
      "s.toml:4: nemesis.fault.node: no node 'engine-7' in this exchange (known: meta-0, ");
  EXPECT_PRED2(
      starts,
      error_of("\n\n[[nemesis.fault]]\npoint = \"process.mixed_version\"\nnode = \"engine-0\"\n"),
      "s.toml:5: nemesis.fault.node: process.mixed_version acts on a metadata replica (meta-0 "
      ".. meta-2), not 'engine-0'");
  EXPECT_PRED2(starts,
               error_of("[[nemesis.fault]]\npoint = \"process.rollback\"\nnode = \"meta-3\"\n"),
               "s.toml:3: nemesis.fault.node: no node 'meta-3' in this exchange");
  EXPECT_EQ(error_of("[[nemesis.fault]]\npoint = \"process.restart\"\nnode = \"gateway\"\n"), "");
  EXPECT_PRED2(starts, error_of("[[nemesis.fault]]\npoint = \"process.restart\"\n"),
               "s.toml:1: nemesis.fault.node: process.restart needs the node it acts on");
  EXPECT_PRED2(starts,
               error_of("[[nemesis.fault]]\npoint = \"process.melt\"\nnode = \"gateway\"\n"),
               "s.toml:2: nemesis.fault.point: unknown process fault 'process.melt'");
  EXPECT_PRED2(starts,
               error_of("[[nemesis.fault]]\npoint = \"meta.update.drop\"\nnode = \"gateway\"\n"),
               "s.toml:3: nemesis.fault.node: only process faults take a node");
  EXPECT_EQ(error_of(""), "");
  // A fault without its point is missing a key, not naming an unknown one.
  EXPECT_EQ(error_of("\n[[nemesis.fault]]\nprobability = 0.5\n"),
            "s.toml:2: nemesis.fault.point: missing: every fault names its point (see `ordeal "
            "list faults`)");
}

// A link that names no node of the exchange would fault nothing: a typo
// must not pass for a fault that held.
TEST(Scenario, NetworkFaultsNeedALinkBetweenNodes) {
  const auto fault_on = [](const std::string& link) {
    return error_of(
        "target = \"cluster\"\n[[nemesis.fault]]\npoint = \"network.latency\"\nlink = \"" + link +
        "\"\n");
  };
  for (const char* link : {"client->gateway", "gateway->engine-1", "gateway->meta-0",
                           "engine-0->meta-2", "engine-1->engine-0"}) {
    EXPECT_EQ(fault_on(link), "") << link;
  }
  EXPECT_EQ(fault_on("client->gatewa"),
            "s.toml:4: nemesis.fault.link: no link 'client->gatewa' in this exchange: expected "
            "FROM->TO, \"client->gateway\" or two of its nodes (meta-0, meta-1, meta-2, "
            "engine-0, engine-1, gateway)");
  for (const char* link : {"gateway->engine-2", "meta-3->meta-0", "client->engine-0", "gateway",
                           "gateway->", "->gateway", "engine-0->engine-0"}) {
    EXPECT_PRED2(starts, fault_on(link), "s.toml:4: nemesis.fault.link: no link '") << link;
  }
}

// A key the fault would ignore is refused: the file must say what the run
// does, and a node on a network fault would name it in the history too.
TEST(Scenario, FaultsRefuseKeysOfOtherKinds) {
  const std::string hook =
      "target = \"cluster\"\n[[nemesis.fault]]\npoint = \"hook\"\nstart = \"true\"\n";
  EXPECT_EQ(error_of(hook), "");
  EXPECT_EQ(error_of(hook + "timeout_ms = 5\n"), "");
  EXPECT_PRED2(starts, error_of(hook + "node = \"gateway\"\n"),
               "s.toml:5: nemesis.fault.node: only process faults take a node");
  EXPECT_PRED2(starts, error_of(hook + "link = \"client->gateway\"\n"),
               "s.toml:5: nemesis.fault.link: only network faults take a link");
  EXPECT_PRED2(starts,
               error_of("target = \"cluster\"\n[[nemesis.fault]]\npoint = \"network.latency\"\n"
                        "link = \"client->gateway\"\nnode = \"engine-0\"\n"),
               "s.toml:5: nemesis.fault.node: only process faults take a node");
  EXPECT_PRED2(starts,
               error_of("[[nemesis.fault]]\npoint = \"meta.update.drop\"\ntimeout_ms = 5\n"),
               "s.toml:3: nemesis.fault.timeout_ms: only a hook");
  EXPECT_PRED2(starts,
               error_of("[[nemesis.fault]]\npoint = \"process.restart\"\nnode = \"gateway\"\n"
                        "timeout_ms = 5\n"),
               "s.toml:4: nemesis.fault.timeout_ms: only a hook");
  // Hooks and process faults act once per window; a chance would be ignored.
  EXPECT_EQ(error_of(hook + "probability = 0.5\n"),
            "s.toml:5: nemesis.fault.probability: hook acts once per window, at its start and "
            "end: it takes no probability");
  const std::string kill =
      "target = \"cluster\"\n[[nemesis.fault]]\npoint = \"process.kill\"\nnode = \"gateway\"\n";
  EXPECT_EQ(error_of(kill), "");
  EXPECT_PRED2(starts, error_of(kill + "probability = 1.0\n"),
               "s.toml:5: nemesis.fault.probability: process.kill acts once per window");
  // A parameter where the fault has none.
  EXPECT_EQ(error_of(kill + "param = 300\n"),
            "s.toml:5: nemesis.fault.param: process.kill takes no parameter (see `ordeal list "
            "faults`)");
  EXPECT_PRED2(starts, error_of(hook + "param = 1\n"),
               "s.toml:5: nemesis.fault.param: hook takes no parameter");
  EXPECT_PRED2(starts,
               error_of("target = \"cluster\"\n[[nemesis.fault]]\npoint = \"network.blackhole\"\n"
                        "link = \"client->gateway\"\nparam = 5\n"),
               "s.toml:5: nemesis.fault.param: network.blackhole takes no parameter");
  // Those that have one, and network faults' chance per chunk or connection.
  EXPECT_EQ(error_of("[[nemesis.fault]]\npoint = \"process.restart\"\nnode = \"gateway\"\n"
                     "param = 300\n"),
            "");
  EXPECT_EQ(error_of("target = \"cluster\"\n[[nemesis.fault]]\npoint = \"network.reset\"\n"
                     "link = \"client->gateway\"\nparam = 5\nprobability = 0.5\n"),
            "");
  // A fault point declared without a meaning for its parameter reads none.
  EXPECT_EQ(error_of("[[nemesis.fault]]\npoint = \"meta.update.drop\"\nprobability = 0.5\n"
                     "param = 5\n"),
            "s.toml:4: nemesis.fault.param: meta.update.drop takes no parameter (see `ordeal list "
            "faults`)");
  EXPECT_EQ(error_of("[[nemesis.fault]]\npoint = \"meta.update.delay\"\nparam = 300\n"), "");
  // An unknown process fault is named as unknown, whatever its keys.
  EXPECT_PRED2(starts,
               error_of("[[nemesis.fault]]\npoint = \"process.explode\"\nnode = \"gateway\"\n"
                        "param = 3\n"),
               "s.toml:2: nemesis.fault.point: unknown process fault 'process.explode'");
}

// nan passes both range checks of a number (every comparison with it is
// false), so it must be refused on its own; inf is out of range anyway.
TEST(Scenario, NanAndInfinityAreNoNumbers) {
  EXPECT_EQ(error_of("[workload]\ninvalid_share = nan\n"),
            "s.toml:2: workload.invalid_share: expected a number");
  EXPECT_EQ(error_of("[[nemesis.fault]]\npoint = \"meta.update.drop\"\nprobability = -nan\n"),
            "s.toml:3: nemesis.fault.probability: expected a number");
  EXPECT_EQ(error_of("[properties]\nfailed_share_max = nan\n"),
            "s.toml:2: properties.failed_share_max: expected a number");
  EXPECT_EQ(error_of("[properties]\nfailed_share_max = inf\n"),
            "s.toml:2: properties.failed_share_max: must be between 0 and 1");
}

// An empty reason is in every reject's text: it would excuse every refusal.
TEST(Scenario, RefusesAnEmptyClientRejectReason) {
  EXPECT_EQ(error_of("[properties]\nclient_reject_reasons = [\"self-trade\", \"\"]\n"),
            "s.toml:2: properties.client_reject_reasons: an empty reason would be in every "
            "reject's text: name a part of one");
}

// Spaces alone are in nearly every reject's text ("metadata unavailable"):
// they would excuse nearly every refusal.
TEST(Scenario, RefusesAClientRejectReasonOfSpacesAlone) {
  EXPECT_EQ(
      error_of("[properties]\nclient_reject_reasons = [\n  \"self-trade\",\n  \" \\t\",\n]\n"),
      "s.toml:4: properties.client_reject_reasons: a reason of white space alone would be "
      "in nearly every reject's text: name a part of one");
}

// A case names its faults by an 8-bit index: past 256 they would wrap onto
// the first ones.
TEST(Scenario, AtMost256Faults) {
  std::string toml;
  for (int i = 0; i < 256; ++i) toml += "[[nemesis.fault]]\npoint = \"meta.update.drop\"\n";
  EXPECT_EQ(error_of(toml), "");
  toml += "[[nemesis.fault]]\npoint = \"meta.update.drop\"\n";
  EXPECT_EQ(error_of(toml), "s.toml:513: nemesis.fault: 257 faults, at most 256");
}

// A seed is read as the integer it is: past 2^53 a double would round it
// to a neighbour, and the run would use a seed nobody wrote.
TEST(Scenario, ASeedIsKeptToTheLastDigit) {
  EXPECT_EQ(parse_scenario("seed = 9007199254740993\n", "s.toml").scenario.seed, 9007199254740993u);
  EXPECT_EQ(parse_scenario("seed = 4611686018427387904\n", "s.toml").scenario.seed,
            uint64_t{1} << 62);
  EXPECT_EQ(error_of("seed = 4611686018427387905\n"),
            "s.toml:1: seed: must be between 0 and 4611686018427387904");
  EXPECT_EQ(error_of("seed = -1\n"), "s.toml:1: seed: must be between 0 and 4611686018427387904");
}

TEST(Scenario, AFolderOrAnEndlessFileIsNoScenario) {
  const std::string folder = std::filesystem::temp_directory_path().string();
  EXPECT_EQ(load_scenario(folder).error, folder + ": cannot read the scenario file: a folder");
  EXPECT_EQ(load_scenario("/dev/zero").error, "/dev/zero: more than 1048576 bytes: not a scenario");
  EXPECT_EQ(load_scenario(folder + "/no-such.toml").error,
            folder + "/no-such.toml: cannot read the scenario file: no such file");
}

TEST(Scenario, ReadsEveryTable) {
  const ScenarioLoad loaded = parse_scenario(R"(
name = "t"
cases = 7
seed = 99
[workload]
clients = 2
operations_per_client = 3
recovery_probes = false
[workload.mix]
place = 1
cancel = 1
[metadata]
changes_max = 1
kinds = ["status"]
[nemesis]
faults_max = 2
upgrade = true
[[nemesis.fault]]
point = "engine.apply.delay"
probability = 0.5
param = 7
[exchange]
shards = 3
[properties]
check = ["no-overfill"]
outage_ms_max = 10
recovery_ms_max = 1500
client_reject_reasons = ["self-trade", "price band"]
)",
                                             "t.toml");
  ASSERT_TRUE(loaded) << loaded.error;
  const Scenario& s = loaded.scenario;
  EXPECT_EQ(s.cases, 7);
  EXPECT_EQ(s.seed, 99u);
  EXPECT_EQ(s.clients, 2);
  EXPECT_EQ(s.mix.amend, 15) << "unset keys keep their defaults";
  EXPECT_EQ(s.metadata_kinds, std::vector<MetaChangeKind>{MetaChangeKind::status});
  ASSERT_EQ(s.faults.size(), 1u);
  EXPECT_EQ(s.faults[0].param, 7);
  EXPECT_TRUE(s.upgrade);
  EXPECT_EQ(s.shards, 3);
  EXPECT_EQ(s.limits.outage_ms_max, 10);
  EXPECT_EQ(s.limits.recovery_ms_max, 1500);
  EXPECT_EQ(s.limits.client_reject_reasons, (std::vector<std::string>{"self-trade", "price band"}));
  EXPECT_FALSE(s.recovery_probes);
}

TEST(Case, DroppingAnOperationKeepsLaterTargetsOnTheSameOrder) {
  using exchange::RequestKind;
  std::vector<Op> ops = {{.kind = RequestKind::place},
                         {.kind = RequestKind::place},
                         {.kind = RequestKind::cancel, .target = 1}};
  const auto kept = without_op(ops, 0);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[1].target, 0) << "still the order placed second";
}

}  // namespace
}  // namespace ordeal
