// metadata-conformance: every accepted order, and every accepted amend of
// one, conforms to the metadata in force (tick size, lot size, quantity
// limits, price band, trading status),
// and no order is rejected for breaking a rule that it keeps under every
// version in force. "In force" for a request is any version of its symbol's
// record committed between (invocation - the staleness limit) and its
// completion (plus the notice delay: the history records a commit when the
// runner hears of it): a change needs time to propagate, and ordeal grants
// that much.
#include <algorithm>
#include <array>
#include <optional>
#include <span>

#include "framework/base/saturating.h"
#include "properties/support.h"

namespace ordeal::properties {
namespace {

using exchange::Instrument;

using Records = std::span<const uint32_t>;  // a symbol's meta events, in history order

// Every symbol's records, found by the symbol's Sym: the meta events in one
// array, sorted by their symbol's Sym and each symbol's in history order.
// Syms compare without reading names, and a case's handful of meta events
// take two arrays rather than a tree node and a vector per symbol. A record
// whose symbol no event names is left out: no request can ask for it.
// The symbols asked for lately are remembered in a few slots: thousands of
// places name a handful of symbols. The slots' size does not depend on the
// history's, so a long history costs no memory more.
class RecordsBySym {
 public:
  RecordsBySym(const History& h, const std::vector<uint32_t>& metadata) {
    keys_.reserve(metadata.size());
    for (uint32_t meta : metadata) {
      const std::optional<Sym> symbol = h.find(h.record(h[meta].record).symbol);
      if (symbol) keys_.push_back(uint64_t{*symbol} << 32 | meta);
    }
    std::sort(keys_.begin(), keys_.end());
    records_.reserve(keys_.size());
    for (uint64_t key : keys_) records_.push_back(static_cast<uint32_t>(key));
  }

  bool empty() const { return keys_.empty(); }

  // Empty when no record names the symbol.
  Records find(Sym symbol) {
    Slot& slot = slots_[symbol % kSlots];
    if (!slot.filled || slot.symbol != symbol) {
      slot = {.symbol = symbol, .filled = true, .records = search(symbol)};
    }
    return slot.records;
  }

 private:
  Records search(Sym symbol) const {
    const uint64_t first = uint64_t{symbol} << 32;
    const auto begin = std::lower_bound(keys_.begin(), keys_.end(), first);
    const auto end = std::lower_bound(begin, keys_.end(), first + (uint64_t{1} << 32));
    return Records(records_).subspan(begin - keys_.begin(), end - begin);
  }

  static constexpr size_t kSlots = 16;
  struct Slot {
    Sym symbol = 0;
    bool filled = false;
    Records records;
  };
  std::vector<uint64_t> keys_;     // symbol << 32 | meta index, sorted
  std::vector<uint32_t> records_;  // the meta indices of keys_, in the same order
  std::array<Slot, kSlots> slots_{};
};

class MetadataConformance final : public Property {
 public:
  std::string_view name() const override { return "metadata-conformance"; }
  std::string_view description() const override {
    return "accepted orders conform to the metadata in force; valid ones are not rejected";
  }

  void check(const CheckContext& c, std::vector<Violation>& out) const override {
    const History& h = c.history();
    RecordsBySym records_by_sym(h, c.index.metadata());
    if (records_by_sym.empty()) return;  // no metadata of any symbol named: nothing to judge
    for (const OrderFacts& order : c.index.orders()) {
      for (uint32_t place : order.places) {
        const Records records = records_by_sym.find(h[place].symbol);
        if (records.empty()) continue;
        check_request(c, order, place, terms_of(h[place]), records, out);
      }
      if (order.requests.empty() || order.places.empty()) continue;
      check_amends(c, order, records_by_sym, out);
    }
  }

 private:
  // A symbol's records are in history order, so in time order: the versions
  // in force are the latest one at or before the window's start, then every
  // one up to its end: a run of them, taken as a view. A binary search
  // keeps a history with many versions linear.
  // `done` is the request's completion.
  static Records in_force(const CheckContext& c, Records records, uint32_t request, uint32_t done) {
    const History& h = c.history();
    const int64_t from_us = h[request].time_us - c.limits.metadata_staleness_ms * 1000;
    const int64_t to_us = saturating_add(done == kNone ? h[request].time_us : h[done].time_us,
                                         c.limits.metadata_notice_ms * 1000);
    const auto after_start = std::partition_point(
        records.begin(), records.end(), [&](uint32_t meta) { return h[meta].time_us <= from_us; });
    auto end = after_start;
    while (end != records.end() && h[*end].time_us <= to_us) ++end;
    const auto begin = after_start == records.begin() ? after_start : after_start - 1;
    return records.subspan(begin - records.begin(), end - begin);
  }

  static exchange::OrderTerms terms_of(const Event& place) {
    return exchange::OrderTerms{
        .kind = RequestKind::place,
        .side = place.side,
        .type = place.number & kMarketFlag ? exchange::OrdType::market : exchange::OrdType::limit,
        .post_only = (place.number & kPostOnlyFlag) != 0,
        .price = place.price,
        .qty = place.qty};
  }

  // An amend changes the order's terms, so its new price and quantity must
  // conform as a place's do (against its order's symbol and side). What it
  // states breaking a rule breaks it however the target reads an amend.
  void check_amends(const CheckContext& c, const OrderFacts& order, RecordsBySym& records_by_sym,
                    std::vector<Violation>& out) const {
    const History& h = c.history();
    // A reused id may name orders in several symbols: which one an amend
    // concerns is not known then. A rejected repeat never was the order.
    const uint32_t first = agreed_place(c, order);
    if (first == kNone) return;
    const Event& place = h[first];
    const Records records = records_by_sym.find(place.symbol);
    if (records.empty()) return;
    for (uint32_t request : order.requests) {
      if (h[request].kind != RequestKind::amend) continue;
      const Event* done = c.index.completion_of(request);
      if (done == nullptr || done->type == EventType::info) continue;  // nothing to judge
      // A target may judge the whole order an amend leaves (its price or
      // quantity restated, as FIX sends them), not only what the amend
      // changes: a rejection is judged only when the amend states both.
      const bool states_both = h[request].price != 0 && h[request].qty != 0;
      if (done->type == EventType::fail && !states_both) continue;
      // What the amend keeps is as its answer reports the order, or as
      // placed when the answer says nothing of it.
      const exchange::OrderTerms terms{.kind = RequestKind::amend,
                                       .side = place.side,
                                       .price = h[request].price,
                                       .qty = h[request].qty,
                                       .kept_price = done->price != 0 ? done->price : place.price,
                                       .kept_qty = done->qty != 0 ? done->qty : place.qty};
      check_request(c, order, request, terms, records, out);
    }
  }

  // A place or an amend of `order`, invoked at `request`, against the
  // versions of its symbol's records in force. Only an acceptance or a
  // reject as invalid can be wrong (the versions in force are found for
  // those only), and the versions are read only until one settles it: a
  // version the request conforms to clears an acceptance, one it breaks a
  // reject.
  void check_request(const CheckContext& c, const OrderFacts& order, uint32_t request,
                     const exchange::OrderTerms& terms, Records symbol_records,
                     std::vector<Violation>& out) const {
    const History& h = c.history();
    const uint32_t done = c.index.completion_index_of(request);
    if (done == kNone) return;
    const Event& outcome = h[done];
    const bool rejected_as_invalid =
        outcome.type == EventType::fail && exchange::is_validation_reason(h.text(outcome.text));
    if (outcome.type != EventType::ok && !rejected_as_invalid) return;
    const Records records = in_force(c, symbol_records, request, done);
    if (records.empty()) return;
    // Named only for a violation: most requests have none.
    auto what = [&] {
      return fmt::format("{}order {}", terms.kind == RequestKind::amend ? "the amend of " : "",
                         c.order_name(order.key));
    };
    if (outcome.type == EventType::ok) {
      const std::optional<std::string_view> reason = broken_under_all(h, records, terms);
      if (!reason) return;
      out.push_back(
          violation(name(),
                    fmt::format("{} was accepted ({}) though under every metadata version in force "
                                "it breaks a rule: {}",
                                what(), when(h, done), *reason),
                    {c.order_name(order.key)}, {records.back(), request, done}));
      return;
    }
    if (!conforms_to_all(h, records, terms)) return;
    out.push_back(
        violation(name(),
                  fmt::format("{} was rejected as '{}' ({}) though it conforms to every metadata "
                              "version in force",
                              what(), h.text(outcome.text), when(h, done)),
                  {c.order_name(order.key)}, {records.back(), request, done}));
  }

  // The rule the terms break under the last version when they break one
  // under every version; nothing when a version lets them through.
  static std::optional<std::string_view> broken_under_all(const History& h, Records records,
                                                          const exchange::OrderTerms& terms) {
    std::optional<std::string_view> reason;
    for (uint32_t meta : records) {
      reason = exchange::nonconformance(h.record(h[meta].record), terms);
      if (!reason) return std::nullopt;
    }
    return reason;
  }

  static bool conforms_to_all(const History& h, Records records,
                              const exchange::OrderTerms& terms) {
    for (uint32_t meta : records) {
      if (exchange::nonconformance(h.record(h[meta].record), terms)) return false;
    }
    return true;
  }
};

ORDEAL_REGISTER_PROPERTY(MetadataConformance);

}  // namespace
}  // namespace ordeal::properties
