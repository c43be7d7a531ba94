// every-request-answered: every request gets a definite answer within the
// bound once faults heal. An explicit "unknown" is an answer; a silent drop
// (the client gave up waiting, or the history ends with no completion) is a
// violation. An explicit reject is never one.
#include "properties/support.h"

namespace ordeal::properties {
namespace {

class EveryRequestAnswered final : public Property {
 public:
  std::string_view name() const override { return "every-request-answered"; }
  std::string_view description() const override {
    return "every request gets an answer (ack, reject or explicit unknown); none is dropped";
  }

  void check(const CheckContext& c, std::vector<Violation>& out) const override {
    const History& h = c.history();
    for (const Operation& op : c.index.operations()) {
      if (op.invoke == kNone) continue;
      // The answer first: most requests have one, and are not read at all.
      const bool silent = op.completion == kNone ||
                          (h[op.completion].type == EventType::info && !h[op.completion].flag);
      if (!silent) continue;
      const Event& request = h[op.invoke];
      if (request.type != EventType::invoke) continue;
      std::vector<uint64_t> events = {op.invoke};
      if (op.completion != kNone) events.push_back(op.completion);
      // Orders are named as every property names them ("order 3/c3-1"); a
      // mass-cancel names no order, only its client (in its message).
      const bool of_order = request.order != 0 && !h.text(request.order).empty();
      const std::string of = of_order ? fmt::format("order {}", c.order_name(request))
                                      : fmt::format("client {}", request.client);
      std::vector<std::string> orders;
      if (of_order) orders.push_back(c.order_name(request));
      out.push_back(
          violation(name(),
                    fmt::format("the {} of {} ({}) was never answered",
                                exchange::to_string(request.kind), of, when(h, op.invoke)),
                    std::move(orders), std::move(events)));
    }
  }
};

ORDEAL_REGISTER_PROPERTY(EveryRequestAnswered);

}  // namespace
}  // namespace ordeal::properties
