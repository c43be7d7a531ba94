#include "targets/exchange/event_queue.h"

#include <algorithm>

#include "framework/base/assert.h"

namespace ordeal::exchange {
namespace {

// One 128-bit comparison instead of two branches: times are never negative.
bool before(const EventQueue::Key& a, const EventQueue::Key& b) {
  __extension__ using U128 = unsigned __int128;
  const U128 ka = U128{static_cast<uint64_t>(a.time_us)} << 64 | a.seq;
  const U128 kb = U128{static_cast<uint64_t>(b.time_us)} << 64 | b.seq;
  return ka < kb;
}

}  // namespace

uint32_t EventQueue::add_lane() {
  ORDEAL_ASSERT(lanes_.size() + 1 < kLanesMax, "more than {} lanes", kLanesMax);
  lanes_.emplace_back();
  return static_cast<uint32_t>(lanes_.size());
}

void EventQueue::push(Key key, uint32_t lane) {
  ORDEAL_ASSERT(size_ < events_max_, "more than {} events pending", events_max_);
  ORDEAL_ASSERT(key.time_us >= 0);
  ++size_;
  key.lane = lane;
  if (lane == kNoLane) {
    heads_insert(key);
    return;
  }
  Lane& ring = lanes_[lane - 1];
  // Only the head of a lane waits in the heap, which is right only while
  // the lane is in order.
  ORDEAL_ASSERT(ring.size == 0 || !before(key, ring.back()), "lane {} out of order", lane);
  lane_append(ring, key);
  if (ring.size == 1) heads_insert(key);
}

uint32_t EventQueue::pop() {
  ORDEAL_ASSERT(!heads_.empty());
  const Key top = heads_.back();
  --size_;
  if (top.lane != kNoLane) {
    Lane& ring = lanes_[top.lane - 1];
    ring.head = (ring.head + 1) & static_cast<uint32_t>(ring.ring.size() - 1);
    --ring.size;
    if (ring.size > 0) {
      replace_earliest(ring.front());
      return top.slot;
    }
  }
  heads_pop();
  return top.slot;
}

void EventQueue::lane_append(Lane& lane, const Key& key) {
  if (lane.size == lane.ring.size()) {
    // Full: unroll into one twice as large, head first.
    std::vector<Key> grown(lane.ring.empty() ? 8 : lane.ring.size() * 2);
    for (uint32_t i = 0; i < lane.size; ++i) {
      grown[i] = lane.ring[(lane.head + i) & (lane.ring.size() - 1)];
    }
    lane.ring = std::move(grown);
    lane.head = 0;
  }
  lane.ring[(lane.head + lane.size) & (lane.ring.size() - 1)] = key;
  ++lane.size;
}

// The heads are sorted latest first, so the earliest leaves from the back
// and a new key moves only the keys due before it.
void EventQueue::heads_insert(const Key& key) {
  auto at = std::partition_point(heads_.begin(), heads_.end(),
                                 [&](const Key& pending) { return before(key, pending); });
  heads_.insert(at, key);
}

void EventQueue::replace_earliest(const Key& key) {
  heads_.pop_back();
  heads_insert(key);
}

void EventQueue::heads_pop() { heads_.pop_back(); }

}  // namespace ordeal::exchange
