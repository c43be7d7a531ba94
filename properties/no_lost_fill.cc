// no-lost-fill: every execution reaches the order's owner. By the end of
// the history, the fills a client received for an order add up to at least
// the filled quantity the exchange reports for it anywhere: in an answer,
// an update, a fill's cumulative quantity or the final read. A trader books
// positions from fill reports; a fill the exchange made and never reported
// is a position the trader does not know they hold, and the other side of
// a trade the counterparty heard of.
//
// Only the end is compared, not each moment: a venue may send a state and
// a fill by different paths, so a state can run ahead of its fill for a
// while. A fill reported again on the same terms counts once, as no-overfill
// counts it. A history that records no fill reports at all (another tool's
// that keeps only states) fails this property: leave it out there.
#include <algorithm>

#include "framework/base/saturating.h"
#include "properties/support.h"

namespace ordeal::properties {
namespace {

class NoLostFill final : public Property {
 public:
  std::string_view name() const override { return "no-lost-fill"; }
  std::string_view description() const override {
    return "every fill reaches the order's owner: its fill reports add up to the filled quantity "
           "the exchange reports";
  }

  void check(const CheckContext& c, std::vector<Violation>& out) const override {
    thread_local Scratch scratch;  // kept from one check to the next
    const History& h = c.history();
    const size_t first = out.size();
    for (const OrderFacts& order : c.index.orders()) {
      // A report of an order never placed is no-phantom's business.
      if (order.places.empty()) continue;
      const uint32_t said = most_filled(h, order);
      if (said == kNone) continue;
      const Received received = received_fills(h, order, scratch);
      if (received.qty >= h[said].filled) continue;
      out.push_back(violation(name(), message(c, order, said, received), {c.order_name(order.key)},
                              events(order, said)));
    }
    if (out.size() > first && !any_fill(c)) {
      for (size_t i = first; i < out.size(); ++i) out[i].message += kNoFillsAtAll;
    }
  }

 private:
  // Said of every violation when the history has no fill at all: more
  // likely a tool that does not record fills than an exchange that sent none.
  static constexpr std::string_view kNoFillsAtAll =
      " (the history records no fill of any order: if the tool that wrote it does not record "
      "fill reports, leave no-lost-fill out)";

  static bool any_fill(const CheckContext& c) {
    for (const OrderFacts& order : c.index.orders()) {
      if (!order.fills.empty()) return true;
    }
    return false;
  }

  // The event reporting the most filled of the order (the first such), or
  // kNone when none reports any fill.
  static uint32_t most_filled(const History& h, const OrderFacts& order) {
    uint32_t most = kNone;
    auto consider = [&](uint32_t index) {
      if (h[index].filled > (most == kNone ? 0 : h[most].filled)) most = index;
    };
    for (uint32_t seen : order.observations) consider(seen);
    for (uint32_t fill : order.fills) consider(fill);
    return most;
  }

  // The fills' quantities added up, and how many fills, a fill that
  // repeats one before on the same terms (find_repeated_fills) counted once.
  struct Received {
    int64_t qty = 0;
    size_t fills = 0;
  };
  struct Scratch {
    std::vector<std::pair<int64_t, uint32_t>> trades;
    std::vector<uint32_t> repeats;
  };
  static Received received_fills(const History& h, const OrderFacts& order, Scratch& s) {
    find_repeated_fills(h, order, s.trades, s.repeats);
    Received received;
    for (uint32_t fill : order.fills) {
      if (std::binary_search(s.repeats.begin(), s.repeats.end(), fill)) continue;
      received.qty = saturating_add(received.qty, std::max<int64_t>(h[fill].qty, 0));
      ++received.fills;
    }
    return received;
  }

  static std::string message(const CheckContext& c, const OrderFacts& order, uint32_t said,
                             const Received& received) {
    const History& h = c.history();
    const int64_t missing = h[said].filled - received.qty;
    const std::string reports =
        received.fills == 0 ? std::string("no fill report reached its owner")
                            : fmt::format("the {} fill{} its owner received add{} up to {}",
                                          received.fills, received.fills == 1 ? "" : "s",
                                          received.fills == 1 ? "s" : "", h.qty_text(received.qty));
    return fmt::format(
        "order {}: the exchange reports {} filled ({}), but {}: {} filled without a fill "
        "report, an execution its owner never heard of",
        c.order_name(order.key), h.qty_text(h[said].filled), when(h, said), reports,
        h.qty_text(missing));
  }

  // The report of the most filled, then the fills received, in history order.
  static std::vector<uint64_t> events(const OrderFacts& order, uint32_t said) {
    std::vector<uint64_t> all{said};
    all.insert(all.end(), order.fills.begin(), order.fills.end());
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    return all;
  }
};

ORDEAL_REGISTER_PROPERTY(NoLostFill);

}  // namespace
}  // namespace ordeal::properties
