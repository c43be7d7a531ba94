#include "targets/exchange/exact_divisor.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "framework/base/rng.h"

namespace ordeal::exchange {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

// Numerators where a rounding error would show first: around multiples of
// the divisor, the ends of the range, and random draws.
std::vector<uint64_t> numerators(uint64_t divisor, Rng& rng) {
  std::vector<uint64_t> out = {0, 1, divisor - 1, divisor, kMax, kMax - 1, kMax - divisor};
  for (int i = 0; i < 200; ++i) {
    const uint64_t x = rng.next();
    const uint64_t multiple = x - x % divisor;
    out.insert(out.end(), {x, multiple, multiple - 1, multiple + divisor - 1});
  }
  return out;
}

void expect_exact(uint64_t divisor, Rng& rng) {
  const ExactDivisor exact(divisor);
  for (uint64_t x : numerators(divisor, rng)) {
    ASSERT_EQ(exact.quotient(x), x / divisor) << x << " / " << divisor;
    ASSERT_EQ(exact.remainder(x), x % divisor) << x << " % " << divisor;
  }
}

TEST(ExactDivisor, SmallDivisorsAndLatencySpans) {
  Rng rng(1);
  for (uint64_t divisor = 1; divisor <= 1100; ++divisor) expect_exact(divisor, rng);
}

TEST(ExactDivisor, PowersOfTwoAndTheirNeighbours) {
  Rng rng(2);
  for (int bit = 1; bit < 64; ++bit) {
    const uint64_t power = uint64_t{1} << bit;
    for (uint64_t divisor : {power - 1, power, power + 1}) expect_exact(divisor, rng);
  }
  expect_exact(kMax, rng);
}

TEST(ExactDivisor, RandomDivisorsOfEveryWidth) {
  Rng rng(3);
  for (int bits = 1; bits <= 64; ++bits) {
    for (int i = 0; i < 20; ++i) {
      const uint64_t divisor = bits == 64 ? rng.next() : rng.next() >> (64 - bits);
      if (divisor != 0) expect_exact(divisor, rng);
    }
  }
}

}  // namespace
}  // namespace ordeal::exchange
