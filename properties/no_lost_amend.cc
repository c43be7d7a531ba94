// no-lost-amend: an accepted amend takes effect exactly once; a rejected one
// leaves the order as it was. Replays the order's accepted amends over its
// place (accepted, or of unknown outcome when the final read finds the
// order) and compares with the final read. An amend of unknown outcome may
// or may not have taken effect, at any time after it was sent: the price or
// quantity it asked is allowed as well.
#include "properties/support.h"

namespace ordeal::properties {
namespace {

class NoLostAmend final : public Property {
 public:
  std::string_view name() const override { return "no-lost-amend"; }
  std::string_view description() const override {
    return "an accepted amend takes effect, a rejected one changes nothing";
  }

  void check(const CheckContext& c, std::vector<Violation>& out) const override {
    for (const OrderFacts& order : c.index.orders()) check_order(c, order, out);
  }

 private:
  void check_order(const CheckContext& c, const OrderFacts& order,
                   std::vector<Violation>& out) const {
    const History& h = c.history();
    if (order.places.size() != 1 || order.final_read == kNone) return;
    const Event& read = h[order.final_read];
    // no-lost-order's and no-phantom's business
    if (read.status == OrdStatus::none || read.status == OrdStatus::rejected) return;
    // A place of unknown outcome took effect, as the exchange holds the order.
    const uint32_t place = order.places[0];
    const Event* placed = c.index.completion_of(place);
    if (placed != nullptr && placed->type == EventType::fail) return;
    int64_t price = h[place].price;
    int64_t qty = h[place].qty;
    // An amend of unknown outcome may have taken effect at any time after it
    // was sent, even after later ones: the price or quantity it asks may be
    // the final one.
    bool unknown_gives_price = false, unknown_gives_qty = false, any_unknown = false;
    uint32_t last_amend = kNone;
    for (uint32_t request : order.requests) {
      if (h[request].kind != RequestKind::amend) continue;
      const Event* done = c.index.completion_of(request);
      last_amend = request;
      if (done != nullptr && done->type == EventType::fail) continue;
      const Event& asked = h[request];
      if (done != nullptr && done->type == EventType::ok) {
        if (asked.price != 0) price = asked.price;
        if (asked.qty != 0) qty = asked.qty;
        continue;
      }
      any_unknown = true;
      unknown_gives_price |= asked.price != 0 && asked.price == read.price;
      unknown_gives_qty |= asked.qty != 0 && asked.qty == read.qty;
    }
    if (last_amend == kNone) return;
    if ((read.price == price || unknown_gives_price) && (read.qty == qty || unknown_gives_qty)) {
      return;
    }
    report(c, order, last_amend, price, qty, any_unknown, out);
  }

  void report(const CheckContext& c, const OrderFacts& order, uint32_t last_amend, int64_t price,
              int64_t qty, bool any_unknown, std::vector<Violation>& out) const {
    const History& h = c.history();
    const Event& read = h[order.final_read];
    const uint32_t done = c.index.completion_index_of(last_amend);
    const std::string_view outcome = done == kNone                     ? "never answered"
                                     : h[done].type == EventType::ok   ? "accepted"
                                     : h[done].type == EventType::fail ? "rejected"
                                                                       : "of unknown outcome";
    const uint32_t at = done == kNone ? last_amend : done;
    out.push_back(violation(
        name(),
        fmt::format("order {}: after its last amend was {} ({}), it should be {} at {}{}, but at "
                    "the end it is {} at {}",
                    c.order_name(order.key), outcome, when(h, at), qty, price,
                    any_unknown ? " (or as an amend of unknown outcome asked)" : "", read.qty,
                    read.price),
        {c.order_name(order.key)}, {last_amend, at, order.final_read}));
  }
};

ORDEAL_REGISTER_PROPERTY(NoLostAmend);

}  // namespace
}  // namespace ordeal::properties
