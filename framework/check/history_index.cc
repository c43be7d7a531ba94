#include "framework/check/history_index.h"

namespace ordeal {

HistoryIndex::HistoryIndex(const History& history) : history_(history) {
  const auto& events = history.events();
  for (uint32_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (e.op != 0) {
      if (e.op >= operations_.size()) operations_.resize(e.op + 1);
      Operation& op = operations_[e.op];
      if (e.type == EventType::invoke) op.invoke = i;
      if (is_completion(e.type) && op.completion == kNone) op.completion = i;
    }
    switch (e.type) {
      case EventType::invoke:
        if (e.kind == exchange::RequestKind::mass_cancel) {
          mass_cancels_.push_back(i);
        } else if (e.kind == exchange::RequestKind::place) {
          facts({e.client, e.order}).places.push_back(i);
        } else {
          facts({e.client, e.order}).requests.push_back(i);
        }
        break;
      case EventType::ok:
        if (e.kind != exchange::RequestKind::mass_cancel && e.status != exchange::OrdStatus::none) {
          facts({e.client, e.order}).observations.push_back(i);
        }
        break;
      case EventType::fill:
        facts({e.client, e.order}).fills.push_back(i);
        break;
      case EventType::update:
        facts({e.client, e.order}).observations.push_back(i);
        break;
      case EventType::read: {
        OrderFacts& f = facts({e.client, e.order});
        f.final_read = i;
        if (e.status != exchange::OrdStatus::none) f.observations.push_back(i);
        break;
      }
      case EventType::fault_start:
      case EventType::fault_stop:
        faults_.push_back(i);
        break;
      case EventType::meta:
        metadata_.push_back(i);
        break;
      default:
        break;
    }
  }
}

OrderFacts& HistoryIndex::facts(OrderKey key) {
  auto [it, inserted] = order_of_.try_emplace(key, static_cast<uint32_t>(orders_.size()));
  if (inserted) orders_.push_back(OrderFacts{.key = key});
  return orders_[it->second];
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
