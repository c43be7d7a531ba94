// The toy venue behind its adapter: the protocol, a scenario run through
// RunOptions::make_target where every property holds, and the planted bug
// that the properties catch.
#include "custom_target.h"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <set>

#include "framework/gtest/ordeal_gtest.h"
#include "framework/history/history_jsonl.h"
#include "framework/run/case_run.h"
#include "framework/run/generate.h"

namespace toy {
namespace {

using ordeal::exchange::default_metadata;
using ordeal::exchange::RequestKind;

const std::string kScenario = std::string(ORDEAL_EXAMPLES_DIR) + "/toy-venue.toml";

ordeal::Scenario toy_scenario() {
  ordeal::ScenarioLoad loaded = ordeal::load_scenario(kScenario);
  EXPECT_TRUE(loaded) << loaded.error;
  return loaded.scenario;
}

TEST(ToyVenue, SpeaksItsProtocol) {
  ToyVenue venue(default_metadata(1), false);
  EXPECT_EQ(venue.handle("NEW 1 1 s1 BTC-USDT SELL LIMIT GTC - 50000 3"),
            std::vector<std::string>{"ACK NEW 1 1 s1 NEW 50000 3 0 0"});
  EXPECT_EQ(venue.handle("NEW 1 2 b1 BTC-USDT BUY LIMIT IOC - 50010 5"),
            (std::vector<std::string>{"ACK NEW 1 2 b1 CANCELED 50010 5 3 0",
                                      "FILL 1 s1 BTC-USDT SELL 50000 3 1 3 3 MAKER",
                                      "FILL 2 b1 BTC-USDT BUY 50000 3 1 3 5 TAKER"}));
  EXPECT_EQ(venue.handle("CANCEL 2 1 s1"),
            std::vector<std::string>{"REJECT CANCEL 2 1 s1 order is final"});
  EXPECT_EQ(venue.handle("NEW 3 1 s2 BTC-USDT SELL LIMIT GTC - 50005 1"),
            std::vector<std::string>{"REJECT NEW 3 1 s2 price not a multiple of the tick size"});
  EXPECT_EQ(venue.handle("NEW 1 2"), std::vector<std::string>{"REJECT ? 0 0 - malformed request"});
}

TEST(ToyVenue, ThePlantedBugAcknowledgesACancelOfAFilledOrder) {
  ToyVenue venue(default_metadata(1), true);
  venue.handle("NEW 1 1 s1 BTC-USDT SELL LIMIT GTC - 50000 3");
  venue.handle("NEW 1 2 b1 BTC-USDT BUY LIMIT GTC - 50000 3");
  EXPECT_EQ(venue.handle("CANCEL 2 1 s1"),
            std::vector<std::string>{"ACK CANCEL 2 1 s1 CANCELED 50000 3 3 0"});
  EXPECT_EQ(venue.handle("STATUS 3 1 s1"),
            std::vector<std::string>{"ACK STATUS 3 1 s1 FILLED 50000 3 3 0"});
}

TEST(ToyTarget, SameSeedSameHistory) {
  const ordeal::Scenario s = toy_scenario();
  auto run = [&](uint64_t seed) {
    const ordeal::RunOutcome o =
        ordeal::run_scenario(s, {.seed = seed, .cases = 5, .make_target = target_factory()});
    std::string all;
    for (size_t i = 0; i < o.history.size(); ++i) all += ordeal::event_json(o.history, i);
    return all;
  };
  const std::string a = run(4);
  EXPECT_GT(a.size(), 1000u);
  EXPECT_EQ(a, run(4));
  EXPECT_NE(a, run(5));
}

// The scenario is not vacuous: in the last case of a few runs,
// orders trade, cancels are accepted, and the busy session refuses orders.
TEST(ToyTarget, TheScenarioTradesCancelsAndIsRefused) {
  const ordeal::Scenario s = toy_scenario();
  int fills = 0, cancels = 0, refusals = 0;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    const ordeal::RunOutcome o =
        ordeal::run_scenario(s, {.seed = seed, .cases = s.cases, .make_target = target_factory()});
    ASSERT_FALSE(o.failed()) << o.violations.front().message;
    for (const ordeal::Event& e : o.history.events()) {
      fills += e.type == ordeal::EventType::fill ? 1 : 0;
      cancels += e.type == ordeal::EventType::ok && e.kind == RequestKind::cancel ? 1 : 0;
      refusals += e.type == ordeal::EventType::fail && o.history.text(e.text) == "venue busy";
    }
  }
  EXPECT_GT(fills, 20);
  EXPECT_GT(cancels, 10);
  EXPECT_GT(refusals, 0);
}

// Every property holds on the toy venue: ordeal's fifteen and the custom one.
ORDEAL_SCENARIO_TEST(ToyTarget, EveryPropertyHolds, kScenario, .seed = 2024, .target = "toy");

// The toy venue by its registered name, its planted bug (its one defect)
// caught as the test expects. The repro names the toy venue, so that
// toy-ordeal (toy_ordeal.cc) replays it.
ORDEAL_SCENARIO_TEST(ToyTarget, ThePlantedBugIsCaughtByName, kScenario, .seed = 1,
                     .defect = "ack-cancel-of-filled", .target = "toy", .expect_violation = true,
                     .program = "toy-ordeal");

// A defect the toy venue does not plant is a failure that says so, not a
// run of the venue as designed.
TEST(ToyTarget, ADefectItDoesNotPlantIsRefused) {
  EXPECT_NONFATAL_FAILURE(
      ordeal::gtest::run_scenario_test(kScenario, {.cases = 1, .defect = "bogus", .target = "toy"}),
      "target toy: defect 'bogus' is not one of this target's (none, ack-cancel-of-filled)");
}

// The workload generator used directly, in RapidCheck's own gtest style:
// every case it draws from the scenario runs on the toy venue, and every
// property holds. RapidCheck picks the seed (RC_PARAMS="seed=..." repeats
// it) and shrinks a failing case.
RC_GTEST_PROP(ToyWorkload, EveryGeneratedCaseHoldsOnTheToyVenue, ()) {
  static const ordeal::Scenario s = toy_scenario();
  const ordeal::Case c = *ordeal::case_generator(s);
  RC_ASSERT(c.clients.size() == 3u);
  const auto target = make_toy_target(c);
  const ordeal::History h = ordeal::run_case(*target, s, c);
  const std::vector<ordeal::Violation> violations = ordeal::check_history(h, {}, s.limits);
  RC_ASSERT(violations.empty());
}

// The toy venue replays a case exactly, so shrinking counts its budget in
// operations, as on the simulator: the same seed shrinks to the same case
// however busy the machine.
TEST(ToyTarget, ThePropertiesCatchThePlantedBug) {
  const ordeal::Scenario s = toy_scenario();
  const ordeal::RunOptions options{.seed = 1,
                                   .cases = s.cases,
                                   .shrink_budget_s = 5,
                                   .make_target = target_factory({.ack_cancel_of_filled = true}),
                                   .deterministic_target = true};
  const ordeal::RunOutcome outcome = ordeal::run_scenario(s, options);
  ASSERT_TRUE(outcome.failed());
  std::set<std::string> caught;
  for (const ordeal::Violation& v : outcome.violations) caught.insert(v.property);
  EXPECT_TRUE(caught.contains("no-lost-cancel")) << outcome.violations.front().message;
  EXPECT_LE(outcome.failing_case->operations(), 6u) << "shrunk to a few operations";
  EXPECT_EQ(*ordeal::run_scenario(s, options).failing_case, *outcome.failing_case);
}

TEST(ToyTarget, TheCustomPropertyCatchesThePlantedBugAlone) {
  ordeal::Scenario s = toy_scenario();
  s.properties = {"cancel-of-final-order-rejected"};
  const ordeal::RunOutcome outcome =
      ordeal::run_scenario(s, {.seed = 1,
                               .cases = s.cases,
                               .shrink = false,
                               .make_target = target_factory({.ack_cancel_of_filled = true})});
  ASSERT_TRUE(outcome.failed());
  EXPECT_EQ(outcome.violations.front().property, "cancel-of-final-order-rejected");
}

}  // namespace
}  // namespace toy
