// clordid-idempotence: a repeated client order id never creates a second
// order: of all places with one client order id, at most one is accepted.
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
      std::vector<uint64_t> accepted;
      for (uint32_t place : order.places) {
        const uint32_t done = c.index.completion_index_of(place);
        if (done != kNone && h[done].type == EventType::ok) accepted.push_back(done);
      }
      if (accepted.size() < 2) continue;
      out.push_back(
          violation(name(),
                    fmt::format("client order id {} of client {} was accepted {} times "
                                "(first {}, again {})",
                                h.text(order.key.order), order.key.client, accepted.size(),
                                when(h, static_cast<uint32_t>(accepted[0])),
                                when(h, static_cast<uint32_t>(accepted[1]))),
                    {c.order_name(order.key)}, accepted));
    }
  }
};

ORDEAL_REGISTER_PROPERTY(ClordidIdempotence);

}  // namespace
}  // namespace ordeal::properties
