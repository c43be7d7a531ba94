// saturating.h: exact inside the range, the nearest limit outside it.
#include "framework/base/saturating.h"

#include <gtest/gtest.h>

namespace ordeal {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

TEST(Saturating, AddIsExactInRangeAndStopsAtTheLimits) {
  EXPECT_EQ(saturating_add(2, 3), 5);
  EXPECT_EQ(saturating_add(kMax, -1), kMax - 1);
  EXPECT_EQ(saturating_add(kMax, 1), kMax);
  EXPECT_EQ(saturating_add(kMax / 2 + 1, kMax / 2 + 1), kMax);
  EXPECT_EQ(saturating_add(kMin, -1), kMin);
  EXPECT_EQ(saturating_add(kMin, kMax), -1);
}

TEST(Saturating, MulIsExactInRangeAndStopsAtTheLimitOfItsSign) {
  EXPECT_EQ(saturating_mul(-4, 5), -20);
  EXPECT_EQ(saturating_mul(int64_t{1} << 62, 2), kMax);
  EXPECT_EQ(saturating_mul(int64_t{1} << 62, -4), kMin);
  EXPECT_EQ(saturating_mul(kMin, -1), kMax);
  EXPECT_EQ(saturating_mul(-(int64_t{1} << 62), -(int64_t{1} << 62)), kMax);
  EXPECT_EQ(saturating_mul(kMin, 1), kMin);
}

}  // namespace
}  // namespace ordeal
