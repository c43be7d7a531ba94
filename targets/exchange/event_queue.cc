#include "targets/exchange/event_queue.h"

#include <algorithm>
#include <functional>

namespace ordeal::exchange {

EventQueue::EventQueue(size_t events_max) : events_max_(events_max) {
  keys_.reserve(std::min(events_max, kKeysReserved));
}

// Out of line and cold, so that push() keeps to the few registers its loop
// needs; the assertions name what is wrong.
void EventQueue::reject(const Key& key) const {
  ORDEAL_ASSERT(keys_.size() < events_max_, "more than {} events pending", events_max_);
  ORDEAL_ASSERT(key.time_us >= 0, "event at negative time {}", key.time_us);
  ORDEAL_ASSERT(key.seq < kSeqsMax && key.slot < kSlotsMax, "seq {} or slot {} out of range",
                key.seq, key.slot);
  ORDEAL_ASSERT(false, "unreachable");
}

// Sorted latest first, the array is already a heap for std::less (every key
// is due no earlier than those after it); a min-heap needs std::greater, so
// it is made anew: linear, once per burst.
void EventQueue::push_heap(Packed packed) {
  if (!heap_) {
    std::make_heap(keys_.begin(), keys_.end(), std::greater<>{});
    heap_ = true;
  }
  keys_.push_back(packed);
  std::push_heap(keys_.begin(), keys_.end(), std::greater<>{});
}

EventQueue::Packed EventQueue::pop_heap() {
  std::pop_heap(keys_.begin(), keys_.end(), std::greater<>{});
  const Packed earliest = keys_.back();
  keys_.pop_back();
  if (keys_.size() <= kSortedMin) {
    std::sort(keys_.begin(), keys_.end(), std::greater<>{});
    heap_ = false;
  }
  return earliest;
}

}  // namespace ordeal::exchange
