// no-overfill: the filled quantity of an order never exceeds its quantity,
// taking the largest quantity it was ever placed or amended to (any outcome),
// so that no amend of unknown outcome can make a correct history fail.
#include <algorithm>

#include "framework/base/saturating.h"
#include "properties/support.h"

namespace ordeal::properties {
namespace {

class NoOverfill final : public Property {
 public:
  std::string_view name() const override { return "no-overfill"; }
  std::string_view description() const override {
    return "filled quantity never exceeds the order's (amended) quantity";
  }

  void check(const CheckContext& c, std::vector<Violation>& out) const override {
    const History& h = c.history();
    for (const OrderFacts& order : c.index.orders()) {
      if (order.fills.empty()) continue;
      int64_t qty_max = 0;
      for (uint32_t place : order.places) qty_max = std::max(qty_max, h[place].qty);
      for (uint32_t request : order.requests) {
        if (h[request].kind == RequestKind::amend) qty_max = std::max(qty_max, h[request].qty);
      }
      int64_t filled = 0;
      for (uint32_t fill : order.fills) {
        filled = saturating_add(filled, h[fill].qty);  // any integers may come from a file
        if (filled <= qty_max) continue;
        out.push_back(violation(
            name(),
            fmt::format("order {} has filled {} ({}), more than its quantity {}",
                        c.order_name(order.key), filled, when(h, fill), qty_max),
            {c.order_name(order.key)}, {order.places.empty() ? fill : order.places[0], fill}));
        break;
      }
    }
  }
};

ORDEAL_REGISTER_PROPERTY(NoOverfill);

}  // namespace
}  // namespace ordeal::properties
