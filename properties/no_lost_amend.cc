// no-lost-amend: an accepted amend takes effect exactly once; a rejected one
// leaves the order as it was. Replays the order's accepted amends over its
// place (accepted, or of unknown outcome when the final read finds the
// order) and compares with the final read. Orders with an amend of
// unknown outcome are skipped: either result would be right.
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
    uint32_t last_amend = kNone;
    for (uint32_t request : order.requests) {
      if (h[request].kind != RequestKind::amend) continue;
      const Event* done = c.index.completion_of(request);
      if (done == nullptr || done->type == EventType::info) return;  // unknown: skip
      last_amend = request;
      if (done->type != EventType::ok) continue;
      if (h[request].price != 0) price = h[request].price;
      if (h[request].qty != 0) qty = h[request].qty;
    }
    if (last_amend == kNone || (read.price == price && read.qty == qty)) return;
    const uint32_t done = c.index.completion_index_of(last_amend);
    const bool accepted = h[done].type == EventType::ok;
    out.push_back(violation(
        name(),
        fmt::format("order {}: after its last amend was {} ({}), it should be {} at {}, but at "
                    "the end it is {} at {}",
                    c.order_name(order.key), accepted ? "accepted" : "rejected", when(h, done), qty,
                    price, read.qty, read.price),
        {c.order_name(order.key)}, {last_amend, done, order.final_read}));
  }
};

ORDEAL_REGISTER_PROPERTY(NoLostAmend);

}  // namespace
}  // namespace ordeal::properties
