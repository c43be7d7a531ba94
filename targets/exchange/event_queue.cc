#include "targets/exchange/event_queue.h"

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

void EventQueue::push(const Key& key) {
  ORDEAL_ASSERT(heap_.size() < events_max_, "more than {} events pending", events_max_);
  ORDEAL_ASSERT(key.time_us >= 0);
  heap_.push_back(key);
  sift_up(heap_.size() - 1, key);
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

// Moves the parents due after `key` down one level each, then puts `key`
// into the hole they leave.
void EventQueue::sift_up(size_t hole, const Key& key) {
  while (hole > 0) {
    const size_t parent = (hole - 1) / 2;
    if (!before(key, heap_[parent])) break;
    heap_[hole] = heap_[parent];
    hole = parent;
  }
  heap_[hole] = key;
}

}  // namespace ordeal::exchange
