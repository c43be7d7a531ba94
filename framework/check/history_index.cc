#include "framework/check/history_index.h"

#include <algorithm>

#include "framework/base/assert.h"

namespace ordeal {
namespace {

using List = HistoryIndex::List;
using enum HistoryIndex::List;

// Which list of which order an event belongs in, if any. Inlined: both
// passes ask it of every event.
[[gnu::always_inline]] inline List list_of(const Event& e) {
  using exchange::OrdStatus;
  using exchange::RequestKind;
  switch (e.type) {
    case EventType::invoke:
      if (e.kind == RequestKind::mass_cancel) return kNoList;
      return e.kind == RequestKind::place ? kPlaces : kRequests;
    case EventType::ok:
      return e.kind != RequestKind::mass_cancel && e.status != OrdStatus::none ? kObservations
                                                                               : kNoList;
    case EventType::fill:
      return kFills;
    case EventType::update:
      return kObservations;
    case EventType::read:  // an unanswered one says nothing of the order
      return e.status != OrdStatus::none && !e.flag ? kObservations : kNoList;
    default:
      return kNoList;
  }
}

}  // namespace

HistoryIndex::HistoryIndex(const History& history) : history_(history) { build(); }

HistoryIndex::HistoryIndex(const History& history, Buffers&& reused)
    : history_(history), a_(std::move(reused)) {
  a_.lists.clear();
  a_.operations.clear();
  a_.sparse_ids.clear();
  a_.orders.clear();
  a_.order_of_other_client.clear();
  a_.faults.clear();
  a_.metadata.clear();
  a_.mass_cancels.clear();
  a_.unanswered_reads.clear();
  build();  // a_.order_of_sym is filled anew there
}

HistoryIndex::Buffers HistoryIndex::release() && { return std::move(a_); }

void HistoryIndex::build() {
  ORDEAL_ASSERT(history_.size() < kNone, "a history of 2^32 events or more cannot be indexed");
  const uint32_t op_max = scan_forward();
  place_lists();
  size_operations(op_max);
  scan_backward();
}

constexpr size_t kFewMarks = 16;

// Lists the event if it is a mass-cancel, a fault's start or stop, a
// metadata record or an unanswered read. Inlined in scan_forward().
[[gnu::always_inline]] inline void HistoryIndex::note_mark(const Event& e, uint32_t index) {
  if (e.type == EventType::invoke && e.kind == exchange::RequestKind::mass_cancel) {
    a_.mass_cancels.push_back(index);
  }
  if (e.type == EventType::fault_start || e.type == EventType::fault_stop) {
    a_.faults.push_back(index);
  }
  if (e.type == EventType::meta) a_.metadata.push_back(index);
  if (e.type == EventType::read && e.flag) a_.unanswered_reads.push_back(index);
}

// Pass one, in history order: finds every order and counts its lists, and
// lists the faults, metadata and mass-cancels. Returns the largest op id.
// Two passes in all (each costs a read of every event): operations are
// linked in pass two, once their ids' range is known.
uint32_t HistoryIndex::scan_forward() {
  const auto& events = history_.events();
  a_.order_of_sym.assign(history_.string_count(), kNone);
  a_.orders.reserve(history_.string_count());  // one order per client order id, usually
  // A case has a few of each: taken at once rather than grown from one.
  const size_t few = std::min<size_t>(events.size(), kFewMarks);
  a_.mass_cancels.reserve(few);
  a_.faults.reserve(few);
  a_.metadata.reserve(few);
  uint32_t op_max = 0;
  for (uint32_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    op_max = std::max(op_max, e.op);
    const List list = list_of(e);
    if (list == kNoList) {
      // Mass-cancels, faults and metadata are in no order's lists: the
      // events that are (most of them) are not asked about them.
      note_mark(e, i);
      if (e.type != EventType::read || e.flag) continue;
    }
    OrderSlot& order = a_.orders[add_order({e.client, e.order})];
    if (e.type == EventType::read) order.final_read = i;
    if (list != kNoList) ++order.list_begin[list];
  }
  return op_max;
}

// Turns each order's counts into where its lists end in a_.lists.
void HistoryIndex::place_lists() {
  uint32_t end = 0;
  for (OrderSlot& order : a_.orders) {
    for (int list = 0; list < kListCount; ++list) {
      end += order.list_begin[list];
      order.list_begin[list] = end;  // pass two moves it back to the list's start
    }
    order.list_begin[kListCount] = end;
  }
  a_.lists.resize(end);
}

// Direct indexing wastes at most this many slots per event; beyond it
// (ids like 10^9 from another tool) a sorted list of the ids maps them.
constexpr size_t kDirectSlotsPerEvent = 4;

void HistoryIndex::size_operations(uint32_t op_max) {
  const auto& events = history_.events();
  sparse_ = op_max / kDirectSlotsPerEvent > events.size();
  if (!sparse_) {
    a_.operations.resize(op_max == 0 ? 0 : size_t{op_max} + 1);
    return;
  }
  for (const Event& e : events) {
    if (e.op != 0) a_.sparse_ids.push_back(e.op);
  }
  std::sort(a_.sparse_ids.begin(), a_.sparse_ids.end());
  a_.sparse_ids.erase(std::unique(a_.sparse_ids.begin(), a_.sparse_ids.end()), a_.sparse_ids.end());
  a_.operations.resize(a_.sparse_ids.size() + 1);
}

// Pass two, backwards: each event goes just before the ones after it, so
// that each list ends up where it starts, in history order. An operation
// keeps its last invocation and its first completion.
void HistoryIndex::scan_backward() {
  const auto& events = history_.events();
  for (uint32_t i = static_cast<uint32_t>(events.size()); i-- > 0;) {
    const Event& e = events[i];
    if (e.op != 0) link_operation(e, i);
    const List list = list_of(e);
    if (list == kNoList) continue;
    a_.lists[--a_.orders[find_order({e.client, e.order})].list_begin[list]] = i;
  }
}

// Inlined in scan_backward(), which asks it of every operation's events.
[[gnu::always_inline]] inline void HistoryIndex::link_operation(const Event& e, uint32_t index) {
  Operation& op = a_.operations[slot_of(e.op)];
  if (e.type == EventType::invoke && op.invoke == kNone) op.invoke = index;
  if (is_completion(e.type)) op.completion = index;
}

// The common case, an order id met again for its first client, stays small
// enough to be inlined in the passes; the rest is add_order_uncommon().
uint32_t HistoryIndex::add_order(OrderKey key) {
  const uint32_t first = a_.order_of_sym[key.order];
  if (first != kNone && a_.orders[first].key.client == key.client) return first;
  return add_order_uncommon(key);
}

// A new order id, or one another client used first.
uint32_t HistoryIndex::add_order_uncommon(OrderKey key) {
  uint32_t& first = a_.order_of_sym[key.order];
  const auto id = static_cast<uint32_t>(a_.orders.size());
  if (first == kNone) {
    first = id;
  } else {
    auto [it, added] = a_.order_of_other_client.try_emplace(key, id);
    if (!added) return it->second;
  }
  a_.orders.push_back(OrderSlot{.key = key});
  return id;
}

// Inlined in scan_backward(), which asks it of every event of an order.
[[gnu::always_inline]] inline uint32_t HistoryIndex::find_order(OrderKey key) const {
  if (key.order >= a_.order_of_sym.size()) return kNone;
  const uint32_t first = a_.order_of_sym[key.order];
  if (first == kNone || a_.orders[first].key.client == key.client) return first;
  return find_order_of_other_client(key);
}

uint32_t HistoryIndex::find_order_of_other_client(OrderKey key) const {
  auto it = a_.order_of_other_client.find(key);
  return it == a_.order_of_other_client.end() ? kNone : it->second;
}

std::optional<OrderFacts> HistoryIndex::order(OrderKey key) const {
  const uint32_t id = find_order(key);
  if (id == kNone) return std::nullopt;
  return order_at(id);
}

uint32_t HistoryIndex::sparse_slot_of(uint32_t op) const {
  const auto it = std::lower_bound(a_.sparse_ids.begin(), a_.sparse_ids.end(), op);
  if (it == a_.sparse_ids.end() || *it != op) return kNone;
  return static_cast<uint32_t>(it - a_.sparse_ids.begin()) + 1;
}

}  // namespace ordeal
