#include "faults/fault_point.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace ordeal::faults {
namespace {

FaultPoint test_alpha("test.alpha", "a point for these tests");
FaultPoint test_beta("test.beta", "another point for these tests");
FaultPoint param_delay("param-test.delay", "holds something back",
                       {.what = "delay", .unit = "ms", .fallback = 200});
FaultPoint param_field("param-test.field", "damages a field",
                       {.what = "field", .choices = {"tick size", "lot size", "shard"}});

std::vector<bool> fire_pattern(FaultPoint& point, int hits) {
  std::vector<bool> pattern;
  for (int i = 0; i < hits; ++i) pattern.push_back(static_cast<bool>(point.check()));
  return pattern;
}

TEST(FaultPoint, DisarmedNeverFires) {
  disarm_all();
  for (int i = 0; i < 1000; ++i) ASSERT_FALSE(test_alpha.check());
  EXPECT_EQ(test_alpha.fired_count(), 0u);
}

TEST(FaultPoint, ArmedWithCertaintyAlwaysFiresAndCarriesParam) {
  ScopedArm armed("test.alpha", {.probability = 1.0, .param = 250});
  ASSERT_EQ(armed.count(), 1);
  for (int i = 0; i < 100; ++i) {
    const Hit hit = test_alpha.check();
    ASSERT_TRUE(hit);
    ASSERT_EQ(hit.param, 250);
  }
  EXPECT_FALSE(test_beta.check()) << "arming one point must not arm another";
}

// A fire carries the value its site acts with: the arm's, else the point's
// default, else a choice drawn from the hit's own draw (so it replays).
TEST(FaultPoint, AFireCarriesTheParameterItActsWith) {
  {
    ScopedArm armed("param-test.delay", {.probability = 1.0});
    EXPECT_EQ(param_delay.check().param, 200);
  }
  {
    ScopedArm armed("param-test.delay", {.probability = 1.0, .param = 30});
    EXPECT_EQ(param_delay.check().param, 30);
  }
  {
    ScopedArm armed("param-test.field", {.probability = 1.0, .seed = 5});
    std::vector<int64_t> fields;
    for (int i = 0; i < 60; ++i) {
      const Hit hit = param_field.check();
      ASSERT_EQ(hit.param, 1 + static_cast<int64_t>(hit.draw % 3));
      fields.push_back(hit.param);
    }
    for (int64_t field = 1; field <= 3; ++field) {
      EXPECT_NE(std::find(fields.begin(), fields.end(), field), fields.end()) << field;
    }
  }
  ScopedArm armed("test.alpha", {.probability = 1.0});
  EXPECT_EQ(test_alpha.check().param, 0) << "a point without a meaning passes 0 on";
}

TEST(FaultPoint, AParameterIsDescribedInWords) {
  EXPECT_EQ(param_delay.description(), "holds something back (param: delay ms, default 200)");
  EXPECT_EQ(param_field.description(),
            "damages a field: 1 tick size, 2 lot size, 3 shard (param; 0 = drawn)");
  EXPECT_EQ(param_delay.summary(), "holds something back");
  EXPECT_EQ(param_delay.describe_param(300), "300 ms");
  EXPECT_EQ(param_delay.describe_armed_param(0), "default 200 ms");
  EXPECT_EQ(param_field.describe_param(2), "lot size");
  EXPECT_EQ(param_field.describe_param(9), "field 9");
  EXPECT_EQ(param_field.describe_armed_param(0), "a field drawn per fire");
  EXPECT_EQ(test_alpha.describe_param(7), "param 7");
  EXPECT_EQ(test_alpha.description(), "a point for these tests");
}

TEST(FaultPoint, APinnedArmFiresAtItsChecksOnlyWhateverTheProbability) {
  ScopedArm armed(
      "test.alpha",
      {.probability = 0.0, .seed = 4, .pins = {{.check = 3, .as = 3}, {.check = 7, .as = 7}}});
  std::vector<bool> expected(20, false);
  expected[2] = expected[6] = true;
  EXPECT_EQ(fire_pattern(test_alpha, 20), expected);
}

TEST(FaultPoint, AFireSaysWhichCheckItWas) {
  ScopedArm armed("test.alpha",
                  {.seed = 4, .pins = {{.check = 2, .as = 2}, {.check = 5, .as = 5}}});
  std::vector<uint64_t> checks;
  for (int i = 0; i < 8; ++i) {
    if (const Hit hit = test_alpha.check()) checks.push_back(hit.check);
  }
  EXPECT_EQ(checks, (std::vector<uint64_t>{2, 5}));
}

// A fire that shrinking moved to an earlier check keeps its damage: its
// draw (and the field drawn from it) is the one of the check it acts as.
TEST(FaultPoint, APinActsWithTheDrawOfTheCheckItActsAs) {
  std::vector<Hit> by_chance;
  {
    ScopedArm armed("param-test.field", {.probability = 1.0, .seed = 9});
    for (int i = 0; i < 6; ++i) by_chance.push_back(param_field.check());
  }
  ScopedArm armed("param-test.field", {.seed = 9, .pins = {{.check = 1, .as = 6}}});
  const Hit moved = param_field.check();
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved.draw, by_chance[5].draw);
  EXPECT_EQ(moved.param, by_chance[5].param);
  EXPECT_NE(moved.draw, by_chance[0].draw) << "the draws of checks 1 and 6 must differ";
}

TEST(FaultPoint, DisarmStopsFiring) {
  {
    ScopedArm armed("test.alpha", {});
    ASSERT_TRUE(test_alpha.check());
  }
  EXPECT_FALSE(test_alpha.armed());
  EXPECT_FALSE(test_alpha.check());
}

TEST(FaultPoint, MaxFiresBoundsFiring) {
  ScopedArm armed("test.alpha", {.max_fires = 3});
  int fired = 0;
  for (int i = 0; i < 100; ++i) fired += static_cast<bool>(test_alpha.check());
  EXPECT_EQ(fired, 3);
}

// Records each fire it is told of, as the simulator does.
struct FireLog final : FireObserver {
  std::vector<std::pair<std::string, int64_t>> fires;
  void on_fire(const FaultPoint& point, const Hit& hit) override {
    fires.emplace_back(point.name(), hit.param);
  }
};

TEST(FaultPoint, TheObserverHearsOfEveryFireAndOfNothingElse) {
  FireLog log;
  set_fire_observer(&log);
  ScopedArm armed("test.alpha", {.probability = 0.3, .param = 7, .seed = 5});
  const std::vector<bool> pattern = fire_pattern(test_alpha, 200);
  for (int i = 0; i < 10; ++i) test_beta.check();  // disarmed: no fire, nothing told
  set_fire_observer(nullptr);
  test_alpha.check();  // nobody listens any more
  const auto fired = static_cast<size_t>(std::count(pattern.begin(), pattern.end(), true));
  ASSERT_GT(fired, 0u);
  ASSERT_EQ(log.fires.size(), fired);
  for (const auto& [name, param] : log.fires) {
    EXPECT_EQ(name, "test.alpha");
    EXPECT_EQ(param, 7);
  }
}

TEST(FaultPoint, AFireCarriesWhatTheSiteAimedAt) {
  struct Aims final : FireObserver {
    std::vector<uint32_t> towards;
    void on_fire(const FaultPoint& /*point*/, const Hit& hit) override {
      towards.push_back(hit.towards);
    }
  } aims;
  set_fire_observer(&aims);
  ScopedArm armed("test.alpha", {});
  EXPECT_EQ(test_alpha.check(7).towards, 7u);
  EXPECT_EQ(test_alpha.check().towards, Hit::kNowhere);
  set_fire_observer(nullptr);
  EXPECT_EQ(aims.towards, (std::vector<uint32_t>{7, Hit::kNowhere}));
}

TEST(FaultPoint, SameSeedFiresTheSameHits) {
  std::vector<bool> first, second;
  {
    ScopedArm armed("test.alpha", {.probability = 0.3, .seed = 99});
    first = fire_pattern(test_alpha, 500);
  }
  {
    ScopedArm armed("test.alpha", {.probability = 0.3, .seed = 99});
    second = fire_pattern(test_alpha, 500);
  }
  EXPECT_EQ(first, second);
  const auto fired = std::count(first.begin(), first.end(), true);
  EXPECT_GT(fired, 100);
  EXPECT_LT(fired, 200);
}

TEST(FaultPoint, DifferentSeedsOrPointsFireDifferentHits) {
  std::vector<bool> seed_1, seed_2, other_point;
  {
    ScopedArm armed("test.*", {.probability = 0.5, .seed = 1});
    seed_1 = fire_pattern(test_alpha, 200);
    other_point = fire_pattern(test_beta, 200);
  }
  {
    ScopedArm armed("test.alpha", {.probability = 0.5, .seed = 2});
    seed_2 = fire_pattern(test_alpha, 200);
  }
  EXPECT_NE(seed_1, seed_2);
  EXPECT_NE(seed_1, other_point);
}

TEST(FaultPoint, WildcardArmsByPrefixAndUnknownNamesArmNothing) {
  EXPECT_EQ(arm("test.*", {}), 2);
  EXPECT_TRUE(test_alpha.armed());
  EXPECT_TRUE(test_beta.armed());
  EXPECT_EQ(disarm("test.*"), 2);
  EXPECT_EQ(arm("test.gamma", {}), 0);
  EXPECT_EQ(arm("nosuch.*", {}), 0);
}

TEST(FaultPoint, CatalogueIsSortedAndFindable) {
  EXPECT_EQ(find_point("test.beta"), &test_beta);
  EXPECT_EQ(find_point("test.nope"), nullptr);
  const auto points = all_points();
  EXPECT_TRUE(std::is_sorted(points.begin(), points.end(),
                             [](auto* a, auto* b) { return a->name() < b->name(); }));
}

}  // namespace
}  // namespace ordeal::faults
