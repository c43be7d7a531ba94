// order-state-machine: an order's states only move forward (new, partially
// filled, then filled or cancelled), a final state is final, and its filled
// quantity never goes down, across everything the target reported.
#include "properties/support.h"

namespace ordeal::properties {
namespace {

int rank(OrdStatus status) {
  switch (status) {
    case OrdStatus::none:
      return 0;
    case OrdStatus::new_order:
      return 1;
    case OrdStatus::partially_filled:
      return 2;
    default:
      return 3;
  }
}

class OrderStateMachine final : public Property {
 public:
  std::string_view name() const override { return "order-state-machine"; }
  std::string_view description() const override {
    return "order states only move forward and a final state is final";
  }

  void check(const CheckContext& c, std::vector<Violation>& out) const override {
    const History& h = c.history();
    for (const OrderFacts& order : c.index.orders()) {
      uint32_t previous = kNone;
      for (uint32_t seen : order.observations) {
        if (previous != kNone && goes_back(h[previous], h[seen])) {
          out.push_back(violation(
              name(),
              fmt::format("order {} went from {} with {} filled ({}) back to {} with {} filled "
                          "({})",
                          c.order_name(order.key), exchange::to_string(h[previous].status),
                          h[previous].filled, when(h, previous),
                          exchange::to_string(h[seen].status), h[seen].filled, when(h, seen)),
              {c.order_name(order.key)}, {previous, seen}));
          break;
        }
        previous = seen;
      }
    }
  }

 private:
  static bool goes_back(const Event& before, const Event& after) {
    if (after.filled < before.filled) return true;
    if (rank(after.status) < rank(before.status)) return true;
    return rank(before.status) == 3 && after.status != before.status;
  }
};

ORDEAL_REGISTER_PROPERTY(OrderStateMachine);

}  // namespace
}  // namespace ordeal::properties
