#include "targets/exchange/event_queue.h"

#include <algorithm>

namespace ordeal::exchange {

EventQueue::EventQueue(size_t events_max) : events_max_(events_max) {
  keys_.reserve(std::min(events_max, kKeysReserved));
}

void EventQueue::push(const Key& key) {
  ORDEAL_ASSERT(keys_.size() < events_max_, "more than {} events pending", events_max_);
  ORDEAL_ASSERT(key.time_us >= 0, "event at negative time {}", key.time_us);
  ORDEAL_ASSERT(key.seq < kSeqsMax && key.slot < kSlotsMax, "seq {} or slot {} out of range",
                key.seq, key.slot);
  const Packed packed = pack(key);
  // Shifts the earlier keys up by one, from the back, until a later key (or
  // the front) is reached; new events mostly go near the back, behind the
  // timers due far later. Keys are unique, so none compares equal.
  size_t place = keys_.size();
  keys_.push_back(packed);
  Packed* keys = keys_.data();
  for (; place > 0 && keys[place - 1] < packed; --place) keys[place] = keys[place - 1];
  keys[place] = packed;
}

}  // namespace ordeal::exchange
