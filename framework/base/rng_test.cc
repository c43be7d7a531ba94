#include "framework/base/rng.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
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

// The ends of the draws map to the ends of the span, and each value of a
// span that does not divide 2^64 gets its share of the draws within one.
TEST(Rng, ScaledSpreadsTheDrawsEvenly) {
  EXPECT_EQ(scaled(0, 351), 0u);
  EXPECT_EQ(scaled(UINT64_MAX, 351), 350u);
  EXPECT_EQ(scaled(UINT64_MAX, 1), 0u);
  EXPECT_EQ(scaled(uint64_t{1} << 63, 2), 1u);
  // Draws spread evenly over 2^64 (a step of 2^64 / 7000, 7000 draws) give
  // each of 7 values 1000 of them, give or take the one at a boundary.
  const uint64_t step = UINT64_MAX / 7000;
  std::array<int, 7> counts{};
  for (uint64_t i = 0; i < 7000; ++i) ++counts[scaled(i * step, 7)];
  for (const int count : counts) EXPECT_NEAR(count, 1000, 1);
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
