// The TAP report listener of custom_report.cc, fed by toy venue runs: every
// property "ok" on a passing run, the violated ones "not ok" with the seed.
#include "custom_report.h"

#include <gtest/gtest.h>

#include <sstream>

#include "custom_target.h"

namespace toy {
namespace {

std::string tap_of(bool planted_bug) {
  const ordeal::ScenarioLoad loaded =
      ordeal::load_scenario(std::string(ORDEAL_EXAMPLES_DIR) + "/toy-venue.toml");
  EXPECT_TRUE(loaded) << loaded.error;
  const ordeal::RunOutcome outcome = ordeal::run_scenario(
      loaded.scenario, {.seed = 1,
                        .cases = 40,
                        .shrink = false,
                        .make_target = target_factory({.ack_cancel_of_filled = planted_bug})});
  std::ostringstream out;
  const std::string error =
      tap_report(out)->on_finish({.scenario = loaded.scenario,
                                  .outcome = outcome,
                                  .seed = 1,
                                  .reproduce = "custom_report_test (seed 1)"});
  EXPECT_EQ(error, "");
  return out.str();
}

TEST(CustomReport, APassingRunIsAllOk) {
  const std::string tap = tap_of(false);
  EXPECT_TRUE(tap.starts_with("TAP version 13\n1..16\n")) << tap;
  EXPECT_NE(tap.find("ok 1 - bounded-unavailability\n"), std::string::npos) << tap;
  EXPECT_EQ(tap.find("not ok"), std::string::npos) << tap;
}

TEST(CustomReport, AViolatedPropertyIsNotOkWithTheSeed) {
  const std::string tap = tap_of(true);
  EXPECT_NE(tap.find("not ok 2 - cancel-of-final-order-rejected\n"), std::string::npos) << tap;
  EXPECT_NE(tap.find("  seed: 1\n"), std::string::npos) << tap;
  EXPECT_NE(tap.find("ok 1 - bounded-unavailability\n"), std::string::npos) << tap;
}

}  // namespace
}  // namespace toy
