// Where an operation's prices and quantities come from: its symbol's original
// record. Prices sit on a grid of ten ticks around the middle of the price
// band, so that they stay valid when a metadata change multiplies the tick
// size by 2 or 5; an operation's price is the middle plus its price_steps.
//
//   const PriceGrid g = price_grid(*record);
//   const Price price = g.mid + op.price_steps * g.step;
#pragma once

#include <algorithm>
#include <cstdint>

#include "targets/exchange/instrument.h"

namespace ordeal {

struct PriceGrid {
  exchange::Price mid = 0;
  exchange::Price step = 0;
  exchange::Qty unit = 0;  // quantities are multiples of this
};

// The middle is the band's, down to a step; up to one when that falls below
// the band (a band narrow against its tick: 95..104 with a tick of 1).
inline PriceGrid price_grid(const exchange::Instrument& r) {
  PriceGrid g{.step = r.tick_size * 10, .unit = std::max(r.lot_size, r.min_qty)};
  g.mid = (r.min_price + r.max_price) / 2 / g.step * g.step;
  if (g.mid < r.min_price) g.mid += g.step;
  return g;
}

// The most steps an operation's price may lie from the middle and stay in
// the band; -1 when even the middle is outside it.
inline int64_t price_steps_in_band(const PriceGrid& g, const exchange::Instrument& r) {
  if (g.mid < r.min_price || g.mid > r.max_price) return -1;
  return std::min((g.mid - r.min_price) / g.step, (r.max_price - g.mid) / g.step);
}

// The most steps an operation's price may lie from the middle: one more
// step below would make a price of 0 or less, which no venue takes and
// which an amend reads as "price unchanged".
inline int64_t price_steps_max(const PriceGrid& g) {
  return std::max<int64_t>(0, g.mid / g.step - 1);
}

}  // namespace ordeal
