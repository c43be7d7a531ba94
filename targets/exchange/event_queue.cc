#include "targets/exchange/event_queue.h"

#include <algorithm>

namespace ordeal::exchange {

EventQueue::EventQueue(size_t events_max) : events_max_(events_max) {
  heap_.reserve(std::min(events_max, kKeysReserved));
}

EventQueue::Key EventQueue::pop() {
  ORDEAL_ASSERT(!heap_.empty());
  const Key earliest = heap_.front();
  const Key last = heap_.back();
  heap_.pop_back();
  const size_t size = heap_.size();
  if (size == 0) return earliest;
  // The last key is due late, so rather than comparing it on the way down,
  // move the hole to a leaf along the earlier child (one comparison a level,
  // taken without a branch) and let the key climb from there, which it
  // seldom does.
  size_t hole = 0;
  size_t right = 2;
  while (right < size) {
    const size_t child = right - static_cast<size_t>(before(heap_[right - 1], heap_[right]));
    heap_[hole] = heap_[child];
    hole = child;
    right = 2 * hole + 2;
  }
  if (right == size) {  // a lone left child
    heap_[hole] = heap_[right - 1];
    hole = right - 1;
  }
  sift_up(hole, last);
  return earliest;
}

}  // namespace ordeal::exchange
