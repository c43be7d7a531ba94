// GoogleTest integration: a scenario run or a property check as a gtest test,
// with ordeal's verdict, seed and repro in gtest's failure message.
//
//   ORDEAL_SCENARIO_TEST(Incident, Holds, "examples/scenarios/okx-2023-08-14.toml", .cases = 20);
//   ORDEAL_PROPERTY_TEST(Toy, NoOverfill, "no-overfill", "toy.toml", .target = "toy");
//   ORDEAL_SCENARIO_TEST(Toy, BugIsCaught, "toy.toml", .defect = "ack-cancel-of-filled",
//                        .target = "toy", .expect_violation = true);
//   ORDEAL_EXPECT_HOLDS("no-lost-cancel", builder.history());
//
// The seed is the options' `seed`, else ORDEAL_SEED from the environment,
// else the scenario's, else drawn; it is printed either way, and a failure
// says how to rerun exactly that run (ORDEAL_SEED=... the test binary
// --gtest_filter=...). The reports, history and repro.toml of each test go
// to `ordeal-out/<Suite>.<Name>/` in the working directory. The macros are
// one line over the functions below, which tests may also call directly.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "framework/check/property.h"
#include "framework/history/history.h"
#include "framework/run/runner.h"

namespace ordeal::gtest {

// Designated initializers, in this order (each may be left out).
struct ScenarioTestOptions {
  std::optional<uint64_t> seed;  // pinned; else ORDEAL_SEED, the scenario's, or drawn
  std::optional<int> cases;      // else the scenario's
  // A planted defect of the reference exchange, or of a registered target
  // (which reads its own defects).
  std::string defect = "none";
  std::vector<std::string> properties;  // empty: the scenario's
  // A target registered by name (framework/run/target_registry.h): the run
  // drives it, and its repro names it, so that a program that registers it
  // replays it. Empty: make_target, else the scenario's `target` (inproc,
  // or a registered one; a test cannot start a cluster or reach fix://).
  std::string target;
  TargetFactory make_target;          // a target of no name; its repro replays nowhere
  bool deterministic_target = false;  // make_target replays a case exactly (RunOptions)
  double time_budget_s = 0;           // 0: none
  bool shrink = true;
  double shrink_budget_s = 10;
  std::string out_dir;  // empty: ordeal-out/<Suite>.<Name>
  // The test passes when a property is violated and fails when every one
  // held: a planted bug must be caught.
  bool expect_violation = false;
  // Your own ordeal command (docs/authoring.md), as the commands the
  // reports print should call it: with your properties, fault points or
  // target, plain `ordeal` cannot replay or check them.
  std::string program = "ordeal";
};

// Where a test is written, for gtest's failure messages (the macros pass it).
struct TestSite {
  const char* file = nullptr;
  int line = 0;
};

// What a scenario test ran: the seed it used and where its reports are.
struct ScenarioTestRun {
  uint64_t seed = 0;
  std::string out_dir;
  bool passed = false;
};

// Runs the scenario and adds a gtest failure (nonfatal) when a property is
// violated (with expect_violation: when none is), the target fails or the
// scenario does not load.
ScenarioTestRun run_scenario_test(const std::string& scenario_path,
                                  const ScenarioTestOptions& options, TestSite site = {});

// The same, checking only `property` (a custom one, typically) on the
// scenario's generated cases.
ScenarioTestRun run_property_test(const std::string& property, const std::string& scenario_path,
                                  ScenarioTestOptions options, TestSite site = {});

// Whether `property` holds over a (hand-built) history; the failure message
// lists its violations.
::testing::AssertionResult property_holds(std::string_view property, const History& history,
                                          const CheckLimits& limits = {});
// Whether `property` is violated; the violations come back in `out` if given.
::testing::AssertionResult property_violated(std::string_view property, const History& history,
                                             const CheckLimits& limits = {},
                                             std::vector<Violation>* out = nullptr);

}  // namespace ordeal::gtest

#define ORDEAL_SCENARIO_TEST(Suite, Name, scenario_path, ...)                               \
  TEST(Suite, Name) {                                                                       \
    ::ordeal::gtest::run_scenario_test(scenario_path, {__VA_ARGS__}, {__FILE__, __LINE__}); \
  }

#define ORDEAL_PROPERTY_TEST(Suite, Name, property, scenario_path, ...)        \
  TEST(Suite, Name) {                                                          \
    ::ordeal::gtest::run_property_test(property, scenario_path, {__VA_ARGS__}, \
                                       {__FILE__, __LINE__});                  \
  }

#define ORDEAL_EXPECT_HOLDS(property, history) \
  EXPECT_TRUE(::ordeal::gtest::property_holds(property, history))
#define ORDEAL_EXPECT_VIOLATED(property, history) \
  EXPECT_TRUE(::ordeal::gtest::property_violated(property, history))
