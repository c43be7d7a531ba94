// trade-conservation: both sides of each trade match (opposite sides,
// quantity and price), a trade has at most two sides, every fill is in its
// order's symbol and on its side, and every fill respects its order's limit
// price (any price the order may have had when it filled: a rejected
// amend's price, that of an amend sent after the fill, or one an accepted
// amend had replaced before it, it never had). A trade is its id within a
// symbol: venues number trades per symbol as often as across them; a lone
// side in each of two symbols, opposite and alike, is still one trade
// matched across two books. A place
// rejected (a repeat of the id, rejected as a duplicate) never was the
// order: its terms are not the order's.
#include <algorithm>
#include <array>
#include <span>

#include "properties/support.h"

namespace ordeal::properties {
namespace {

class TradeConservation final : public Property {
 public:
  std::string_view name() const override { return "trade-conservation"; }
  std::string_view description() const override {
    return "both sides of each trade match in quantity and price; prices respect limits";
  }

  void check(const CheckContext& c, std::vector<Violation>& out) const override {
    const History& h = c.history();
    // Every fill by trade id, then in the order the orders are visited: one
    // sort of a flat array rather than a map node and a vector per trade.
    size_t fills = 0;
    for (const OrderFacts& order : c.index.orders()) fills += order.fills.size();
    LargeVector<TradeSide> sides;
    sides.reserve(fills);
    for (const OrderFacts& order : c.index.orders()) {
      if (order.fills.empty()) continue;
      const uint32_t first = agreed_place(c, order);  // once for all of the order's fills
      for (uint32_t fill : order.fills) {
        // A fill naming no trade (0: a history that leaves `trade` out) is
        // no side of a known trade: pairing those would make one "trade 0"
        // of every such fill, an order's partial fills "reported twice".
        // A fill that names no symbol is in its order's.
        const Sym symbol = h[fill].symbol != 0 || first == kNone ? h[fill].symbol : h[first].symbol;
        if (h[fill].number != 0)
          sides.push_back({h[fill].number, symbol, static_cast<uint32_t>(sides.size()), fill});
        check_limit(c, order, fill, out);
        check_terms(c, order, first, fill, out);
      }
    }
    std::sort(sides.begin(), sides.end(), [](const TradeSide& a, const TradeSide& b) {
      if (a.trade != b.trade) return a.trade < b.trade;
      return a.symbol != b.symbol ? a.symbol < b.symbol : a.seen < b.seen;
    });
    for (size_t first = 0, next = 0; first < sides.size(); first = next) {
      while (next < sides.size() && sides[next].trade == sides[first].trade &&
             sides[next].symbol == sides[first].symbol)
        ++next;
      check_trade(c, std::span(sides).subspan(first, next - first), out);
      if (next - first == 1) check_across_symbols(c, sides, first, out);
    }
  }

 private:
  struct TradeSide {
    int64_t trade;
    Sym symbol;     // the fill's, or its order's when it names none (0: neither known)
    uint32_t seen;  // position in the visit, to keep each trade's sides in that order
    uint32_t fill;
  };

  void check_trade(const CheckContext& c, std::span<const TradeSide> sides,
                   std::vector<Violation>& out) const {
    const History& h = c.history();
    if (sides.size() == 1) return;  // the other side may be someone ordeal does not see
    const int64_t trade = sides[0].trade;
    // An order's sides come together. One that reports the side before it
    // again (reports_again) is not a side of its own; on other terms the
    // trade is told two ways.
    size_t distinct = 0;
    std::array<uint32_t, 2> first_two{};
    for (size_t i = 0; i < sides.size(); ++i) {
      const Event& side = h[sides[i].fill];
      if (i > 0 && same_order(side, h[sides[i - 1].fill])) {
        const Event& before = h[sides[i - 1].fill];
        if (reports_again(side, before)) continue;
        out.push_back(violation(
            name(),
            fmt::format("trade {} is reported twice for order {}: {} at {} ({} filled), then {} "
                        "at {} ({} filled)",
                        trade, c.order_name(side), h.qty_text(before.qty),
                        h.price_text(before.price), h.qty_text(before.filled), h.qty_text(side.qty),
                        h.price_text(side.price), h.qty_text(side.filled)),
            {c.order_name(side)}, {sides[i - 1].fill, sides[i].fill}));
        return;
      }
      if (distinct < first_two.size()) first_two[distinct] = sides[i].fill;
      ++distinct;
    }
    if (distinct == 1) return;
    const Event& a = h[first_two[0]];
    const Event& b = h[first_two[1]];
    std::string problem;
    if (distinct > 2)
      problem = fmt::format("has {} sides", distinct);
    else if (a.side == b.side)
      problem = "has two sides that both " + std::string(exchange::to_string(a.side));
    else if (a.qty != b.qty)
      problem = fmt::format("is {} on one side and {} on the other", h.qty_text(a.qty),
                            h.qty_text(b.qty));
    else if (a.price != b.price)
      problem = fmt::format("is at {} on one side and {} on the other", h.price_text(a.price),
                            h.price_text(b.price));
    if (problem.empty()) return;
    out.push_back(violation(name(), fmt::format("trade {} {}", trade, problem),
                            {c.order_name(a), c.order_name(b)}, fill_indices(sides)));
  }

  // A trade id with exactly one side in each of two symbols, opposite
  // sides of one quantity and price: one trade matched across two books,
  // not two trades a venue numbers per symbol that happen to be one-sided.
  // `at` is the second symbol's lone side, sorted after the first's.
  void check_across_symbols(const CheckContext& c, std::span<const TradeSide> sides, size_t at,
                            std::vector<Violation>& out) const {
    if (at == 0 || sides[at - 1].trade != sides[at].trade) return;
    const bool lone_before = at < 2 || sides[at - 2].trade != sides[at].trade;
    const bool lone_after = at + 1 >= sides.size() || sides[at + 1].trade != sides[at].trade;
    if (!lone_before || !lone_after) return;
    const History& h = c.history();
    const Event& a = h[sides[at - 1].fill];
    const Event& b = h[sides[at].fill];
    if (sides[at - 1].symbol == 0 || a.side == b.side || a.qty != b.qty || a.price != b.price) {
      return;
    }
    out.push_back(
        violation(name(),
                  fmt::format("trade {} is in {} on one side and {} on the other", sides[at].trade,
                              h.text(sides[at - 1].symbol), h.text(sides[at].symbol)),
                  {c.order_name(a), c.order_name(b)}, {sides[at - 1].fill, sides[at].fill}));
  }

  static bool same_order(const Event& a, const Event& b) {
    return a.client == b.client && a.order == b.order;
  }

  static std::vector<uint64_t> fill_indices(std::span<const TradeSide> sides) {
    std::vector<uint64_t> fills;
    for (const TradeSide& side : sides) fills.push_back(side.fill);
    return fills;
  }

  // A fill is in its order's symbol and on its side. A reused id may name
  // orders in several symbols or sides: which one a fill is of is not known
  // then, and a fill that names no symbol says nothing of it. `first` is
  // the order's agreed_place().
  void check_terms(const CheckContext& c, const OrderFacts& order, uint32_t first, uint32_t fill,
                   std::vector<Violation>& out) const {
    const History& h = c.history();
    if (first == kNone) return;
    const Event& place = h[first];
    const Event& f = h[fill];
    const bool symbol_differs = f.symbol != 0 && f.symbol != place.symbol;
    if (!symbol_differs && f.side == place.side) return;
    out.push_back(violation(
        name(),
        fmt::format("order {} ({} {}) filled {} at {} as a {} in {} ({})", c.order_name(order.key),
                    exchange::to_string(place.side), h.text(place.symbol), h.qty_text(f.qty),
                    h.price_text(f.price), exchange::to_string(f.side),
                    h.text(f.symbol == 0 ? place.symbol : f.symbol), when(h, fill)),
        {c.order_name(order.key)}, {first, fill}));
  }

  // The amend that set a price and was in force when `fill` happened: of
  // those accepted and answered before the fill with less filled than the
  // fill counts (so the fill came after them), the one acknowledged last,
  // as accepted amends take effect in the order they are acknowledged
  // (no-lost-amend, no-overfill). kNone when there is none. A fill counted
  // by the answer happened before the amend, its report only came late:
  // the limits before the amend still judge it.
  static uint32_t amend_in_force(const CheckContext& c, const OrderFacts& order, uint32_t fill) {
    const History& h = c.history();
    uint32_t found = kNone, found_done = 0;
    for (uint32_t request : order.requests) {
      if (request > fill) break;
      if (h[request].kind != RequestKind::amend || h[request].price == 0) continue;
      const uint32_t done = c.index.completion_index_of(request);
      if (done == kNone || done > fill || h[done].type != EventType::ok) continue;
      if (h[done].filled >= h[fill].filled || (found != kNone && done < found_done)) continue;
      found = request;
      found_done = done;
    }
    return found;
  }

  void check_limit(const CheckContext& c, const OrderFacts& order, uint32_t fill,
                   std::vector<Violation>& out) const {
    const History& h = c.history();
    const Event& f = h[fill];
    const bool buy = f.side == exchange::Side::buy;
    bool has_limit = false;
    int64_t loosest = 0;  // of the limits it may have had, the one letting most prices through
    auto consider = [&](const Event& request) {
      if (request.price == 0) return;  // market order, or an amend leaving the price
      loosest = !has_limit ? request.price
                : buy      ? std::max(loosest, request.price)
                           : std::min(loosest, request.price);
      has_limit = true;
    };
    const uint32_t amended = amend_in_force(c, order, fill);
    for (uint32_t place : order.places) {
      if (!may_be_the_order(c, order, place)) continue;
      if (h[place].number & kMarketFlag) return;  // a market order takes any price
      if (amended == kNone) consider(h[place]);   // else replaced before the fill
    }
    // An amend sent after the fill was recorded was not in force for it, nor
    // was one accepted before the amend in force was (one of unknown outcome
    // may have taken effect later).
    const uint32_t amended_done = amended == kNone ? 0 : c.index.completion_index_of(amended);
    for (uint32_t request : order.requests) {
      if (request > fill) break;
      if (h[request].kind != RequestKind::amend) continue;
      const uint32_t done = c.index.completion_index_of(request);
      if (done != kNone && done < amended_done && h[done].type == EventType::ok) continue;
      if (done == kNone || h[done].type != EventType::fail)
        consider(h[request]);  // rejected: never in force
    }
    if (!has_limit || (buy ? f.price <= loosest : f.price >= loosest)) return;
    out.push_back(
        violation(name(),
                  fmt::format("order {} ({}) filled at {} ({}), beyond its limit price {}",
                              c.order_name(order.key), exchange::to_string(f.side),
                              h.price_text(f.price), when(h, fill), h.price_text(loosest)),
                  {c.order_name(order.key)}, {fill}));
  }
};

ORDEAL_REGISTER_PROPERTY(TradeConservation);

}  // namespace
}  // namespace ordeal::properties
