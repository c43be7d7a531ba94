// no-phantom: every order and fill the target reports traces back to a
// request: no fill or state of an order that was never placed (or not yet:
// reported before its place was sent), and no fill or state (other than
// "rejected") of an order when every place of it sent by then was
// definitely rejected: a rejected place must not take effect (a later
// place of the same id that is accepted does not excuse a report before it).
#include <algorithm>

#include "properties/support.h"

namespace ordeal::properties {
namespace {

class NoPhantom final : public Property {
 public:
  std::string_view name() const override { return "no-phantom"; }
  std::string_view description() const override {
    return "every order and fill the target reports traces back to a request";
  }

  void check(const CheckContext& c, std::vector<Violation>& out) const override {
    const History& h = c.history();
    for (const OrderFacts& order : c.index.orders()) {
      const uint32_t reported = !order.fills.empty()          ? order.fills[0]
                                : !order.observations.empty() ? order.observations[0]
                                                              : kNone;
      if (reported == kNone) continue;
      if (order.places.empty()) {
        out.push_back(violation(name(),
                                fmt::format("the exchange reported order {} ({}), which no client "
                                            "ever placed",
                                            c.order_name(order.key), when(h, reported)),
                                {c.order_name(order.key)}, {reported}));
        continue;
      }
      // A report before any place of the order was sent is of no request.
      const uint32_t earliest = order.fills.empty() || order.observations.empty()
                                    ? reported
                                    : std::min(order.fills[0], order.observations[0]);
      if (earliest < order.places[0]) {
        out.push_back(violation(
            name(),
            fmt::format("the exchange reported order {} ({}) before its client placed it ({})",
                        c.order_name(order.key), when(h, earliest), when(h, order.places[0])),
            {c.order_name(order.key)}, {earliest, order.places[0]}));
        continue;
      }
      const uint32_t existing = first_report_held(h, order);
      if (existing == kNone || !rejected_before(c, order, existing)) continue;
      const bool traded = h[existing].type == EventType::fill;
      out.push_back(
          violation(name(),
                    fmt::format("order {} was rejected, yet {} ({})", c.order_name(order.key),
                                traded ? std::string("it traded")
                                       : fmt::format("the exchange reports it {}",
                                                     exchange::to_string(h[existing].status)),
                                when(h, existing)),
                    {c.order_name(order.key)}, {order.places[0], existing}));
    }
  }

 private:
  // Whether every place of the order sent before `index` was rejected.
  static bool rejected_before(const CheckContext& c, const OrderFacts& order, uint32_t index) {
    for (uint32_t place : order.places) {
      if (place > index) break;
      const Event* done = c.index.completion_of(place);
      if (done == nullptr || done->type != EventType::fail) return false;
    }
    return true;
  }
};

ORDEAL_REGISTER_PROPERTY(NoPhantom);

}  // namespace
}  // namespace ordeal::properties
