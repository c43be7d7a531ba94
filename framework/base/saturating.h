// Sums and products of 64-bit integers that stop at the type's limits
// instead of overflowing: for arithmetic over values read from a file,
// where any integer may come, and where "beyond any limit" is the right
// answer for a comparison that follows.
//
//   int64_t filled = 0;
//   for (...) filled = saturating_add(filled, fill.qty);
//   if (saturating_mul(price, qty) > max_notional) ...
#pragma once

#include <cstdint>
#include <limits>

namespace ordeal {

inline int64_t saturating_add(int64_t a, int64_t b) {
  int64_t sum = 0;
  if (!__builtin_add_overflow(a, b, &sum)) return sum;
  return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
}

inline int64_t saturating_mul(int64_t a, int64_t b) {
  int64_t product = 0;
  if (!__builtin_mul_overflow(a, b, &product)) return product;
  return (a < 0) == (b < 0) ? std::numeric_limits<int64_t>::max()
                            : std::numeric_limits<int64_t>::min();
}

}  // namespace ordeal
