#include "framework/check/history_index.h"

#include <array>

namespace ordeal {
namespace {

enum List : uint8_t { kPlaces, kRequests, kFills, kObservations, kListCount, kNoList };

// Which list of which order an event belongs in, if any.
List list_of(const Event& e) {
  using exchange::OrdStatus;
  using exchange::RequestKind;
  switch (e.type) {
    case EventType::invoke:
      if (e.kind == RequestKind::mass_cancel) return kNoList;
      return e.kind == RequestKind::place ? kPlaces : kRequests;
    case EventType::ok:
      return e.kind != RequestKind::mass_cancel && e.status != OrdStatus::none ? kObservations
                                                                               : kNoList;
    case EventType::fill: return kFills;
    case EventType::update: return kObservations;
    case EventType::read: return e.status != OrdStatus::none ? kObservations : kNoList;
    default: return kNoList;
  }
}

}  // namespace

HistoryIndex::HistoryIndex(const History& history) : history_(history) {
  const auto& events = history.events();
  std::vector<std::array<uint32_t, kListCount>> counts;
  std::vector<uint32_t> event_order(events.size(), kNone);
  for (uint32_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (e.op != 0) {
      if (e.op >= operations_.size()) operations_.resize(e.op + 1);
      Operation& op = operations_[e.op];
      if (e.type == EventType::invoke) op.invoke = i;
      if (is_completion(e.type) && op.completion == kNone) op.completion = i;
    }
    if (e.type == EventType::invoke && e.kind == exchange::RequestKind::mass_cancel) {
      mass_cancels_.push_back(i);
    }
    if (e.type == EventType::fault_start || e.type == EventType::fault_stop) faults_.push_back(i);
    if (e.type == EventType::meta) metadata_.push_back(i);
    const List list = list_of(e);
    if (list == kNoList && e.type != EventType::read) continue;
    const uint32_t id = order_id({e.client, e.order});
    event_order[i] = id;
    if (id >= counts.size()) counts.resize(id + 1, {});
    if (e.type == EventType::read) orders_[id].final_read = i;
    if (list != kNoList) ++counts[id][list];
  }
  // Lay the lists out back to back, then fill them in history order.
  size_t total = 0;
  for (const auto& c : counts) total += c[0] + c[1] + c[2] + c[3];
  lists_.resize(total);
  std::vector<std::array<uint32_t, kListCount>> next(counts.size());
  uint32_t offset = 0;
  for (size_t id = 0; id < counts.size(); ++id) {
    for (int list = 0; list < kListCount; ++list) {
      next[id][list] = offset;
      offset += counts[id][list];
    }
  }
  for (uint32_t i = 0; i < events.size(); ++i) {
    if (event_order[i] == kNone) continue;
    const List list = list_of(events[i]);
    if (list != kNoList) lists_[next[event_order[i]][list]++] = i;
  }
  for (size_t id = 0; id < counts.size(); ++id) {
    OrderFacts& f = orders_[id];
    const uint32_t* end = lists_.data();
    auto view = [&](int list) {
      const uint32_t size = counts[id][list];
      return std::span<const uint32_t>(end + next[id][list] - size, size);
    };
    f.places = view(kPlaces);
    f.requests = view(kRequests);
    f.fills = view(kFills);
    f.observations = view(kObservations);
  }
}

uint32_t HistoryIndex::order_id(OrderKey key) {
  auto [it, inserted] = order_of_.try_emplace(key, static_cast<uint32_t>(orders_.size()));
  if (inserted) orders_.push_back(OrderFacts{.key = key});
  return it->second;
}

const Operation* HistoryIndex::operation(uint32_t op) const {
  return op < operations_.size() ? &operations_[op] : nullptr;
}

uint32_t HistoryIndex::completion_index_of(uint32_t invoke_index) const {
  const Operation* op = operation(history_[invoke_index].op);
  return op == nullptr ? kNone : op->completion;
}

const Event* HistoryIndex::completion_of(uint32_t invoke_index) const {
  const uint32_t index = completion_index_of(invoke_index);
  return index == kNone ? nullptr : &history_[index];
}

const OrderFacts* HistoryIndex::order(OrderKey key) const {
  auto it = order_of_.find(key);
  return it == order_of_.end() ? nullptr : &orders_[it->second];
}

}  // namespace ordeal
