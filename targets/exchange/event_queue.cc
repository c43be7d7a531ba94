#include "targets/exchange/event_queue.h"

#include <algorithm>
#include <functional>

namespace ordeal::exchange {

EventQueue::EventQueue(size_t events_max)
    : events_max_(events_max), sorted_limit_(std::min(kSortedMax, events_max)) {
  keys_.resize(kSortedMax + 1);
  keys_[0] = kSentinel;
}

// Out of line and cold, so that push() keeps to the few registers its loop
// needs; the assertions name what is wrong.
void EventQueue::reject(int64_t time_us, uint64_t seq, uint32_t slot) const {
  ORDEAL_ASSERT(size() < events_max_, "more than {} events pending", events_max_);
  ORDEAL_ASSERT(time_us >= 0, "event at negative time {}", time_us);
  ORDEAL_ASSERT(seq < kSeqsMax && slot < kSlotsMax, "seq {} or slot {} out of range", seq, slot);
  ORDEAL_ASSERT(false, "unreachable");
}

// Past the sorted array's limit: the bound on pending events, or a burst.
void EventQueue::push_beyond_sorted(Packed packed) {
  if (count_ >= events_max_) [[unlikely]] {
    const Key key = unpack(packed);
    reject(key.time_us, key.seq, key.slot);
  }
  push_heap(packed);
}

// Sorted latest first, the array is already a heap for std::less (every key
// is due no earlier than those after it); a min-heap needs std::greater, so
// it is made anew: linear, once per burst. The sentinel stays in front,
// outside the heap.
void EventQueue::push_heap(Packed packed) {
  if (!heap_) {
    keys_.resize(count_ + 1);
    std::make_heap(keys_.begin() + 1, keys_.end(), std::greater<>{});
    heap_ = true;
    sorted_limit_ = 0;
  }
  keys_.push_back(packed);
  ++count_;
  std::push_heap(keys_.begin() + 1, keys_.end(), std::greater<>{});
}

EventQueue::Packed EventQueue::pop_heap() {
  std::pop_heap(keys_.begin() + 1, keys_.end(), std::greater<>{});
  const Packed earliest = keys_.back();
  keys_.pop_back();
  --count_;
  if (count_ <= kSortedMin) {
    std::sort(keys_.begin() + 1, keys_.end(), std::greater<>{});
    keys_.resize(kSortedMax + 1);  // within its capacity: no allocation
    heap_ = false;
    sorted_limit_ = std::min(kSortedMax, events_max_);
  }
  return earliest;
}

}  // namespace ordeal::exchange
