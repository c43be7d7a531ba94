// The simulator's queue of pending events, in order of (time, sequence).
//
// A binary min-heap of small keys; the events themselves wait elsewhere, in
// the slot a key names. Only a few dozen events are pending at once in the
// simulator and most new ones are due after nearly all others, so a push
// rarely climbs, and a pop walks the hole down to a leaf along the earlier
// child (one comparison a level) before settling the last key into it.
//
//   EventQueue queue(1'000'000);
//   queue.push({.time_us = 10, .seq = 0, .slot = 3});
//   queue.push({.time_us = 5, .seq = 1, .slot = 4});
//   uint32_t slot = queue.pop().slot;  // 4, then 3
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ordeal::exchange {

class EventQueue {
 public:
  struct Key {
    int64_t time_us = 0;
    uint64_t seq = 0;   // unique; breaks ties of time in order of scheduling
    uint32_t slot = 0;  // where the caller keeps the event
  };

  explicit EventQueue(size_t events_max) : events_max_(events_max) {}

  void push(const Key& key);
  bool empty() const { return heap_.empty(); }
  size_t size() const { return heap_.size(); }
  const Key& top() const { return heap_.front(); }
  // Removes the earliest event and returns its key.
  Key pop();

 private:
  void sift_up(size_t hole, const Key& key);

  size_t events_max_;
  std::vector<Key> heap_;  // heap_[i] is due no later than its children 2i+1, 2i+2
};

}  // namespace ordeal::exchange
