#include "framework/base/rng.h"

#include <gtest/gtest.h>

#include <set>

namespace ordeal {
namespace {

TEST(Rng, SameSeedSameSequence) {
  Rng a(42), b(42);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.next(), b.next());
}

TEST(Rng, DifferentSeedsDiffer) {
  Rng a(1), b(2);
  int same = 0;
  for (int i = 0; i < 100; ++i) same += a.next() == b.next();
  EXPECT_EQ(same, 0);
}

TEST(Rng, BetweenStaysInRangeAndCoversIt) {
  Rng rng(7);
  std::set<int64_t> seen;
  for (int i = 0; i < 10000; ++i) {
    const int64_t v = rng.between(-3, 3);
    ASSERT_GE(v, -3);
    ASSERT_LE(v, 3);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 7u);
}

TEST(Rng, ChanceMatchesProbabilityRoughly) {
  Rng rng(9);
  int hits = 0;
  for (int i = 0; i < 100000; ++i) hits += rng.chance(0.25);
  EXPECT_NEAR(hits / 100000.0, 0.25, 0.01);
  EXPECT_FALSE(Rng(1).chance(0.0));
}

TEST(Rng, KnownFirstValueIsStableAcrossPlatforms) {
  // splitmix64 reference value for seed 0: pins the algorithm, so a change
  // that would break replay of recorded seeds fails here first.
  EXPECT_EQ(Rng(0).next(), 0xe220a8397b1dcdafULL);
}

}  // namespace
}  // namespace ordeal
