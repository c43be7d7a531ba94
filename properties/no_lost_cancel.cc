// no-lost-cancel: a cancel that was accepted is honoured. The order ends
// cancelled, and no fill of it happens after the cancel was accepted. An
// accepted mass-cancel does the same for every order of that client (and
// symbol) that was accepted before the mass-cancel was sent, or whose place
// had an unknown outcome but which the exchange reported before it.
#include <algorithm>
#include <span>

#include "properties/support.h"

namespace ordeal::properties {
namespace {

class NoLostCancel final : public Property {
 public:
  std::string_view name() const override { return "no-lost-cancel"; }
  std::string_view description() const override {
    return "an accepted cancel is honoured: the order ends cancelled and never fills after it";
  }

  void check(const CheckContext& c, std::vector<Violation>& out) const override {
    for (const OrderFacts& order : c.index.orders()) {
      for (uint32_t request : order.requests) {
        if (c.history()[request].kind != RequestKind::cancel) continue;
        const uint32_t done = c.index.completion_index_of(request);
        if (done != kNone && c.history()[done].type == EventType::ok) {
          check_honoured(c, order, done, "cancel", out);
        }
      }
    }
    if (c.index.mass_cancels().empty()) return;
    // A mass-cancel concerns its client's orders only: sorting them by
    // client once (one array, in order of appearance within a client) keeps
    // many mass-cancels over many orders from taking their product.
    std::vector<uint64_t> orders_by_client;  // client_order() keys
    orders_by_client.reserve(c.index.orders().size());
    uint32_t id = 0;
    for (const OrderFacts& order : c.index.orders())
      orders_by_client.push_back(client_order(order.key.client, id++));
    std::sort(orders_by_client.begin(), orders_by_client.end());
    for (uint32_t mass : c.index.mass_cancels()) {
      const int32_t client = c.history()[mass].client;
      check_mass_cancel(c, mass,
                        {std::lower_bound(orders_by_client.begin(), orders_by_client.end(),
                                          client_order(client, 0)),
                         std::upper_bound(orders_by_client.begin(), orders_by_client.end(),
                                          client_order(client, kNone))},
                        out);
    }
  }

 private:
  // An order as mass-cancels find it: its client in the high half, its
  // place in the index's orders() in the low half. Sorted, a client's orders
  // are together and in their order: plain integers sort faster than pairs
  // compared field by field.
  static uint64_t client_order(int32_t client, uint32_t id) {
    return uint64_t{static_cast<uint32_t>(client)} << 32 | id;
  }

  // The order must not fill after `accepted` and must read as final at the end.
  // A fill recorded later but within a quantity the exchange reported filled
  // by then happened before it, its report only came late (a live target's
  // reports may take another path than its answers): a cancel's acceptance
  // says how much had filled; a mass-cancel's says nothing of each order,
  // but what the exchange reported of it before does (a state, a fill).
  void check_honoured(const CheckContext& c, const OrderFacts& order, uint32_t accepted,
                      std::string_view what, std::vector<Violation>& out) const {
    const History& h = c.history();
    const int64_t filled_before = std::max(what == "cancel" ? h[accepted].filled : 0,
                                           filled_reported_before(h, order, accepted));
    for (uint32_t fill : order.fills) {
      if (fill < accepted || h[fill].filled <= filled_before) continue;
      out.push_back(violation(
          name(),
          fmt::format("order {} filled {} at {} ({}) after its {} was accepted ({})",
                      c.order_name(order.key), h.qty_text(h[fill].qty), h.price_text(h[fill].price),
                      when(h, fill), what, when(h, accepted)),
          {c.order_name(order.key)}, {accepted, fill}));
      return;
    }
    // A state reported after the acceptance with more filled than that is
    // a fill after it too, whether or not its fill report came.
    for (uint32_t seen : order.observations) {
      if (seen < accepted || h[seen].filled <= filled_before) continue;
      out.push_back(violation(
          name(),
          fmt::format("order {} is reported {} with {} filled ({}) after its {} was accepted "
                      "({}) with {} filled",
                      c.order_name(order.key), exchange::to_string(h[seen].status),
                      h.qty_text(h[seen].filled), when(h, seen), what, when(h, accepted),
                      h.qty_text(filled_before)),
          {c.order_name(order.key)}, {accepted, seen}));
      return;
    }
    if (order.final_read == kNone) return;
    const Event& read = h[order.final_read];
    const bool honoured =
        what == "cancel" ? read.status == OrdStatus::cancelled : !is_open(read.status);
    if (honoured) return;
    out.push_back(violation(
        name(),
        fmt::format("the {} of order {} was accepted ({}), but at the end the order is {}", what,
                    c.order_name(order.key), when(h, accepted),
                    read.status == OrdStatus::none ? "unknown to the exchange"
                                                   : exchange::to_string(read.status)),
        {c.order_name(order.key)}, {accepted, order.final_read}));
  }

  // The most the exchange reported filled of the order before `index`, in
  // a state or a fill.
  static int64_t filled_reported_before(const History& h, const OrderFacts& order, uint32_t index) {
    int64_t filled = 0;
    for (uint32_t seen : order.observations) {
      if (seen >= index) break;
      filled = std::max(filled, h[seen].filled);
    }
    for (uint32_t fill : order.fills) {
      if (fill >= index) break;
      filled = std::max(filled, h[fill].filled);
    }
    return filled;
  }

  // The place of an order the exchange held before `mass` was sent: one
  // accepted before it, or one not rejected when the exchange reported the
  // order (a fill or a state) before it; kNone when neither is known.
  static uint32_t held_before(const CheckContext& c, const OrderFacts& order, uint32_t mass) {
    const uint32_t accepted = accepted_place(c, order);
    if (accepted != kNone && c.index.completion_index_of(accepted) < mass) return accepted;
    if (first_report_held(c.history(), order) > mass) return kNone;  // also when never reported
    for (uint32_t place : order.places) {
      const Event* done = c.index.completion_of(place);
      if (done == nullptr || done->type != EventType::fail) return place;
    }
    return kNone;
  }

  void check_mass_cancel(const CheckContext& c, uint32_t mass, std::span<const uint64_t> orders,
                         std::vector<Violation>& out) const {
    const History& h = c.history();
    const uint32_t done = c.index.completion_index_of(mass);
    if (done == kNone || h[done].type != EventType::ok) return;
    for (const uint64_t of_client : orders) {
      const OrderFacts order = c.index.order_at(static_cast<uint32_t>(of_client));
      const uint32_t place = held_before(c, order, mass);
      if (place == kNone) continue;
      if (h[mass].symbol != 0 && h[place].symbol != h[mass].symbol) continue;
      check_honoured(c, order, done, "mass-cancel", out);
    }
  }
};

ORDEAL_REGISTER_PROPERTY(NoLostCancel);

}  // namespace
}  // namespace ordeal::properties
