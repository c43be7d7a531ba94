// Case generation: a seed gives the same cases, the drawn values stay within
// the scenario's workload, and shrinking reaches the simplest failing case.
#include "framework/run/generate.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <functional>

namespace ordeal {
namespace {

Scenario incident() {
  ScenarioLoad loaded =
      load_scenario(std::string(ORDEAL_SOURCE_DIR) + "/examples/scenarios/okx-2023-08-14.toml");
  EXPECT_TRUE(loaded) << loaded.error;
  return loaded.scenario;
}

Case generate(const rc::Gen<Case>& gen, uint64_t seed) {
  return gen(rc::Random(seed), 100).value();
}

TEST(Generate, SameSeedSameCase) {
  const rc::Gen<Case> gen = case_generator(incident());
  EXPECT_EQ(generate(gen, 7), generate(gen, 7));
  EXPECT_NE(generate(gen, 7), generate(gen, 8));
}

// A case's value is computed without RapidCheck's records of its draws,
// its shrinks come from the recorded draws: both must be those of the same
// stream and size, at every size RapidCheck uses.
TEST(Generate, DirectValueIsTheRecordedOne) {
  const rc::Gen<Case> gen = case_generator(incident());
  const rc::Gen<Case> recorded = recorded_case_generator(incident());
  for (uint64_t seed = 0; seed < 100; ++seed) {
    for (const int size : {0, 1, 13, 50, 99, 100}) {
      const rc::Shrinkable<Case> direct = gen(rc::Random(seed), size);
      const rc::Shrinkable<Case> made = recorded(rc::Random(seed), size);
      ASSERT_EQ(direct.value(), made.value()) << seed << " " << size;
      auto direct_shrinks = direct.shrinks();
      auto made_shrinks = made.shrinks();
      for (int i = 0; i < 3; ++i) {
        const auto a = direct_shrinks.next(), b = made_shrinks.next();
        ASSERT_EQ(bool(a), bool(b));
        if (!a) break;
        EXPECT_EQ(a->value(), b->value());
      }
    }
  }
}

TEST(Generate, ValuesStayWithinTheWorkload) {
  const Scenario s = incident();
  const rc::Gen<Case> gen = case_generator(s);
  int places = 0, ops = 0, invalid = 0;
  for (uint64_t seed = 0; seed < 300; ++seed) {
    const Case c = generate(gen, seed);
    ASSERT_EQ(c.clients.size(), static_cast<size_t>(s.clients));
    EXPECT_LE(c.metadata.size(), static_cast<size_t>(s.metadata_changes_max));
    EXPECT_LE(c.faults.size(), static_cast<size_t>(s.faults_max));
    for (const auto& client : c.clients) {
      ASSERT_LE(client.size(), static_cast<size_t>(s.operations_per_client));
      for (size_t i = 0; i < client.size(); ++i) {
        const Op& op = client[i];
        EXPECT_LT(op.symbol, s.symbols.size());
        EXPECT_LE(std::abs(op.price_steps), s.price_steps_max);
        EXPECT_TRUE(op.lots >= 1 && op.lots <= s.lots_max) << op.lots;
        EXPECT_LE(i > 0 ? client[i - 1].at_ms : 0, op.at_ms);
        places += op.kind == exchange::RequestKind::place;
        invalid += op.invalid != Invalid::none;
        ++ops;
      }
    }
    for (const FaultWindow& w : c.faults) {
      EXPECT_LT(w.fault, s.faults.size());
      EXPECT_LT(w.start_ms, s.nemesis_window_ms);
      EXPECT_TRUE(w.duration_ms >= 1 && w.duration_ms <= s.nemesis_window_ms);
    }
  }
  // The mix and the invalid share as the scenario gives them (45% places, 5%
  // invalid), within a margin far beyond the sampling noise of ~12,000 ops.
  EXPECT_NEAR(static_cast<double>(places) / ops, 0.45, 0.03);
  EXPECT_NEAR(static_cast<double>(invalid) / ops, s.invalid_share, 0.015);
}

// Walks RapidCheck's shrinks greedily, as its shrinker does: the first
// simpler case that still fails replaces the current one.
Case shrink(rc::Shrinkable<Case> failing, const std::function<bool(const Case&)>& fails) {
  for (int step = 0; step < 10'000; ++step) {
    bool simpler = false;
    for (auto shrinks = failing.shrinks(); auto next = shrinks.next();) {
      if (!fails(next->value())) continue;
      failing = std::move(*next);
      simpler = true;
      break;
    }
    if (!simpler) break;
  }
  return failing.value();
}

TEST(Generate, ShrinksToTheOneOperationThatMatters) {
  const rc::Gen<Case> gen = case_generator(incident());
  const auto has_big_amend = [](const Case& c) {
    for (const auto& client : c.clients) {
      for (const Op& op : client) {
        if (op.kind == exchange::RequestKind::amend && op.lots >= 3) return true;
      }
    }
    return false;
  };
  uint64_t seed = 0;
  while (!has_big_amend(generate(gen, seed))) ++seed;
  const Case c = shrink(gen(rc::Random(seed), 100), has_big_amend);
  ASSERT_EQ(c.operations(), 1u);
  EXPECT_TRUE(c.metadata.empty());
  EXPECT_TRUE(c.faults.empty());
  EXPECT_FALSE(c.upgrade);
  for (const auto& client : c.clients) {
    if (client.empty()) continue;
    EXPECT_EQ(client[0], (Op{.kind = exchange::RequestKind::amend, .lots = 3}));
  }
}

TEST(Generate, ShrinksMetadataChangesAndFaultWindows) {
  const rc::Gen<Case> gen = case_generator(incident());
  const auto needs_nemesis = [](const Case& c) {
    return !c.metadata.empty() && c.faults.size() >= 2;
  };
  uint64_t seed = 0;
  while (!needs_nemesis(generate(gen, seed))) ++seed;
  const Case c = shrink(gen(rc::Random(seed), 100), needs_nemesis);
  EXPECT_EQ(c.operations(), 0u);
  ASSERT_EQ(c.metadata.size(), 1u);
  EXPECT_EQ(c.metadata[0], (MetaChange{.kind = MetaChangeKind::tick, .value = 1}));
  ASSERT_EQ(c.faults.size(), 2u);
  for (const FaultWindow& w : c.faults) EXPECT_EQ(w, (FaultWindow{.duration_ms = 1}));
}

}  // namespace
}  // namespace ordeal
