// A first-in first-out queue on one vector, for queues that are empty most
// of the time: unlike std::deque it allocates nothing until the first push,
// and keeps its memory when it empties (clear() too), so a queue that fills
// now and then allocates once. Taken entries stay in the vector until the
// queue empties or they are the larger part of it, then they are dropped in
// one move: a push or pop costs O(1) amortised, and the vector holds at most
// about twice the entries waiting.
//
//   Fifo<Request> inbound;
//   inbound.push_back(request);
//   while (!inbound.empty()) { handle(inbound.front()); inbound.pop_front(); }
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "framework/base/assert.h"

namespace ordeal {

template <typename T>
class Fifo {
 public:
  bool empty() const { return head_ == items_.size(); }
  size_t size() const { return items_.size() - head_; }

  T& front() {
    ORDEAL_ASSERT(!empty());
    return items_[head_];
  }
  T& back() {
    ORDEAL_ASSERT(!empty());
    return items_.back();
  }

  template <typename... Args>
  T& emplace_back(Args&&... args) {
    return items_.emplace_back(std::forward<Args>(args)...);
  }
  void push_back(T item) { items_.push_back(std::move(item)); }

  void pop_front() {
    ORDEAL_ASSERT(!empty());
    ++head_;
    if (empty()) {
      clear();
    } else if (head_ >= kCompactMin && head_ * 2 >= items_.size()) {
      items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }
  void clear() {
    items_.clear();
    head_ = 0;
  }
  void swap(Fifo& other) noexcept {
    items_.swap(other.items_);
    std::swap(head_, other.head_);
  }

  // The entries waiting, first to last.
  auto begin() { return items_.begin() + static_cast<std::ptrdiff_t>(head_); }
  auto end() { return items_.end(); }
  auto begin() const { return items_.begin() + static_cast<std::ptrdiff_t>(head_); }
  auto end() const { return items_.end(); }

 private:
  // Below this many taken entries dropping them is not worth a move.
  static constexpr size_t kCompactMin = 32;

  std::vector<T> items_;
  size_t head_ = 0;  // the first entry still waiting
};

}  // namespace ordeal
