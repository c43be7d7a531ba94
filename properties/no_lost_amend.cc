// no-lost-amend: an accepted amend takes effect exactly once; a rejected one
// leaves the order as it was. Replays the order's accepted amends over its
// place (the accepted one, or one of unknown outcome when the final read
// finds the order; a repeat rejected as a duplicate is not the order) and
// compares with the final read (an order never amended reads as placed).
// An amend of unknown outcome may or may not
// have taken effect, whole (its price and quantity together), at any time
// after it was sent: before an accepted amend acknowledged after that, which
// then overrides what it states, or after every other one.
#include <algorithm>

#include "properties/support.h"

namespace ordeal::properties {
namespace {

struct Terms {
  int64_t price = 0;
  int64_t qty = 0;
  bool operator==(const Terms&) const = default;
};

// An amend sets what it states (0: unchanged).
Terms apply(Terms order, const Event& amend) {
  if (amend.price != 0) order.price = amend.price;
  if (amend.qty != 0) order.qty = amend.qty;
  return order;
}

// An amend that may have taken effect: accepted ones in the order they were
// acknowledged, unknown ones from their invocation on.
struct Step {
  uint32_t at;  // accepted: the acknowledgement; unknown: the invocation
  uint32_t invoke;
  bool accepted;
};

// Beyond this many amends of unknown outcome on one order, each field is
// allowed from any of them on its own: the exact sets grow with their
// combinations, and so many unknown outcomes say little anyway.
constexpr size_t kUnknownAmendsExact = 8;

class NoLostAmend final : public Property {
 public:
  std::string_view name() const override { return "no-lost-amend"; }
  std::string_view description() const override {
    return "an accepted amend takes effect, a rejected one changes nothing";
  }

  void check(const CheckContext& c, std::vector<Violation>& out) const override {
    std::vector<Step> steps;  // reused: one allocation per check, not per order
    for (const OrderFacts& order : c.index.orders()) check_order(c, order, steps, out);
  }

 private:
  // The place the order's amends apply to: the accepted one, else the one
  // (or the identical ones) not rejected; kNone when there is none, or
  // repeats of unknown outcome with different terms leave it open.
  static uint32_t the_place(const CheckContext& c, const OrderFacts& order) {
    const uint32_t accepted = accepted_place(c, order);
    if (accepted != kNone) return accepted;
    const History& h = c.history();
    uint32_t found = kNone;
    for (uint32_t place : order.places) {
      const Event* done = c.index.completion_of(place);
      if (done != nullptr && done->type == EventType::fail) continue;
      if (found != kNone && (h[found].price != h[place].price || h[found].qty != h[place].qty)) {
        return kNone;
      }
      found = place;
    }
    return found;
  }

  void check_order(const CheckContext& c, const OrderFacts& order, std::vector<Step>& steps,
                   std::vector<Violation>& out) const {
    const History& h = c.history();
    if (order.places.empty() || order.final_read == kNone) return;
    const Event& read = h[order.final_read];
    // no-lost-order's and no-phantom's business
    if (read.status == OrdStatus::none || read.status == OrdStatus::rejected) return;
    // A place of unknown outcome took effect, as the exchange holds the order.
    const uint32_t place = the_place(c, order);
    if (place == kNone) return;
    // Most orders are never amended: nothing to replay, the order is as placed.
    auto amend = [&](uint32_t request) { return h[request].kind == RequestKind::amend; };
    if (std::none_of(order.requests.begin(), order.requests.end(), amend)) {
      if (h[place].price == read.price && h[place].qty == read.qty) return;
      return report_unamended(c, order, place, out);
    }
    steps.clear();
    // The amend settled last (answered, else sent, last): with several in
    // flight, answers may come in another order than the requests went.
    uint32_t last_amend = kNone, last_settled = 0;
    size_t unknown = 0;
    for (uint32_t request : order.requests) {
      if (h[request].kind != RequestKind::amend) continue;
      const uint32_t done = c.index.completion_index_of(request);
      const uint32_t settled = done == kNone ? request : done;
      if (last_amend == kNone || settled > last_settled) {
        last_amend = request;
        last_settled = settled;
      }
      if (done != kNone && h[done].type == EventType::fail) continue;
      const bool accepted = done != kNone && h[done].type == EventType::ok;
      steps.push_back({accepted ? done : request, request, accepted});
      unknown += !accepted;
    }
    if (last_amend == kNone) return;
    // The accepted ones take effect in the order they were acknowledged.
    std::stable_sort(steps.begin(), steps.end(),
                     [](const Step& a, const Step& b) { return a.at < b.at; });
    const Terms placed{h[place].price, h[place].qty};
    Terms replayed = placed;
    for (const Step& step : steps) {
      if (step.accepted) replayed = apply(replayed, h[step.invoke]);
    }
    const Terms found{read.price, read.qty};
    if (found == replayed) return;
    if (unknown > 0 && unknown <= kUnknownAmendsExact && possible(h, placed, steps, found)) return;
    if (unknown > kUnknownAmendsExact && each_field_possible(h, replayed, steps, found)) return;
    report(c, order, last_amend, replayed, unknown > 0, out);
  }

  // Whether some history of the amends ends with the order at `found`: the
  // accepted ones in turn, and each unknown one whole or not at all, any
  // time from its invocation on (applied twice it is as if applied once, at
  // the later time, so each reachable order once suffices).
  // `steps` come sorted by `at`.
  static bool possible(const History& h, Terms placed, const std::vector<Step>& steps,
                       Terms found) {
    std::vector<Terms> reachable = {placed};
    std::vector<uint32_t> unknown;  // invoked so far
    auto close = [&] {
      for (size_t i = 0; i < reachable.size(); ++i) {  // grows as it goes
        for (uint32_t amend : unknown) {
          const Terms next = apply(reachable[i], h[amend]);
          if (std::find(reachable.begin(), reachable.end(), next) == reachable.end()) {
            reachable.push_back(next);
          }
        }
      }
    };
    for (const Step& step : steps) {
      if (!step.accepted) {
        unknown.push_back(step.invoke);
        continue;
      }
      close();
      for (Terms& terms : reachable) terms = apply(terms, h[step.invoke]);
      std::sort(reachable.begin(), reachable.end(), [](const Terms& a, const Terms& b) {
        return a.price != b.price ? a.price < b.price : a.qty < b.qty;
      });
      reachable.erase(std::unique(reachable.begin(), reachable.end()), reachable.end());
    }
    close();
    return std::find(reachable.begin(), reachable.end(), found) != reachable.end();
  }

  // With many amends of unknown outcome: the price and the quantity each
  // as the accepted ones leave it or as an unknown one asked.
  static bool each_field_possible(const History& h, Terms replayed, const std::vector<Step>& steps,
                                  Terms found) {
    bool price = found.price == replayed.price, qty = found.qty == replayed.qty;
    for (const Step& step : steps) {
      if (step.accepted) continue;
      const Event& asked = h[step.invoke];
      price |= asked.price != 0 && asked.price == found.price;
      qty |= asked.qty != 0 && asked.qty == found.qty;
    }
    return price && qty;
  }

  // An order no amend was sent for, changed all the same.
  void report_unamended(const CheckContext& c, const OrderFacts& order, uint32_t place,
                        std::vector<Violation>& out) const {
    const History& h = c.history();
    const Event& read = h[order.final_read];
    out.push_back(violation(
        name(),
        fmt::format("order {} was placed at {} at {} ({}) and never amended, but at the end it is "
                    "{} at {}",
                    c.order_name(order.key), h.qty_text(h[place].qty), h.price_text(h[place].price),
                    when(h, place), h.qty_text(read.qty), h.price_text(read.price)),
        {c.order_name(order.key)}, {place, order.final_read}));
  }

  void report(const CheckContext& c, const OrderFacts& order, uint32_t last_amend, Terms replayed,
              bool any_unknown, std::vector<Violation>& out) const {
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
                    c.order_name(order.key), outcome, when(h, at), h.qty_text(replayed.qty),
                    h.price_text(replayed.price),
                    any_unknown ? " (or as an amend of unknown outcome asked)" : "",
                    h.qty_text(read.qty), h.price_text(read.price)),
        {c.order_name(order.key)}, {last_amend, at, order.final_read}));
  }
};

ORDEAL_REGISTER_PROPERTY(NoLostAmend);

}  // namespace
}  // namespace ordeal::properties
