// What properties need to find quickly in a history, built once per check:
// each operation's invocation and completion, and each order's requests,
// fills, observed states and final read. Built in two passes (count, then
// fill) into one array of event indices, so that it costs about 4 bytes per
// event plus about 35 bytes per order, and time linear in the events.
//
//   const HistoryIndex index(history);
//   for (const OrderFacts& order : index.orders()) {
//     for (uint32_t fill : order.fills) ...   // event indices, in history order
//   }
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "framework/base/large_vector.h"
#include "framework/history/history.h"

namespace ordeal {

inline constexpr uint32_t kNone = UINT32_MAX;

struct Operation {
  uint32_t invoke = kNone;
  uint32_t completion = kNone;  // kNone: never completed
};

struct OrderKey {
  int32_t client = -1;
  Sym order = 0;
  bool operator==(const OrderKey&) const = default;
};

struct OrderKeyHash {
  size_t operator()(const OrderKey& key) const {
    return (uint64_t{static_cast<uint32_t>(key.client)} << 32 | key.order) * 0x9e3779b97f4a7c15ULL;
  }
};

// Everything about one client order id of one client. The lists are views
// into one array the index owns (event indices, in history order).
struct OrderFacts {
  OrderKey key;
  std::span<const uint32_t> places;        // invoke indices of places with this id
  std::span<const uint32_t> requests;      // invoke indices of amends, cancels, statuses
  std::span<const uint32_t> fills;         // fill indices
  std::span<const uint32_t> observations;  // ok completions, updates and reads carrying a state
  uint32_t final_read = kNone;
};

class HistoryIndex {
 public:
  // The orders in the order they first appear in the history; each step
  // builds the order's facts (a few views) on the fly.
  class OrderRange {
   public:
    struct iterator {
      const HistoryIndex* index;
      uint32_t id;
      OrderFacts operator*() const { return index->order_at(id); }
      iterator& operator++() {
        ++id;
        return *this;
      }
      bool operator==(const iterator&) const = default;
    };
    explicit OrderRange(const HistoryIndex& index) : index_(index) {}
    iterator begin() const { return {&index_, 0}; }
    iterator end() const { return {&index_, static_cast<uint32_t>(index_.a_.orders.size())}; }
    size_t size() const { return index_.a_.orders.size(); }

   private:
    const HistoryIndex& index_;
  };

  // An order's lists, in the order they are stored.
  enum List : uint8_t { kPlaces, kRequests, kFills, kObservations, kListCount, kNoList };

  // The arrays an index fills, kept from one index to the next: a run
  // checks thousands of histories of about one size, and taking the arrays
  // anew for each cost a tenth of building the index. What they held is of no
  // consequence: an index clears them first.
  struct Buffers;

  explicit HistoryIndex(const History& history);
  HistoryIndex(const History& history, Buffers&& reused);
  // The arrays back, for the next index.
  Buffers release() &&;

  const History& history() const { return history_; }
  const Operation* operation(uint32_t op) const;
  // The completion of the operation invoked at `invoke_index`, or null.
  const Event* completion_of(uint32_t invoke_index) const;
  uint32_t completion_index_of(uint32_t invoke_index) const;
  std::optional<OrderFacts> order(OrderKey key) const;
  OrderRange orders() const { return OrderRange(*this); }
  // The order at `id`, its position in orders().
  OrderFacts order_at(uint32_t id) const;
  const LargeVector<Operation>& operations() const { return a_.operations; }
  // Indices of fault_start/fault_stop and meta events, in order.
  const std::vector<uint32_t>& faults() const { return a_.faults; }
  const std::vector<uint32_t>& metadata() const { return a_.metadata; }
  // Mass-cancel invocations, in order.
  const std::vector<uint32_t>& mass_cancels() const { return a_.mass_cancels; }
  // Final reads the target gave no answer about their order, in order: no
  // order's final_read.
  const std::vector<uint32_t>& unanswered_reads() const { return a_.unanswered_reads; }

 private:
  // An order as stored: where each of its lists starts in a_.lists (each list
  // ends where the next one starts), and where its last list ends, so that
  // reading an order (every property reads every order) looks at no other.
  struct OrderSlot {
    OrderKey key;
    uint32_t list_begin[5] = {0, 0, 0, 0, 0};
    uint32_t final_read = kNone;
  };

 public:
  struct Buffers {
    LargeVector<uint32_t> lists;  // every order's lists, back to back
    // By op id, 0 unused; when the ids are far sparser than the events
    // (another tool's numbering), by the id's place in sparse_ids instead.
    LargeVector<Operation> operations;
    std::vector<uint32_t> sparse_ids;  // sorted distinct op ids; empty: direct
    LargeVector<OrderSlot> orders;
    // Orders are found by their client order id's Sym: the first client to
    // use an id is found directly, other clients using the same id in a map.
    LargeVector<uint32_t> order_of_sym;
    std::unordered_map<OrderKey, uint32_t, OrderKeyHash> order_of_other_client;
    std::vector<uint32_t> faults;
    std::vector<uint32_t> metadata;
    std::vector<uint32_t> mass_cancels;
    std::vector<uint32_t> unanswered_reads;
  };

 private:
  void build();
  uint32_t scan_forward();
  void note_mark(const Event& e, uint32_t index);
  void place_lists();
  void size_operations(uint32_t op_max);
  void scan_backward();
  void link_operation(const Event& e, uint32_t index);
  uint32_t add_order(OrderKey key);
  uint32_t add_order_uncommon(OrderKey key);
  uint32_t find_order(OrderKey key) const;
  uint32_t find_order_of_other_client(OrderKey key) const;

  const History& history_;
  // The arrays, as one: release() hands them on whole.
  Buffers a_;
  bool sparse_ = false;  // a_.sparse_ids in use: one flag read, not its bounds
  // Inline for direct ids, which every operation of a case looks up.
  uint32_t slot_of(uint32_t op) const { return sparse_ ? sparse_slot_of(op) : op; }
  uint32_t sparse_slot_of(uint32_t op) const;
};

// Inlined where properties walk the orders (each property walks all of
// them), so that the lists a property does not read are not made.
inline OrderFacts HistoryIndex::order_at(uint32_t id) const {
  const OrderSlot& order = a_.orders[id];
  auto list = [&](int which) {
    const uint32_t begin = order.list_begin[which];
    return std::span<const uint32_t>(a_.lists.data() + begin, order.list_begin[which + 1] - begin);
  };
  return OrderFacts{.key = order.key,
                    .places = list(kPlaces),
                    .requests = list(kRequests),
                    .fills = list(kFills),
                    .observations = list(kObservations),
                    .final_read = order.final_read};
}

// Inline, as order_at: properties ask these of nearly every request they
// read, a few per event in all, and the call cost as much as the lookup.
inline const Operation* HistoryIndex::operation(uint32_t op) const {
  const uint32_t slot = op == 0 ? 0 : slot_of(op);
  return slot < a_.operations.size() ? &a_.operations[slot] : nullptr;
}

inline uint32_t HistoryIndex::completion_index_of(uint32_t invoke_index) const {
  const Operation* op = operation(history_[invoke_index].op);
  return op == nullptr ? kNone : op->completion;
}

inline const Event* HistoryIndex::completion_of(uint32_t invoke_index) const {
  const uint32_t index = completion_index_of(invoke_index);
  return index == kNone ? nullptr : &history_[index];
}

}  // namespace ordeal
