// The inproc target's reused exchange: run_sim_case resets one exchange per
// thread for each case, and a case's history must not depend on the cases
// that ran on it before (shrinking and `ordeal replay` rerun single cases).
#include "framework/run/sim_target.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "framework/history/history_jsonl.h"
#include "framework/run/case_run.h"
#include "framework/run/runner.h"
#include "framework/run/shipped_scenarios.h"

namespace ordeal {
namespace {

using exchange::DefectSet;

// The same case on an exchange built for it alone.
History on_new_exchange(const Scenario& s, const Case& c, const DefectSet& defects) {
  std::unique_ptr<Target> target = make_sim_target(s, c, defects);
  return run_case(*target, s, c);
}

struct CaseRun {
  Scenario scenario;
  DefectSet defects;
  Case c;
  std::string expected;  // its history on a new exchange
};

std::vector<CaseRun> runs_of(const std::string& scenario, const std::string& defect) {
  std::vector<CaseRun> runs;
  const Scenario s = shipped(scenario);
  const DefectSet defects = *DefectSet::parse(defect);
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    const Case c = run_scenario(s, {.seed = seed, .cases = 2, .defects = defects}).last_case;
    runs.push_back({s, defects, c, render(on_new_exchange(s, c, defects))});
  }
  return runs;
}

// Cases that end in different states (faults, restarts, upgrades, defects,
// client counts), each run right after another one on the reused exchange.
TEST(SimTarget, ReusedExchangeGivesEachCaseTheHistoryOfANewOne) {
  std::vector<CaseRun> runs;
  for (const auto& [scenario, defect] :
       std::vector<std::pair<std::string, std::string>>{{"okx-2023-08-14", "okx-2023-08-14"},
                                                        {"okx-2023-08-14", "none"},
                                                        {"engine-restart", "none"},
                                                        {"restart-rollback", "none"},
                                                        {"metadata-corruption", "none"}}) {
    for (CaseRun& run : runs_of(scenario, defect)) runs.push_back(std::move(run));
  }
  std::set<size_t> client_counts;
  for (size_t i = 0; i < runs.size(); ++i) {
    const CaseRun& run = runs[i];
    client_counts.insert(run.c.clients.size());
    ASSERT_GT(run.c.operations(), 0u) << "run " << i;
    EXPECT_EQ(render(run_sim_case(run.scenario, run.c, run.defects)), run.expected)
        << "run " << i << " (cases are numbered in the order they ran)";
  }
  EXPECT_EQ(runs.size(), 15u);
  EXPECT_GT(client_counts.size(), 1u) << "the cases should differ in their number of clients";
}

// The same case twice in a row, and after a case of another scenario.
TEST(SimTarget, RepeatedCaseOnReusedExchangeKeepsItsHistory) {
  const Scenario a = shipped("restart-rollback");
  const Scenario b = shipped("okx-2023-08-14");
  const DefectSet defects = *DefectSet::parse("okx-2023-08-14");
  const Case case_a = run_scenario(a, {.seed = 5, .cases = 1}).last_case;
  const Case case_b = run_scenario(b, {.seed = 5, .cases = 1, .defects = defects}).last_case;
  const std::string expected = render(on_new_exchange(b, case_b, defects));
  ASSERT_GT(case_b.operations(), 0u);
  EXPECT_EQ(render(run_sim_case(b, case_b, defects)), expected);
  EXPECT_EQ(render(run_sim_case(b, case_b, defects)), expected);
  run_sim_case(a, case_a, {});
  EXPECT_EQ(render(run_sim_case(b, case_b, defects)), expected);
}

// Heartbeats the nodes absorb cost no event, but everything happens in the
// same order as when each is delivered: the histories are byte for byte
// those of a network that delivers them all. 160 cases of every shipped sim
// scenario, with and without a defect, with their faults, failovers,
// restarts and upgrades.
TEST(SimTarget, AbsorbedHeartbeatsLeaveEveryHistoryAsItWas) {
  size_t compared = 0;
  for (const char* name :
       {"okx-2023-08-14", "metadata-corruption", "engine-restart", "restart-rollback"}) {
    const Scenario s = shipped(name);
    for (const char* defect : {"none", "okx-2023-08-14"}) {
      const DefectSet defects = *DefectSet::parse(defect);
      for (uint64_t seed = 1; seed <= 20; ++seed) {
        const Case c = run_scenario(s, {.seed = seed, .cases = 1, .defects = defects}).last_case;
        const std::string absorbed = render(run_case(*make_sim_target(s, c, defects), s, c));
        const std::string delivered =
            render(run_case(*make_sim_target(s, c, defects, false), s, c));
        ASSERT_EQ(absorbed, delivered) << name << " " << defect << " seed " << seed;
        ++compared;
      }
    }
  }
  EXPECT_EQ(compared, 160u);
}

// Each fire of an armed point is in the history, inside a window of that
// point, named with the node it fired in and, for an update, the node the
// update was for.
TEST(SimTarget, RecordsEachFireInTheWindowOfItsPointWithItsNode) {
  const Scenario s = shipped("okx-2023-08-14");
  const std::set<std::string> nodes = {"meta-0",   "meta-1",   "meta-2",
                                       "engine-0", "engine-1", "gateway"};
  size_t fires = 0;
  for (uint64_t seed = 1; seed <= 40 && fires < 20; ++seed) {
    const Case c = run_scenario(s, {.seed = seed, .cases = 1}).last_case;
    const History h = on_new_exchange(s, c, DefectSet{});
    std::set<std::string> open;  // points whose window is open
    for (const Event& e : h.events()) {
      const std::string text(h.text(e.text));
      if (e.type == EventType::fault_start) open.insert(text);
      if (e.type == EventType::fault_stop) open.erase(text);
      if (e.type != EventType::fault_fire) continue;
      ++fires;
      const size_t colon = text.find(':');
      ASSERT_NE(colon, std::string::npos) << text;
      EXPECT_TRUE(open.contains(text.substr(0, colon))) << text << " at " << e.time_us;
      const std::string where = text.substr(colon + 1);
      const size_t arrow = where.find("->");
      EXPECT_TRUE(nodes.contains(where.substr(0, arrow))) << text;
      if (text.starts_with("meta.update.")) {  // from a replica, to one of its subscribers
        ASSERT_NE(arrow, std::string::npos) << text;
        EXPECT_TRUE(where.starts_with("meta-")) << text;
        EXPECT_TRUE(nodes.contains(where.substr(arrow + 2))) << text;
      }
    }
  }
  EXPECT_GE(fires, 20u) << "the incident's faults should fire in its first cases";
}

}  // namespace
}  // namespace ordeal
