// recovers-after-faults: once the faults have healed, order entry comes
// back. A valid new order sent recovery_ms_max or more after the last fault
// stopped is accepted, or refused for the client's own doing (a metadata
// rule, post-only crossing, a duplicate id, or a reject the scenario names
// in client_reject_reasons); and every final read gets an
// answer about its order, its state or that the target does not know it. A
// refusal ("metadata unavailable"), an unknown outcome or no answer then, or
// a final read refused though asked again until the answer bound, means the
// outage outlasted its cause. Other properties judge the answers that came,
// and bounded-unavailability only the time the faults were active, so none
// of them sees it. ordeal's runs send a new order per symbol after the quiet
// period to probe it. A fault that never stopped leaves nothing to judge.
#include <algorithm>

#include "properties/support.h"

namespace ordeal::properties {
namespace {

class RecoversAfterFaults final : public Property {
 public:
  std::string_view name() const override { return "recovers-after-faults"; }
  std::string_view description() const override {
    return "after the faults heal, order entry comes back: new orders are accepted, final reads "
           "answered";
  }

  void check(const CheckContext& c, std::vector<Violation>& out) const override {
    if (fault_active_at_end(c)) return;
    check_orders(c, out);
    check_reads(c, out);
  }

 private:
  // A violation names this many orders and events at most: they are one
  // outage, not many.
  static constexpr size_t kNamedMax = 10;

  void check_orders(const CheckContext& c, std::vector<Violation>& out) const {
    if (c.index.faults().empty()) return;
    const History& h = c.history();
    const uint32_t healed = c.index.faults().back();
    const int64_t from_us = h[healed].time_us + c.limits.recovery_ms_max * 1000;
    std::vector<uint32_t> refused;  // invocations
    size_t sent = 0;
    for (const Operation& op : c.index.operations()) {
      const PlaceFate fate = place_fate(c, op);
      if (fate == PlaceFate::not_valid_place || h[op.invoke].time_us < from_us) continue;
      ++sent;
      if (fate == PlaceFate::failed) refused.push_back(op.invoke);
    }
    if (refused.empty()) return;
    std::sort(refused.begin(), refused.end());
    const Event& first = h[refused.front()];
    const uint32_t done = c.index.completion_index_of(refused.front());
    const std::string outcome = done == kNone ? "no answer"
                                : h[done].type == EventType::info
                                    ? "an unknown outcome"
                                    : fmt::format("refused: {}", h.text(h[done].text));
    out.push_back(violation(
        name(),
        fmt::format("order entry did not come back after the faults healed ({}): {} of {} "
                    "new orders sent {} ms or more later failed; order {} ({}) got {}",
                    when(h, healed), refused.size(), sent, c.limits.recovery_ms_max,
                    c.order_name(first), when(h, refused.front()), outcome),
        names(c, refused), events(healed, refused, done)));
  }

  // A read refused for the client's own doing (a venue that takes no
  // status request, its reason named in client_reject_reasons) says nothing
  // of whether the target came back: not counted.
  void check_reads(const CheckContext& c, std::vector<Violation>& out) const {
    const History& h = c.history();
    std::vector<uint32_t> unanswered;
    for (uint32_t read : c.index.unanswered_reads()) {
      if (!c.limits.clients_doing(h.text(h[read].text))) unanswered.push_back(read);
    }
    if (unanswered.empty()) return;
    size_t answered = 0;
    for (const OrderFacts& order : c.index.orders()) answered += order.final_read != kNone;
    const Event& first = h[unanswered.front()];
    const std::string healed =
        c.index.faults().empty()
            ? std::string("(there was no fault)")
            : fmt::format("after the faults healed ({})", when(h, c.index.faults().back()));
    out.push_back(violation(
        name(),
        fmt::format("the target did not come back {}: {} of {} final reads got no answer about "
                    "their order (order {}: \"{}\", {})",
                    healed, unanswered.size(), unanswered.size() + answered, c.order_name(first),
                    h.text(first.text), when(h, unanswered.front())),
        names(c, unanswered),
        events(c.index.faults().empty() ? kNone : c.index.faults().back(), unanswered, kNone)));
  }

  static std::vector<std::string> names(const CheckContext& c, const std::vector<uint32_t>& at) {
    std::vector<std::string> orders;
    for (size_t i = 0; i < at.size() && i < kNamedMax; ++i) {
      orders.push_back(c.order_name(c.history()[at[i]]));
    }
    return orders;
  }

  // The last fault's stop, the first few events, and the first one's answer.
  static std::vector<uint64_t> events(uint32_t healed, const std::vector<uint32_t>& at,
                                      uint32_t answer) {
    std::vector<uint64_t> events;
    if (healed != kNone) events.push_back(healed);
    for (size_t i = 0; i < at.size() && i < kNamedMax; ++i) events.push_back(at[i]);
    if (answer != kNone) events.push_back(answer);
    return events;
  }
};

ORDEAL_REGISTER_PROPERTY(RecoversAfterFaults);

}  // namespace
}  // namespace ordeal::properties
