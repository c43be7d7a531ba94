// The GoogleTest integration: a scenario test that passes, one that fails
// with the verdict, seed and repro in its message, where the seed comes
// from, and property checks over hand-built histories.
#include "framework/gtest/ordeal_gtest.h"

#include <gtest/gtest-spi.h>

#include <cstdlib>
#include <filesystem>

#include "framework/check/history_builder.h"

namespace ordeal {
namespace {

using exchange::OrdStatus;
using exchange::RequestKind;
using exchange::Side;

const std::string kIncident =
    std::string(ORDEAL_SOURCE_DIR) + "/examples/scenarios/okx-2023-08-14.toml";
const std::string kCluster =
    std::string(ORDEAL_SOURCE_DIR) + "/examples/scenarios/cluster-chaos.toml";

// Runs `body` with gtest's failures captured; returns their messages.
template <typename Body>
std::vector<std::string> failures_of(Body body) {
  ::testing::TestPartResultArray results;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &results);
    body();
  }
  std::vector<std::string> messages;
  for (int i = 0; i < results.size(); ++i)
    messages.push_back(results.GetTestPartResult(i).message());
  return messages;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Sets ORDEAL_SEED for one scope.
class SeedEnvironment {
 public:
  explicit SeedEnvironment(const char* value) { setenv("ORDEAL_SEED", value, 1); }
  ~SeedEnvironment() { unsetenv("ORDEAL_SEED"); }
};

ORDEAL_SCENARIO_TEST(OrdealGtest, IncidentScenarioHoldsWithoutTheDefect, kIncident, .seed = 5,
                     .cases = 10);

TEST(OrdealGtest, AFailureNamesTheViolationTheSeedAndTheRepro) {
  const std::string out = ::testing::TempDir() + "/ordeal-gtest-failure";
  gtest::ScenarioTestRun run;
  const auto failures = failures_of([&] {
    run = gtest::run_scenario_test(
        kIncident, {.seed = 1, .defect = "okx-2023-08-14", .shrink_budget_s = 5, .out_dir = out});
  });
  ASSERT_EQ(failures.size(), 1u);
  const std::string& message = failures[0];
  EXPECT_FALSE(run.passed);
  EXPECT_EQ(run.seed, 1u);
  EXPECT_TRUE(contains(message, "violated in scenario okx-2023-08-14")) << message;
  EXPECT_TRUE(contains(message, "seed 1, defect okx-2023-08-14")) << message;
  EXPECT_TRUE(contains(message, "repro: " + run.out_dir + "/repro.toml")) << message;
  EXPECT_TRUE(contains(
      message, "rerun: ORDEAL_SEED=1 " + std::filesystem::read_symlink("/proc/self/exe").string() +
                   " --gtest_filter=OrdealGtest.AFailureNamesTheViolationTheSeedAndTheRepro"))
      << message;
  EXPECT_TRUE(std::filesystem::exists(run.out_dir + "/repro.toml"));
  EXPECT_TRUE(std::filesystem::exists(run.out_dir + "/report.json"));
}

TEST(OrdealGtest, TheSeedComesFromTheEnvironment) {
  const SeedEnvironment seed("77");
  gtest::ScenarioTestRun run;
  EXPECT_TRUE(failures_of([&] {
                run = gtest::run_scenario_test(
                    kIncident, {.cases = 1, .out_dir = ::testing::TempDir() + "/ordeal-gtest-env"});
              }).empty());
  EXPECT_EQ(run.seed, 77u);
  EXPECT_TRUE(run.passed);
}

TEST(OrdealGtest, APinnedSeedBeatsTheEnvironment) {
  const SeedEnvironment seed("77");
  const gtest::ScenarioTestRun run = gtest::run_scenario_test(
      kIncident, {.seed = 3, .cases = 1, .out_dir = ::testing::TempDir() + "/ordeal-gtest-pin"});
  EXPECT_EQ(run.seed, 3u);
}

TEST(OrdealGtest, BadInputIsAFailureThatSaysWhy) {
  {
    const SeedEnvironment seed("seven");
    const auto failures = failures_of([] { gtest::run_scenario_test(kIncident, {.cases = 1}); });
    ASSERT_EQ(failures.size(), 1u);
    EXPECT_TRUE(contains(failures[0], "ORDEAL_SEED='seven'")) << failures[0];
  }
  auto failures = failures_of([] { gtest::run_scenario_test("/no/such/scenario.toml", {}); });
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_TRUE(contains(failures[0], "/no/such/scenario.toml")) << failures[0];
  failures = failures_of([] { gtest::run_property_test("no-such-property", kIncident, {}); });
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_TRUE(contains(failures[0], "no property named 'no-such-property'")) << failures[0];
  failures = failures_of([] { gtest::run_scenario_test(kIncident, {.defect = "nope"}); });
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_TRUE(contains(failures[0], "defect 'nope'")) << failures[0];
  failures = failures_of([] { gtest::run_scenario_test(kIncident, {.target = "nowhere"}); });
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_TRUE(contains(failures[0], "no target named 'nowhere' is registered")) << failures[0];
  // A scenario's target the test cannot run is a failure, not the simulator
  // standing in for it.
  failures = failures_of([] { gtest::run_scenario_test(kCluster, {.cases = 1}); });
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_TRUE(contains(failures[0], "cluster-chaos.toml:")) << failures[0];
  EXPECT_TRUE(contains(failures[0],
                       "target cluster: a test runs the inproc simulator or a "
                       "registered target"))
      << failures[0];
}

// A test that expects a violation (a planted bug must be caught) passes
// when one is found and fails, saying so, when every property held.
TEST(OrdealGtest, AnExpectedViolationPassesWhenCaughtAndFailsWhenNot) {
  const std::string out = ::testing::TempDir() + "/ordeal-gtest-expected";
  gtest::ScenarioTestRun run;
  EXPECT_TRUE(failures_of([&] {
                run = gtest::run_scenario_test(kIncident, {.seed = 1,
                                                           .defect = "okx-2023-08-14",
                                                           .shrink = false,
                                                           .out_dir = out,
                                                           .expect_violation = true});
              }).empty());
  EXPECT_TRUE(run.passed);
  const auto failures = failures_of([&] {
    run = gtest::run_scenario_test(
        kIncident, {.seed = 1, .cases = 3, .out_dir = out, .expect_violation = true});
  });
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_FALSE(run.passed);
  EXPECT_TRUE(contains(failures[0], "expected a violation in scenario okx-2023-08-14"))
      << failures[0];
  EXPECT_TRUE(contains(failures[0], "every property held over 3 cases")) << failures[0];
}

// The macros pass the test's own file and line, where gtest places the
// failure (not a line of ordeal's).
TEST(OrdealGtest, AFailureIsPlacedAtTheTest) {
  ::testing::TestPartResultArray results;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &results);
    gtest::run_scenario_test("/no/such/scenario.toml", {}, {"my_venue_test.cc", 42});
  }
  ASSERT_EQ(results.size(), 1);
  EXPECT_STREQ(results.GetTestPartResult(0).file_name(), "my_venue_test.cc");
  EXPECT_EQ(results.GetTestPartResult(0).line_number(), 42);
}

ORDEAL_PROPERTY_TEST(OrdealGtest, OnePropertyOverGeneratedCases, "no-lost-cancel", kIncident,
                     .seed = 9, .cases = 5);

TEST(OrdealGtest, PropertyChecksOverAHandBuiltHistory) {
  HistoryBuilder b;
  auto place = b.at(1).place(1, "o1", Side::buy, 50'000, 5);
  b.at(2).ok(place, OrdStatus::new_order);
  auto cancel = b.at(3).request(RequestKind::cancel, 1, "o1");
  b.at(4).ok(cancel, OrdStatus::cancelled);
  b.at(9).read(1, "o1", OrdStatus::new_order, 50'000, 5);
  ORDEAL_EXPECT_VIOLATED("no-lost-cancel", b.history());
  const ::testing::AssertionResult holds = gtest::property_holds("no-lost-cancel", b.history());
  EXPECT_FALSE(holds);
  EXPECT_TRUE(contains(holds.message(), "no-lost-cancel is violated")) << holds.message();
  ORDEAL_EXPECT_HOLDS("no-overfill", b.history());
  EXPECT_FALSE(gtest::property_holds("no-such-property", b.history()));
  EXPECT_NONFATAL_FAILURE(ORDEAL_EXPECT_HOLDS("no-lost-cancel", b.history()),
                          "at the end the order is new");
}

}  // namespace
}  // namespace ordeal
