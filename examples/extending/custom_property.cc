// cancel-of-final-order-rejected: a cancel that a client sends after it has
// seen its order filled or cancelled must be rejected. Accepting it tells the
// client that its cancel took effect when nothing was left to cancel: a
// client that then re-sends the order, believing the first one gone, trades
// twice. Only what the client saw before sending the cancel counts (a fill it
// had not heard of yet is a race, not a violation), so the property holds for
// any correct venue, however it orders its messages.
//
// A custom property is one class and one registration line; nothing else in
// ordeal changes. Linked into a program, it is checked with the others
// (`all_properties()`), named in scenarios (`[properties] check = [...]`)
// and reported like them.
#include <fmt/format.h>

#include "framework/check/property.h"

namespace toy {
namespace {

using ordeal::Event;
using ordeal::EventType;
using ordeal::kNone;
using ordeal::exchange::RequestKind;

class CancelOfFinalOrderRejected final : public ordeal::Property {
 public:
  std::string_view name() const override { return "cancel-of-final-order-rejected"; }
  std::string_view description() const override {
    return "a cancel sent after the client saw its order filled or cancelled is rejected";
  }

  void check(const ordeal::CheckContext& c, std::vector<ordeal::Violation>& out) const override {
    const ordeal::History& h = c.history();
    for (const ordeal::OrderFacts& order : c.index.orders()) {
      for (uint32_t request : order.requests) {
        if (h[request].kind != RequestKind::cancel) continue;
        const uint32_t done = c.index.completion_index_of(request);
        if (done == kNone || h[done].type != EventType::ok) continue;
        const uint32_t seen = final_state_seen_before(h, order, request);
        if (seen == kNone) continue;
        out.push_back({.property = std::string(name()),
                       .message = fmt::format(
                           "the cancel of order {} (event {}) was accepted at event {}, though "
                           "the client had seen the order {} at event {}",
                           c.order_name(order.key), request, done,
                           ordeal::exchange::to_string(h[seen].status), seen),
                       .orders = {c.order_name(order.key)},
                       .events = {seen, request, done}});
      }
    }
  }

 private:
  // The first observation, before `before`, of the order in a final state.
  // Observations are the order's ok completions, updates and reads, in
  // history order.
  static uint32_t final_state_seen_before(const ordeal::History& h, const ordeal::OrderFacts& order,
                                          uint32_t before) {
    for (uint32_t seen : order.observations) {
      if (seen >= before) break;
      const auto status = h[seen].status;
      if (status == ordeal::exchange::OrdStatus::filled ||
          status == ordeal::exchange::OrdStatus::cancelled) {
        return seen;
      }
    }
    return kNone;
  }
};

ORDEAL_REGISTER_PROPERTY(CancelOfFinalOrderRejected);

}  // namespace
}  // namespace toy
