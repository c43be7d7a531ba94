// no-lost-order: an accepted order exists afterwards (open, filled or
// cancelled); the final read never finds it unknown. So does an order whose
// place had an unknown outcome once the exchange reported it (a fill or a
// state): the place took effect.
#include "properties/support.h"

namespace ordeal::properties {
namespace {

class NoLostOrder final : public Property {
 public:
  std::string_view name() const override { return "no-lost-order"; }
  std::string_view description() const override {
    return "an accepted order still exists at the end: open, filled or cancelled, never unknown";
  }

  void check(const CheckContext& c, std::vector<Violation>& out) const override {
    const History& h = c.history();
    for (const OrderFacts& order : c.index.orders()) {
      if (order.final_read == kNone || h[order.final_read].status != OrdStatus::none) continue;
      const uint32_t place = accepted_place(c, order);
      const uint32_t known =
          place != kNone ? c.index.completion_index_of(place) : evidence_of_unknown_place(c, order);
      if (known == kNone) continue;
      out.push_back(violation(
          name(),
          fmt::format("order {} was {} ({}), but at the end the exchange does not know it",
                      c.order_name(order.key), place != kNone ? "accepted" : "seen to exist",
                      when(h, known)),
          {c.order_name(order.key)}, {known, order.final_read}));
    }
  }

 private:
  // A place of unknown outcome took effect when the exchange later reported
  // the order (a fill, or a state: an accepted amend, cancel or status, an
  // update): the first such report, or kNone. Orders whose every place was
  // rejected are no-phantom's business.
  static uint32_t evidence_of_unknown_place(const CheckContext& c, const OrderFacts& order) {
    const History& h = c.history();
    bool unknown = false;
    for (uint32_t place : order.places) {
      const Event* done = c.index.completion_of(place);
      unknown |= done == nullptr || done->type == EventType::info;
    }
    if (!unknown) return kNone;
    return first_report_held(h, order);
  }
};

ORDEAL_REGISTER_PROPERTY(NoLostOrder);

}  // namespace
}  // namespace ordeal::properties
