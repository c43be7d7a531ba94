#include "targets/exchange/event_queue.h"

#include <algorithm>

namespace ordeal::exchange {

EventQueue::EventQueue(size_t events_max) : events_max_(events_max) {
  heap_.assign(std::min(events_max, kKeysReserved) + kPadding, never());
}

// The earliest of heap_[first, first + 4), picked in two rounds of two
// without a branch; padding keys are never picked while one is real.
inline size_t EventQueue::earliest_child(size_t first) const {
  const size_t a = first + static_cast<size_t>(before(heap_[first + 1], heap_[first]));
  const size_t b = first + 2 + static_cast<size_t>(before(heap_[first + 3], heap_[first + 2]));
  return before(heap_[b], heap_[a]) ? b : a;
}

EventQueue::Key EventQueue::pop() {
  ORDEAL_ASSERT(size_ > 0);
  const Key earliest = heap_.front();
  --size_;
  const Key last = heap_[size_];
  heap_[size_] = never();
  if (size_ == 0) return earliest;
  // The last key is due late, so rather than comparing it on the way down,
  // move the hole to a leaf along the earliest child and let the key climb
  // from there, which it seldom does.
  size_t hole = 0;
  for (size_t first = 1; first < size_; first = 4 * hole + 1) {
    const size_t child = earliest_child(first);
    heap_[hole] = heap_[child];
    hole = child;
  }
  sift_up(hole, last);
  return earliest;
}

// Doubles the room, the new places padding.
void EventQueue::grow() {
  heap_.resize(std::min(heap_.size() * 2, events_max_ + kPadding), never());
}

}  // namespace ordeal::exchange
