// A price-time priority order book for one symbol: the matching core of an
// engine shard. It knows only order ids, sides, prices and open quantities;
// the shard keeps everything else about an order.
//
//   OrderBook book;
//   book.add(1, Side::sell, 100, 5);
//   auto matches = book.match(Side::buy, 100, 3);   // {maker 1, qty 3, price 100}
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

#include "framework/base/node_pool.h"
#include "targets/exchange/types.h"

namespace ordeal::exchange {

struct Match {
  OrderId maker = 0;
  Qty qty = 0;
  Price price = 0;  // the maker's price
};

class OrderBook {
 public:
  // Not copyable: the index holds iterators into the levels, which a
  // member-wise copy would leave pointing into the source. A move keeps
  // them valid (list nodes stay where they are).
  OrderBook() = default;
  OrderBook(const OrderBook&) = delete;
  OrderBook& operator=(const OrderBook&) = delete;
  OrderBook(OrderBook&&) noexcept = default;
  OrderBook& operator=(OrderBook&&) noexcept = default;

  // Takes liquidity for an incoming order on `side` up to `limit` (nullopt: a
  // market order takes any price), at most `qty`; makers in price-time order.
  std::vector<Match> match(Side side, std::optional<Price> limit, Qty qty);
  // The same into `out` (cleared first), reusing its memory.
  void match(Side side, std::optional<Price> limit, Qty qty, std::vector<Match>& out);
  bool would_cross(Side side, Price price) const;

  // Rests an order at the back of its price level.
  void add(OrderId id, Side side, Price price, Qty open_qty);
  bool remove(OrderId id);
  // Lowers the open quantity in place, keeping time priority.
  bool reduce(OrderId id, Qty open_qty);

  std::optional<Qty> open_qty(OrderId id) const;
  std::optional<Price> best_bid() const;
  std::optional<Price> best_ask() const;
  size_t size() const { return index_.size(); }
  // Resting order ids on one side, best first: for tests and status dumps.
  std::vector<OrderId> queue(Side side) const;

 private:
  struct Entry {
    OrderId id;
    Qty open_qty;
  };
  // Levels, entries and index nodes come from the node pool: a simulated
  // case builds its books anew, and their nodes are those of the case before.
  using Level = std::list<Entry, NodePoolAllocator<Entry>>;
  struct Location {
    Side side;
    Price price;
    Level::iterator entry;
  };

  std::map<Price, Level, std::greater<>, MapNodePool<Price, Level>> bids_;
  std::map<Price, Level, std::less<Price>, MapNodePool<Price, Level>> asks_;
  std::unordered_map<OrderId, Location, std::hash<OrderId>, std::equal_to<OrderId>,
                     MapNodePool<OrderId, Location>>
      index_;

  template <typename Levels>
  void take(Levels& levels, std::optional<Price> limit, Qty& qty, std::vector<Match>& out,
            bool buy);
};

}  // namespace ordeal::exchange
