#include "targets/exchange/order_book.h"

#include "framework/base/assert.h"

namespace ordeal::exchange {

template <typename Levels>
void OrderBook::take(Levels& levels, std::optional<Price> limit, Qty& qty, std::vector<Match>& out,
                     bool buy) {
  while (qty > 0 && !levels.empty()) {
    auto level = levels.begin();
    const Price price = level->first;
    if (limit && (buy ? price > *limit : price < *limit)) return;
    Level& queue = level->second;
    while (qty > 0 && !queue.empty()) {
      Entry& maker = queue.front();
      const Qty traded = std::min(qty, maker.open_qty);
      out.push_back(Match{.maker = maker.id, .qty = traded, .price = price});
      qty -= traded;
      maker.open_qty -= traded;
      if (maker.open_qty == 0) {
        index_.erase(maker.id);
        queue.pop_front();
      }
    }
    if (queue.empty()) levels.erase(level);
  }
}

std::vector<Match> OrderBook::match(Side side, std::optional<Price> limit, Qty qty) {
  std::vector<Match> out;
  match(side, limit, qty, out);
  return out;
}

void OrderBook::match(Side side, std::optional<Price> limit, Qty qty, std::vector<Match>& out) {
  ORDEAL_ASSERT(qty > 0);
  out.clear();
  if (side == Side::buy) {
    take(asks_, limit, qty, out, true);
  } else {
    take(bids_, limit, qty, out, false);
  }
}

bool OrderBook::would_cross(Side side, Price price) const {
  if (side == Side::buy) return !asks_.empty() && asks_.begin()->first <= price;
  return !bids_.empty() && bids_.begin()->first >= price;
}

void OrderBook::add(OrderId id, Side side, Price price, Qty open_qty) {
  ORDEAL_ASSERT(open_qty > 0 && !index_.contains(id), "order {} open {}", id, open_qty);
  ORDEAL_ASSERT(!would_cross(side, price), "resting order {} would cross", id);
  Level& level = side == Side::buy ? bids_[price] : asks_[price];
  level.push_back(Entry{.id = id, .open_qty = open_qty});
  index_.emplace(id, Location{.side = side, .price = price, .entry = std::prev(level.end())});
}

bool OrderBook::remove(OrderId id) {
  auto it = index_.find(id);
  if (it == index_.end()) return false;
  const Location location = it->second;
  index_.erase(it);
  auto erase_from = [&](auto& levels) {
    auto level = levels.find(location.price);
    ORDEAL_ASSERT(level != levels.end());
    level->second.erase(location.entry);
    if (level->second.empty()) levels.erase(level);
  };
  if (location.side == Side::buy) {
    erase_from(bids_);
  } else {
    erase_from(asks_);
  }
  return true;
}

bool OrderBook::reduce(OrderId id, Qty open_qty) {
  auto it = index_.find(id);
  if (it == index_.end()) return false;
  ORDEAL_ASSERT(open_qty > 0 && open_qty <= it->second.entry->open_qty);
  it->second.entry->open_qty = open_qty;
  return true;
}

std::optional<Qty> OrderBook::open_qty(OrderId id) const {
  auto it = index_.find(id);
  if (it == index_.end()) return std::nullopt;
  return it->second.entry->open_qty;
}

std::optional<Price> OrderBook::best_bid() const {
  if (bids_.empty()) return std::nullopt;
  return bids_.begin()->first;
}

std::optional<Price> OrderBook::best_ask() const {
  if (asks_.empty()) return std::nullopt;
  return asks_.begin()->first;
}

std::vector<OrderId> OrderBook::queue(Side side) const {
  std::vector<OrderId> ids;
  auto collect = [&](const auto& levels) {
    for (const auto& [price, level] : levels) {
      for (const Entry& entry : level) ids.push_back(entry.id);
    }
  };
  if (side == Side::buy) {
    collect(bids_);
  } else {
    collect(asks_);
  }
  return ids;
}

}  // namespace ordeal::exchange
