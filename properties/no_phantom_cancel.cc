// no-phantom-cancel: an order is cancelled only when its owner asked. The
// first report of it cancelled (an answer, an update or the final read) must
// follow a cancel of the order or a mass-cancel of its client covering its
// symbol, either not definitely rejected: an unknown one may have taken
// effect, a rejected one must not, and one accepted before the order was
// placed was done with before it. IOC and market orders are exempt, as the
// exchange itself expires what they leave open. Another client's
// mass-cancel is no reason: one participant's kill switch must not pull
// another's orders.
//
// A venue that cancels on its own (cancel on disconnect, end of day) does
// what this property calls a phantom: leave it out of such scenarios.
#include "properties/support.h"

namespace ordeal::properties {
namespace {

class NoPhantomCancel final : public Property {
 public:
  std::string_view name() const override { return "no-phantom-cancel"; }
  std::string_view description() const override {
    return "an order is cancelled only when its owner asked (a cancel, a mass-cancel) or it was "
           "IOC or market";
  }

  void check(const CheckContext& c, std::vector<Violation>& out) const override {
    const History& h = c.history();
    for (const OrderFacts& order : c.index.orders()) {
      const uint32_t cancelled = first_cancelled(h, order);
      if (cancelled == kNone || order.places.empty() || expires_itself(c, order)) continue;
      if (asked_by_cancel(c, order, cancelled) || asked_by_mass_cancel(c, order, cancelled)) {
        continue;
      }
      const uint32_t foreign = foreign_mass_cancel(c, order, cancelled);
      std::vector<uint64_t> events = {order.places[0], cancelled};
      std::string also;
      if (foreign != kNone) {
        events.push_back(foreign);
        also = fmt::format("; client {} sent a mass-cancel {} before ({})", h[foreign].client,
                           h[foreign].symbol == 0 ? "of every symbol"
                                                  : fmt::format("of {}", h.text(h[foreign].symbol)),
                           when(h, foreign));
      }
      out.push_back(violation(
          name(),
          fmt::format("order {} was reported cancelled ({}), but its client never asked: no "
                      "cancel of it and no mass-cancel of client {} went out before that may have "
                      "reached it (not rejected, not done before it was placed){}",
                      c.order_name(order.key), when(h, cancelled), order.key.client, also),
          {c.order_name(order.key)}, std::move(events)));
    }
  }

 private:
  // The first event reporting the order cancelled, or kNone.
  static uint32_t first_cancelled(const History& h, const OrderFacts& order) {
    for (uint32_t seen : order.observations) {
      if (h[seen].status == OrdStatus::cancelled) return seen;
    }
    const bool read_cancelled =
        order.final_read != kNone && h[order.final_read].status == OrdStatus::cancelled;
    return read_cancelled ? order.final_read : kNone;
  }

  // Whether some place that may be the order asked for IOC or market: the
  // exchange expires the rest of those itself.
  static bool expires_itself(const CheckContext& c, const OrderFacts& order) {
    for (uint32_t place : order.places) {
      const bool expiring = (c.history()[place].number & (kIocFlag | kMarketFlag)) != 0;
      if (expiring && may_be_the_order(c, order, place)) return true;
    }
    return false;
  }

  // Whether a cancel or mass-cancel may have cancelled the order: one not
  // definitely rejected may have taken effect, unless the exchange accepted
  // it before the order was placed (it was done then; an order placed after
  // it is not one it cancelled). One of unknown outcome may still be on its
  // way.
  static bool may_have_cancelled(const CheckContext& c, const OrderFacts& order, uint32_t request) {
    const uint32_t done = c.index.completion_index_of(request);
    if (done == kNone) return true;
    const EventType outcome = c.history()[done].type;
    if (outcome != EventType::ok) return outcome != EventType::fail;
    for (uint32_t place : order.places) {
      if (may_be_the_order(c, order, place)) return done > place;
    }
    return true;
  }

  static bool asked_by_cancel(const CheckContext& c, const OrderFacts& order, uint32_t cancelled) {
    for (uint32_t request : order.requests) {
      if (request > cancelled) break;
      if (c.history()[request].kind == RequestKind::cancel &&
          may_have_cancelled(c, order, request)) {
        return true;
      }
    }
    return false;
  }

  // Whether a mass-cancel of `mass` covers the order: of every symbol, or of
  // the symbol of some place that may be the order.
  static bool covers(const CheckContext& c, const OrderFacts& order, uint32_t mass) {
    const Sym symbol = c.history()[mass].symbol;
    if (symbol == 0) return true;
    for (uint32_t place : order.places) {
      if (c.history()[place].symbol == symbol && may_be_the_order(c, order, place)) return true;
    }
    return false;
  }

  static bool asked_by_mass_cancel(const CheckContext& c, const OrderFacts& order,
                                   uint32_t cancelled) {
    for (uint32_t mass : c.index.mass_cancels()) {
      if (mass > cancelled) break;
      if (c.history()[mass].client == order.key.client && covers(c, order, mass) &&
          may_have_cancelled(c, order, mass)) {
        return true;
      }
    }
    return false;
  }

  // The last mass-cancel of another client covering the order's symbol sent
  // before `cancelled`, to name a likely culprit; kNone if there is none.
  static uint32_t foreign_mass_cancel(const CheckContext& c, const OrderFacts& order,
                                      uint32_t cancelled) {
    uint32_t last = kNone;
    for (uint32_t mass : c.index.mass_cancels()) {
      if (mass > cancelled) break;
      if (c.history()[mass].client != order.key.client && covers(c, order, mass)) last = mass;
    }
    return last;
  }
};

ORDEAL_REGISTER_PROPERTY(NoPhantomCancel);

}  // namespace
}  // namespace ordeal::properties
