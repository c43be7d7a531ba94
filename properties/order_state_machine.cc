// order-state-machine: an order's states only move forward (new, partially
// filled, then filled or cancelled; rejected only from the start, and never
// after a fill), a final state is final (neither its state nor its filled
// quantity changes, and no fill adds to it), and its filled quantity never
// goes down, across everything the target reported: no state says less has
// filled than a fill reported before it.
#include <algorithm>
#include <vector>

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
    for (const OrderFacts& order : c.index.orders()) check_order(c, order, out);
  }

 private:
  // Walks the order's reported states in history order, and its fills once
  // a final state was reported: a fill that adds to what the final state
  // counted changed it.
  void check_order(const CheckContext& c, const OrderFacts& order,
                   std::vector<Violation>& out) const {
    const History& h = c.history();
    uint32_t previous = kNone, final_state = kNone;
    size_t next_fill = 0;
    thread_local std::vector<uint32_t> most;  // kept: a run checks thousands of cases
    most.clear();
    for (uint32_t fill : order.fills) {
      most.push_back(most.empty() || h[fill].filled > h[most.back()].filled ? fill : most.back());
    }
    for (uint32_t seen : order.observations) {
      for (;
           final_state != kNone && next_fill < order.fills.size() && order.fills[next_fill] < seen;
           ++next_fill) {
        if (fills_after(h, final_state, order.fills[next_fill])) {
          return report(c, order, final_state, order.fills[next_fill], out);
        }
      }
      if (previous != kNone && goes_back(h[previous], h[seen])) {
        return report(c, order, previous, seen, out);
      }
      if (const uint32_t fill = fill_beyond(c, order, most, seen); fill != kNone) {
        return report(c, order, fill, seen, out);
      }
      // An order that traded was accepted: it is never rejected after.
      if (h[seen].status == OrdStatus::rejected && !order.fills.empty() && order.fills[0] < seen) {
        return report(c, order, order.fills[0], seen, out);
      }
      previous = seen;
      if (final_state == kNone && rank(h[seen].status) == 3) final_state = seen;
    }
    for (; final_state != kNone && next_fill < order.fills.size(); ++next_fill) {
      if (fills_after(h, final_state, order.fills[next_fill])) {
        return report(c, order, final_state, order.fills[next_fill], out);
      }
    }
  }

  // The fill the exchange reported before it reported `seen` with the most
  // filled, when that is more than `seen` says (the filled quantity went
  // down), or kNone. An answer is held to the fills recorded before its
  // request was sent: it may have been made before a fill recorded while it
  // was on its way. `most` holds, for each of the order's fills, the one
  // with the most filled up to it.
  static uint32_t fill_beyond(const CheckContext& c, const OrderFacts& order,
                              const std::vector<uint32_t>& most, uint32_t seen) {
    if (order.fills.empty()) return kNone;  // most orders: no lookup
    const History& h = c.history();
    uint32_t before = seen;
    if (h[seen].type == EventType::ok) {
      const Operation* op = c.index.operation(h[seen].op);
      if (op != nullptr && op->invoke != kNone) before = op->invoke;
    }
    const auto after = std::upper_bound(order.fills.begin(), order.fills.end(), before);
    if (after == order.fills.begin()) return kNone;
    const uint32_t fill = most[static_cast<size_t>(after - order.fills.begin()) - 1];
    return h[fill].filled > h[seen].filled ? fill : kNone;
  }

  static bool fills_after(const History& h, uint32_t final_state, uint32_t fill) {
    return fill > final_state && h[fill].filled > h[final_state].filled;
  }

  void report(const CheckContext& c, const OrderFacts& order, uint32_t previous, uint32_t seen,
              std::vector<Violation>& out) const {
    const History& h = c.history();
    const Event& before = h[previous];
    const std::string message =
        before.type == EventType::fill && h[seen].status == OrdStatus::rejected
            ? fmt::format(
                  "order {} traded {} at {} ({}), yet the exchange reports it rejected ({})",
                  c.order_name(order.key), h.qty_text(before.qty), h.price_text(before.price),
                  when(h, previous), when(h, seen))
        : before.type == EventType::fill
            ? fmt::format(
                  "order {} traded to {} filled ({}), yet the exchange reports it {} "
                  "with {} filled ({})",
                  c.order_name(order.key), h.qty_text(before.filled), when(h, previous),
                  exchange::to_string(h[seen].status), h.qty_text(h[seen].filled), when(h, seen))
        : h[seen].type == EventType::fill
            ? fmt::format("order {} was {} with {} filled ({}), yet a fill took it to {} ({})",
                          c.order_name(order.key), exchange::to_string(before.status),
                          h.qty_text(before.filled), when(h, previous), h.qty_text(h[seen].filled),
                          when(h, seen))
            : fmt::format(
                  "order {} went from {} with {} filled ({}) back to {} with {} filled "
                  "({})",
                  c.order_name(order.key), exchange::to_string(before.status),
                  h.qty_text(before.filled), when(h, previous), exchange::to_string(h[seen].status),
                  h.qty_text(h[seen].filled), when(h, seen));
    out.push_back(violation(name(), message, {c.order_name(order.key)}, {previous, seen}));
  }

  static bool goes_back(const Event& before, const Event& after) {
    if (after.filled < before.filled) return true;
    // Rejected is where an order starts, never where an accepted one goes.
    if (after.status == OrdStatus::rejected && before.status != OrdStatus::rejected) return true;
    if (rank(after.status) < rank(before.status)) return true;
    // A final state is final: neither its state nor what it filled changes.
    return rank(before.status) == 3 &&
           (after.status != before.status || after.filled != before.filled);
  }
};

ORDEAL_REGISTER_PROPERTY(OrderStateMachine);

}  // namespace
}  // namespace ordeal::properties
