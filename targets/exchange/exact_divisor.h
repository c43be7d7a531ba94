// Remainders by a divisor fixed at run time, without a division instruction.
//
// The simulator draws a latency for every message as `draw % span`, where the
// span is set once per network; a 64-bit division costs tens of cycles, a
// multiply-high and a few shifts a handful. The result is exactly `x % d`
// for every 64-bit x (the round-up method of Granlund and Montgomery, in its
// form without a branch), so seeded runs draw the same latencies as before.
//
//   ExactDivisor span(351);
//   uint64_t r = span.remainder(draw);  // == draw % 351
#pragma once

#include <bit>
#include <cstdint>

#include "framework/base/assert.h"

namespace ordeal::exchange {

class ExactDivisor {
 public:
  explicit constexpr ExactDivisor(uint64_t divisor) : divisor_(divisor) {
    ORDEAL_ASSERT(divisor > 0);
    if (divisor == 1) return;  // every remainder is 0: remainder() special-cases it
    const int log2_floor = 63 - std::countl_zero(divisor);
    if ((divisor & (divisor - 1)) == 0) {
      // A power of two: the quotient is a shift (by one less, since
      // quotient() always shifts by one more first).
      multiplier_ = 0;
      shift_ = log2_floor - 1;
      return;
    }
    // The quotient is x * M >> (65 + log2_floor) with the 65-bit number
    // M = floor(2^(65 + log2_floor) / divisor) + 1; its low 64 bits are kept,
    // and quotient() adds the top bit back as x itself.
    __extension__ using U128 = unsigned __int128;
    const U128 dividend = U128{uint64_t{1} << log2_floor} << 64;
    auto proposed = static_cast<uint64_t>(dividend / divisor);
    const auto rest = static_cast<uint64_t>(dividend % divisor);
    proposed += proposed;
    const uint64_t twice_rest = rest + rest;
    if (twice_rest >= divisor || twice_rest < rest) proposed += 1;
    multiplier_ = proposed + 1;
    shift_ = log2_floor;
  }

  constexpr uint64_t divisor() const { return divisor_; }
  constexpr uint64_t quotient(uint64_t x) const {
    if (divisor_ == 1) return x;
    __extension__ using U128 = unsigned __int128;
    const auto high = static_cast<uint64_t>((U128{multiplier_} * x) >> 64);
    return (((x - high) >> 1) + high) >> shift_;
  }
  constexpr uint64_t remainder(uint64_t x) const { return x - quotient(x) * divisor_; }

 private:
  uint64_t divisor_;
  uint64_t multiplier_ = 0;
  int shift_ = 0;
};

}  // namespace ordeal::exchange
