// no-lost-order: an accepted order exists afterwards (open, filled or
// cancelled); the final read never finds it unknown.
#include "properties/support.h"

namespace ordeal::properties {
namespace {

class NoLostOrder final : public Property {
 public:
  std::string_view name() const override { return "no-lost-order"; }
  std::string_view description() const override {
    return "an accepted order still exists at the end: open, filled or cancelled, never unknown";
  }

  void check(const CheckContext& c, std::vector<Violation>& out) const override {
    const History& h = c.history();
    for (const OrderFacts& order : c.index.orders()) {
      const uint32_t place = accepted_place(c, order);
      if (place == kNone || order.final_read == kNone) continue;
      if (h[order.final_read].status != OrdStatus::none) continue;
      const uint32_t accepted = c.index.completion_index_of(place);
      out.push_back(violation(
          name(),
          fmt::format("order {} was accepted ({}), but at the end the exchange does not know it",
                      c.order_name(order.key), when(h, accepted)),
          {c.order_name(order.key)}, {accepted, order.final_read}));
    }
  }
};

ORDEAL_REGISTER_PROPERTY(NoLostOrder);

}  // namespace
}  // namespace ordeal::properties
