// Small readers over a history that several properties share.
#pragma once

#include <fmt/format.h>

#include <algorithm>

#include "framework/check/property.h"
#include "targets/exchange/messages.h"

namespace ordeal::properties {

using exchange::OrdStatus;
using exchange::RequestKind;

inline bool is_open(OrdStatus status) {
  return status == OrdStatus::new_order || status == OrdStatus::partially_filled;
}

// The first place of an order that the target accepted, or kNone.
inline uint32_t accepted_place(const CheckContext& c, const OrderFacts& order) {
  for (uint32_t place : order.places) {
    const Event* done = c.index.completion_of(place);
    if (done != nullptr && done->type == EventType::ok) return place;
  }
  return kNone;
}

// Whether `place` may have made the order that the id's other events are
// of: a rejected place never did (a repeat of the id rejected as a
// duplicate, say), unless every place of the id was rejected.
inline bool may_be_the_order(const CheckContext& c, const OrderFacts& order, uint32_t place) {
  auto rejected = [&](uint32_t p) {
    const Event* done = c.index.completion_of(p);
    return done != nullptr && done->type == EventType::fail;
  };
  return !rejected(place) || std::all_of(order.places.begin(), order.places.end(), rejected);
}

// The first place that may be the order (may_be_the_order) when every
// such place names the same symbol and side; kNone when they differ (a
// reused id may name orders in several: which one an event of the id
// concerns is not known then) or none may be.
inline uint32_t agreed_place(const CheckContext& c, const OrderFacts& order) {
  const History& h = c.history();
  uint32_t first = kNone;
  for (uint32_t other : order.places) {
    if (!may_be_the_order(c, order, other)) continue;
    if (first == kNone) first = other;
    if (h[other].symbol != h[first].symbol || h[other].side != h[first].side) return kNone;
  }
  return first;
}

// The first event in which the exchange reports holding the order: a fill,
// or a state other than "rejected" (an accepted request, an update, a read);
// kNone if there is none.
inline uint32_t first_report_held(const History& h, const OrderFacts& order) {
  uint32_t first = order.fills.empty() ? kNone : order.fills[0];
  for (uint32_t seen : order.observations) {
    if (h[seen].status == OrdStatus::rejected) continue;
    return std::min(first, seen);
  }
  return first;
}

// Whether `fill` is the trade `before` reported, reported again: two fills
// of one order naming the same trade on the same terms (quantity, price,
// side, symbol and filled so far; a symbol one of them leaves out is
// unsaid, not another). A venue's resend is that, and counts once; on any
// other terms it is a second report of the trade that disagrees with the
// first. A fill naming no trade (0) is never a repeat: nothing says which
// trade it was. One definition for no-overfill and trade-conservation, so
// that both count the same fills.
inline bool reports_again(const Event& fill, const Event& before) {
  return fill.number != 0 && fill.number == before.number && fill.qty == before.qty &&
         fill.price == before.price && fill.side == before.side && fill.filled == before.filled &&
         (fill.symbol == before.symbol || fill.symbol == 0 || before.symbol == 0);
}

// The fills of `order` that report again a trade it filled in already
// (reports_again), sorted by event index, into `repeats`; each counts once.
// Sorted by trade id, in n log n: one order may have many fills. `trades`
// is the caller's scratch.
inline void find_repeated_fills(const History& h, const OrderFacts& order,
                                std::vector<std::pair<int64_t, uint32_t>>& trades,
                                std::vector<uint32_t>& repeats) {
  repeats.clear();
  if (order.fills.size() < 2) return;
  trades.clear();
  for (uint32_t fill : order.fills) trades.emplace_back(h[fill].number, fill);
  std::sort(trades.begin(), trades.end());
  for (size_t i = 1; i < trades.size(); ++i) {
    if (reports_again(h[trades[i].second], h[trades[i - 1].second])) {
      repeats.push_back(trades[i].second);
    }
  }
  std::sort(repeats.begin(), repeats.end());
}

// Whether a failed request was the client's own doing: a reject for
// breaking metadata rules, post-only crossing or a duplicate id, or for a
// rule the scenario names as the venue's own (client_reject_reasons), says
// nothing of whether the target was up.
inline bool clients_doing(const CheckContext& c, const Event& outcome) {
  return outcome.type == EventType::fail && c.limits.clients_doing(c.history().text(outcome.text));
}

// How a new order fared, for the properties that judge whether the target
// took orders: not a valid new order at all; refused for the client's own
// doing; accepted; or failed (refused by the target, of unknown outcome, or
// never answered: another tool's history may stop there, and as far as
// anyone knows it was not accepted).
enum class PlaceFate : uint8_t { not_valid_place, own_doing, accepted, failed };

inline PlaceFate place_fate(const CheckContext& c, const Operation& op) {
  const History& h = c.history();
  if (op.invoke == kNone) return PlaceFate::not_valid_place;
  const Event& request = h[op.invoke];
  if (request.kind != RequestKind::place || request.flag) return PlaceFate::not_valid_place;
  if (op.completion == kNone) return PlaceFate::failed;
  const Event& outcome = h[op.completion];
  if (clients_doing(c, outcome)) return PlaceFate::own_doing;
  return outcome.type == EventType::ok ? PlaceFate::accepted : PlaceFate::failed;
}

// Whether some fault is still active at the history's end (more starts than
// stops): it never healed.
inline bool fault_active_at_end(const CheckContext& c) {
  int64_t active = 0;
  for (uint32_t fault : c.index.faults()) {
    active += c.history()[fault].type == EventType::fault_start ? 1 : -1;
  }
  return active > 0;
}

inline Violation violation(std::string_view property, std::string message,
                           std::vector<std::string> orders, std::vector<uint64_t> events) {
  return Violation{std::string(property), std::move(message), std::move(orders), std::move(events)};
}

inline std::string when(const History& h, uint32_t index) {
  return fmt::format("event {} at {:.3f} s", index, static_cast<double>(h[index].time_us) / 1e6);
}

}  // namespace ordeal::properties
