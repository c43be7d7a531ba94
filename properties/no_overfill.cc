// no-overfill: the filled quantity of an order never exceeds the quantity it
// may have had when it filled. That is the quantity of its last accepted
// amend, or of its place before any; an amend still in flight, or of unknown
// outcome (from its invocation on), may be in force too, so it is allowed as
// well; a rejected amend never is. What the exchange says has filled (a
// fill's cumulative quantity, an order's state) counts as much as the sum of
// the fills ordeal saw: a state reporting more filled than any quantity the
// order ever had is an overfill even when no fill report shows it.
#include <algorithm>

#include "framework/base/saturating.h"
#include "properties/support.h"

namespace ordeal::properties {
namespace {

// A fill and where in the history it happened: where it was recorded, or
// earlier, before the acceptance of an amend that already counted it.
struct FillAt {
  uint32_t at;
  uint32_t fill;
};

// An amend of the quantity that may have taken effect.
struct QtyAmend {
  uint32_t invoke;
  uint32_t done;  // kNone: never completed
  int64_t qty;
  bool accepted;
};

class NoOverfill final : public Property {
 public:
  std::string_view name() const override { return "no-overfill"; }
  std::string_view description() const override {
    return "filled quantity never exceeds the order's (amended) quantity";
  }

  void check(const CheckContext& c, std::vector<Violation>& out) const override {
    // Kept on the thread from one check to the next (each array is as long
    // as one order's amends or fills): a run checks thousands of cases.
    thread_local Scratch scratch;
    for (const OrderFacts& order : c.index.orders()) {
      // Most orders never fill: nothing to add up, no state to bound.
      if (order.fills.empty() && !any_filled(c.history(), order)) continue;
      collect_amends(c, order, scratch);
      if (!order.fills.empty() && check_fills(c, order, scratch, out)) continue;  // one per order
      // A state of an order never placed is no-phantom's business.
      if (!order.places.empty()) check_states(c, order, scratch, out);
    }
  }

 private:
  struct Scratch {
    std::vector<QtyAmend> amends;  // in order of invocation
    std::vector<QtyAmend> acked;   // the accepted ones, in order of acceptance
    std::vector<QtyAmend> live;    // accepted ones not yet known superseded
    std::vector<FillAt> fills;     // in the order they happened, as far as known
    std::vector<std::pair<int64_t, uint32_t>> trades;  // (trade id, fill), to find repeats
    std::vector<uint32_t> repeats;                     // fills that repeat one before, sorted
  };

  static bool any_filled(const History& h, const OrderFacts& order) {
    return std::any_of(order.observations.begin(), order.observations.end(),
                       [&](uint32_t seen) { return h[seen].filled > 0; });
  }

  static void collect_amends(const CheckContext& c, const OrderFacts& order, Scratch& s) {
    const History& h = c.history();
    s.amends.clear();
    s.acked.clear();
    s.live.clear();
    for (uint32_t request : order.requests) {
      if (h[request].kind != RequestKind::amend || h[request].qty == 0) continue;
      const uint32_t done = c.index.completion_index_of(request);
      if (done != kNone && h[done].type == EventType::fail) continue;  // never took effect
      const bool accepted = done != kNone && h[done].type == EventType::ok;
      s.amends.push_back({request, done, h[request].qty, accepted});
      if (accepted) s.acked.push_back(s.amends.back());
    }
    std::sort(s.acked.begin(), s.acked.end(),
              [](const QtyAmend& a, const QtyAmend& b) { return a.done < b.done; });
  }

  // The place's quantity, of the places that were not rejected (of any,
  // when all were: no-phantom judges those).
  static int64_t place_qty(const CheckContext& c, const OrderFacts& order) {
    const History& h = c.history();
    int64_t qty_any = 0, qty_kept = -1;
    for (uint32_t place : order.places) {
      qty_any = std::max(qty_any, h[place].qty);
      const Event* done = c.index.completion_of(place);
      if (done == nullptr || done->type != EventType::fail)
        qty_kept = std::max(qty_kept, h[place].qty);
    }
    return qty_kept >= 0 ? qty_kept : qty_any;
  }

  // Where each fill happened. An amend's acceptance says how much had
  // filled: a fill recorded after it but within that quantity happened
  // before it, its report only came late (a live target's reports may take
  // another path than its answers; an exchange may accept an amend down to
  // what has filled, and the order is done).
  static void place_fills(const History& h, const OrderFacts& order, Scratch& s) {
    s.fills.clear();
    // A trade reported again on the same terms counts once; on other terms
    // it counts (trade-conservation names it).
    find_repeated_fills(h, order, s.trades, s.repeats);
    for (uint32_t fill : order.fills) {
      if (std::binary_search(s.repeats.begin(), s.repeats.end(), fill)) continue;
      uint32_t at = fill;
      for (const QtyAmend& a : s.acked) {
        if (a.done < at && h[a.done].filled >= h[fill].filled) at = a.done;
      }
      s.fills.push_back({at, fill});
    }
    if (s.acked.empty()) return;
    std::stable_sort(s.fills.begin(), s.fills.end(),
                     [](const FillAt& a, const FillAt& b) { return a.at < b.at; });
  }

  // Walks the fills where they happened with the amends invoked and
  // accepted before each. An accepted amend Y, acknowledged before a fill,
  // settles every accepted amend acknowledged before Y (and the place):
  // those took effect before Y did, as accepted amends take effect in the
  // order they are acknowledged (no-lost-amend replays them so). With one
  // request in flight at a time, those are the ones that completed before Y
  // was sent. Whether it found a violation.
  bool check_fills(const CheckContext& c, const OrderFacts& order, Scratch& s,
                   std::vector<Violation>& out) const {
    const History& h = c.history();
    const int64_t placed_qty = place_qty(c, order);
    place_fills(h, order, s);
    size_t invoked = 0, acked = 0;
    int64_t unknown_qty_max = 0, filled = 0;
    uint32_t settled_before = kNone;  // the latest acknowledgement of an accepted amend so far
    for (const auto [at, fill] : s.fills) {
      for (; invoked < s.amends.size() && s.amends[invoked].invoke < at; ++invoked) {
        const QtyAmend& a = s.amends[invoked];
        if (a.accepted) {
          s.live.push_back(a);
        } else {
          unknown_qty_max = std::max(unknown_qty_max, a.qty);
        }
      }
      for (; acked < s.acked.size() && s.acked[acked].done < at; ++acked) {
        settled_before = s.acked[acked].done;  // in order of acceptance: the latest
      }
      if (settled_before != kNone) {
        std::erase_if(s.live, [&](const QtyAmend& a) { return a.done < settled_before; });
      }
      int64_t qty_max = std::max(settled_before == kNone ? placed_qty : 0, unknown_qty_max);
      for (const QtyAmend& a : s.live) qty_max = std::max(qty_max, a.qty);
      // Any integers may come from a file. The fill's cumulative quantity
      // counts too: fills ordeal did not see were fills all the same.
      filled = std::max(saturating_add(filled, h[fill].qty), h[fill].filled);
      if (filled <= qty_max) continue;
      out.push_back(violation(name(),
                              fmt::format("order {} has filled {} ({}), more than its quantity {}",
                                          c.order_name(order.key), h.qty_text(filled),
                                          when(h, fill), h.qty_text(qty_max)),
                              {c.order_name(order.key)},
                              {order.places.empty() ? fill : order.places[0], fill}));
      return true;
    }
    return false;
  }

  // A reported state (an acceptance, an update, a read) whose filled
  // quantity is beyond every quantity the order may have had by then: its
  // place's, or that of an amend sent before it and not rejected.
  void check_states(const CheckContext& c, const OrderFacts& order, const Scratch& s,
                    std::vector<Violation>& out) const {
    const History& h = c.history();
    int64_t qty_max = place_qty(c, order);
    size_t invoked = 0;
    for (uint32_t seen : order.observations) {
      for (; invoked < s.amends.size() && s.amends[invoked].invoke < seen; ++invoked) {
        qty_max = std::max(qty_max, s.amends[invoked].qty);
      }
      if (h[seen].filled <= qty_max) continue;
      out.push_back(violation(
          name(),
          fmt::format("order {} is reported {} with {} filled ({}), more than any quantity it had "
                      "({})",
                      c.order_name(order.key), exchange::to_string(h[seen].status),
                      h.qty_text(h[seen].filled), when(h, seen), h.qty_text(qty_max)),
          {c.order_name(order.key)}, {order.places[0], seen}));
      return;
    }
  }
};

ORDEAL_REGISTER_PROPERTY(NoOverfill);

}  // namespace
}  // namespace ordeal::properties
