// clordid-idempotence: a repeated client order id never creates a second
// order: of all places with one client order id, at most one is accepted.
// A place of unknown outcome counts as accepted when the exchange reported
// the order (a fill or a state) after it was sent and before the id was sent
// again, every earlier place of the id having been rejected: only it can
// have made that order, so a repeat accepted after it made a second one.
#include "properties/support.h"

namespace ordeal::properties {
namespace {

class ClordidIdempotence final : public Property {
 public:
  std::string_view name() const override { return "clordid-idempotence"; }
  std::string_view description() const override {
    return "a repeated client order id never creates a second order";
  }

  void check(const CheckContext& c, std::vector<Violation>& out) const override {
    const History& h = c.history();
    for (const OrderFacts& order : c.index.orders()) {
      if (order.places.size() < 2) continue;  // the usual case, without a vector
      std::vector<uint64_t> accepted;         // the acceptances, or the evidence of one
      bool all_rejected = true;               // every place so far
      for (size_t i = 0; i < order.places.size(); ++i) {
        const uint32_t place = order.places[i];
        const uint32_t done = c.index.completion_index_of(place);
        const EventType outcome = done == kNone ? EventType::info : h[done].type;
        if (outcome == EventType::ok) accepted.push_back(done);
        if (outcome == EventType::info && all_rejected) {
          const uint32_t next = i + 1 < order.places.size() ? order.places[i + 1] : kNone;
          const uint32_t held = first_report_held_after(h, order, place);
          if (held < next) accepted.push_back(held);
        }
        all_rejected &= outcome == EventType::fail;
      }
      if (accepted.size() < 2) continue;
      out.push_back(
          violation(name(),
                    fmt::format("client order id {} of client {} made {} orders (the first "
                                "accepted or seen {}, again {})",
                                h.text(order.key.order), order.key.client, accepted.size(),
                                when(h, static_cast<uint32_t>(accepted[0])),
                                when(h, static_cast<uint32_t>(accepted[1]))),
                    {c.order_name(order.key)}, accepted));
    }
  }

 private:
  // The first fill or state other than "rejected" reported of the order
  // after `index`, or kNone.
  static uint32_t first_report_held_after(const History& h, const OrderFacts& order,
                                          uint32_t index) {
    uint32_t first = kNone;
    for (uint32_t fill : order.fills) {
      if (fill > index) {
        first = fill;
        break;
      }
    }
    for (uint32_t seen : order.observations) {
      if (seen < index || h[seen].status == OrdStatus::rejected) continue;
      return std::min(first, seen);
    }
    return first;
  }
};

ORDEAL_REGISTER_PROPERTY(ClordidIdempotence);

}  // namespace
}  // namespace ordeal::properties
