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
    if (!c.index.mass_cancels().empty()) check_mass_cancels(c, out);
  }

 private:
  // A client and a place in a list (its orders or its mass-cancels): the
  // client in the high half, the place in the low half. Sorted, a client's
  // are together and in their order: plain integers sort faster than pairs
  // compared field by field.
  static uint64_t client_order(int32_t client, uint32_t id) {
    return uint64_t{static_cast<uint32_t>(client)} << 32 | id;
  }

  // Each accepted mass-cancel against each order of its client it may
  // concern, in the order of mass_cancels() and, for one, in the orders'
  // order. Which pairs to look at is worked out from each order's side:
  // the mass-cancels sent in its life, so that many mass-cancels over many
  // orders (a long case) do not cost their product.
  void check_mass_cancels(const CheckContext& c, std::vector<Violation>& out) const {
    const History& h = c.history();
    const std::vector<uint32_t>& masses = c.index.mass_cancels();
    std::vector<uint64_t> accepted;  // client_order(client, place in masses)
    for (uint32_t at = 0; at < masses.size(); ++at) {
      const uint32_t done = c.index.completion_index_of(masses[at]);
      if (done != kNone && h[done].type == EventType::ok) {
        accepted.push_back(client_order(h[masses[at]].client, at));
      }
    }
    if (accepted.empty()) return;
    std::sort(accepted.begin(), accepted.end());
    std::vector<uint64_t> pairs;  // place in masses in the high half, order in the low
    uint32_t id = 0;
    for (const OrderFacts& order : c.index.orders())
      note_concerning(c, order, id++, accepted, pairs);
    std::sort(pairs.begin(), pairs.end());
    for (const uint64_t pair : pairs) {
      const uint32_t mass = masses[pair >> 32];
      const OrderFacts order = c.index.order_at(static_cast<uint32_t>(pair));
      const uint32_t place = held_before(c, order, mass);
      if (place == kNone) continue;
      if (h[mass].symbol != 0 && h[place].symbol != h[mass].symbol) continue;
      check_honoured(c, order, c.index.completion_index_of(mass), "mass-cancel", out);
    }
  }

  // A pair of the order (`id`) with each accepted mass-cancel of its client
  // sent in its life: after the exchange may first have held it
  // (earliest_held()) and answered before it went quiet (first_quiet()).
  // Outside that, held_before() finds no place or check_honoured() nothing.
  void note_concerning(const CheckContext& c, const OrderFacts& order, uint32_t id,
                       std::span<const uint64_t> accepted, std::vector<uint64_t>& pairs) const {
    const uint32_t from = earliest_held(c, order);
    if (from == kNone) return;
    const uint32_t quiet = first_quiet(c.history(), order);
    const std::vector<uint32_t>& masses = c.index.mass_cancels();
    const auto last =
        std::upper_bound(accepted.begin(), accepted.end(), client_order(order.key.client, kNone));
    // Within a client, by place in masses: in the order they were sent.
    auto it = std::upper_bound(
        std::lower_bound(accepted.begin(), last, client_order(order.key.client, 0)), last, from,
        [&](uint32_t index, uint64_t key) { return index < masses[static_cast<uint32_t>(key)]; });
    for (; it != last; ++it) {
      const auto at = static_cast<uint32_t>(*it);
      if (masses[at] >= quiet) break;
      if (c.index.completion_index_of(masses[at]) >= quiet) continue;
      pairs.push_back(uint64_t{at} << 32 | id);
    }
  }

  // The earliest a mass-cancel sent after it may find the order held
  // (held_before()): its accepted place's answer or its first report held,
  // whichever came first; kNone when neither came.
  static uint32_t earliest_held(const CheckContext& c, const OrderFacts& order) {
    const uint32_t accepted = accepted_place(c, order);
    const uint32_t answered = accepted == kNone ? kNone : c.index.completion_index_of(accepted);
    return std::min(answered, first_report_held(c.history(), order));
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

  // The first index from which a mass-cancel accepted there finds nothing
  // against the order in check_honoured(): past its last fill and its last
  // state but a final read, where the final read (if any) is not open and
  // reports no more filled than those did. kNone when there is none. Most
  // of a client's orders ended long before most of its mass-cancels.
  static uint32_t first_quiet(const History& h, const OrderFacts& order) {
    int64_t filled = 0;
    uint32_t last = 0;  // one past the last fill or state other than the final read
    for (uint32_t fill : order.fills) {
      filled = std::max(filled, h[fill].filled);
      last = std::max(last, fill + 1);
    }
    for (uint32_t seen : order.observations) {
      if (seen == order.final_read) continue;
      filled = std::max(filled, h[seen].filled);
      last = std::max(last, seen + 1);
    }
    if (order.final_read == kNone) return last;
    const Event& read = h[order.final_read];
    if (is_open(read.status) || read.filled > filled) return kNone;
    return last;
  }
};

ORDEAL_REGISTER_PROPERTY(NoLostCancel);

}  // namespace
}  // namespace ordeal::properties
