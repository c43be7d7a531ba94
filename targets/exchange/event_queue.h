// The simulator's queue of pending events, in order of (time, sequence).
//
// A 4-ary min-heap of small keys; the events themselves wait elsewhere, in
// the slot a key names. Only a few dozen events are pending at once in the
// simulator, so the heap is two or three levels deep, and most new events
// are due after nearly all others, so a push rarely climbs. A pop walks the
// hole down to a leaf along the earliest child, then settles the last key
// into it. Never-due padding keys after the real ones let every node be
// read as four children, without a branch for a short last group.
//
//   EventQueue queue(1'000'000);
//   queue.push({.time_us = 10, .seq = 0, .slot = 3});
//   queue.push({.time_us = 5, .seq = 1, .slot = 4});
//   uint32_t slot = queue.pop().slot;  // 4, then 3
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "framework/base/assert.h"

namespace ordeal::exchange {

class EventQueue {
 public:
  struct Key {
    int64_t time_us = 0;
    uint64_t seq = 0;   // unique; breaks ties of time in order of scheduling
    uint32_t slot = 0;  // where the caller keeps the event
  };

  // Room for a few dozen keys is taken at once, which is what the simulator
  // holds at a time, so that a short run does not grow the heap step by step.
  explicit EventQueue(size_t events_max);

  // Inline: the simulator pushes once per event, and the new key is mostly
  // due after its parent, so the call would cost as much as the work.
  void push(const Key& key) {
    ORDEAL_ASSERT(size_ < events_max_, "more than {} events pending", events_max_);
    ORDEAL_ASSERT(key.time_us >= 0 && key.time_us < never().time_us);
    if (size_ + kPadding >= heap_.size()) grow();
    sift_up(size_, key);
    ++size_;
  }
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  const Key& top() const { return heap_.front(); }
  // Removes the earliest event and returns its key.
  Key pop();

 private:
  static constexpr size_t kKeysReserved = 64;
  // A node's children are 4i+1..4i+4: a node with one real child may have
  // three more places after the last real key, which hold never().
  static constexpr size_t kPadding = 3;
  // Due after every real key (their times are below its time).
  static constexpr Key never() {
    return {.time_us = std::numeric_limits<int64_t>::max(),
            .seq = std::numeric_limits<uint64_t>::max()};
  }

  // One 128-bit comparison instead of two branches: times are never negative.
  static bool before(const Key& a, const Key& b) {
    __extension__ using U128 = unsigned __int128;
    const U128 ka = U128{static_cast<uint64_t>(a.time_us)} << 64 | a.seq;
    const U128 kb = U128{static_cast<uint64_t>(b.time_us)} << 64 | b.seq;
    return ka < kb;
  }

  // Moves the parents due after `key` down one level each, then puts `key`
  // into the hole they leave.
  void sift_up(size_t hole, const Key& key) {
    while (hole > 0) {
      const size_t parent = (hole - 1) / 4;
      if (!before(key, heap_[parent])) break;
      heap_[hole] = heap_[parent];
      hole = parent;
    }
    heap_[hole] = key;
  }
  size_t earliest_child(size_t first) const;
  void grow();

  size_t events_max_;
  size_t size_ = 0;  // real keys: heap_[0, size_); never() after them
  std::vector<Key> heap_;
};

}  // namespace ordeal::exchange
