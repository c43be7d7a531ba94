#include "targets/exchange/event_queue.h"

#include <algorithm>

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

}  // namespace ordeal::exchange
