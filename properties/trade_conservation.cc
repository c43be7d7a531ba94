// trade-conservation: both sides of each trade match (opposite sides, same
// symbol, quantity and price), a trade has at most two sides, and every fill
// respects its order's limit price (any price the order had).
#include <map>

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
    std::map<int64_t, std::vector<uint32_t>> sides_of;
    for (const OrderFacts& order : c.index.orders()) {
      for (uint32_t fill : order.fills) {
        sides_of[h[fill].number].push_back(fill);
        check_limit(c, order, fill, out);
      }
    }
    for (const auto& [trade, sides] : sides_of) check_trade(c, trade, sides, out);
  }

 private:
  void check_trade(const CheckContext& c, int64_t trade, const std::vector<uint32_t>& sides,
                   std::vector<Violation>& out) const {
    const History& h = c.history();
    if (sides.size() == 1) return;  // the other side may be someone ordeal does not see
    const Event& a = h[sides[0]];
    const Event& b = h[sides[1]];
    std::string problem;
    if (sides.size() > 2)
      problem = fmt::format("has {} sides", sides.size());
    else if (a.side == b.side)
      problem = "has two sides that both " + std::string(exchange::to_string(a.side));
    else if (a.qty != b.qty)
      problem = fmt::format("is {} on one side and {} on the other", a.qty, b.qty);
    else if (a.price != b.price)
      problem = fmt::format("is at {} on one side and {} on the other", a.price, b.price);
    else if (a.symbol != b.symbol)
      problem = "is in two different symbols";
    if (problem.empty()) return;
    out.push_back(violation(name(), fmt::format("trade {} {}", trade, problem),
                            {c.order_name(a), c.order_name(b)}, {sides.begin(), sides.end()}));
  }

  void check_limit(const CheckContext& c, const OrderFacts& order, uint32_t fill,
                   std::vector<Violation>& out) const {
    const History& h = c.history();
    const Event& f = h[fill];
    bool has_limit = false, respected = false;
    auto consider = [&](const Event& request) {
      if (request.price == 0) return;  // market order, or an amend leaving the price
      has_limit = true;
      respected |=
          f.side == exchange::Side::buy ? f.price <= request.price : f.price >= request.price;
    };
    for (uint32_t place : order.places) {
      if (h[place].number & kMarketFlag) return;  // a market order takes any price
      consider(h[place]);
    }
    for (uint32_t request : order.requests) {
      if (h[request].kind == RequestKind::amend) consider(h[request]);
    }
    if (!has_limit || respected) return;
    out.push_back(
        violation(name(),
                  fmt::format("order {} ({}) filled at {}, beyond its limit price",
                              c.order_name(order.key), exchange::to_string(f.side), f.price),
                  {c.order_name(order.key)}, {fill}));
  }
};

ORDEAL_REGISTER_PROPERTY(TradeConservation);

}  // namespace
}  // namespace ordeal::properties
