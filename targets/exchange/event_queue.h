// The simulator's queue of pending events, in order of (time, sequence).
//
// Most events come in streams whose times never go down: the messages of one
// FIFO link, the timers a node sets with one constant delay. Such a stream
// goes into a lane, a FIFO ring, and only its head waits among the heads, an
// array sorted latest first; an event of no stream waits there alone. A push
// onto a busy lane touches no head, the earliest event leaves from the
// array's back, and a new head moves only the heads due before it. The order
// is exactly that of one priority queue over all events.
//
//   EventQueue queue(1'000'000);
//   const uint32_t lane = queue.add_lane();
//   queue.push({.time_us = 10, .seq = 0, .slot = 3}, lane);
//   queue.push({.time_us = 5, .seq = 1, .slot = 4}, EventQueue::kNoLane);
//   uint32_t slot = queue.pop();  // 4, then 3
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
    uint32_t lane = 0;  // set by push
  };
  static constexpr uint32_t kNoLane = 0;
  static constexpr size_t kLanesMax = 1 << 16;

  explicit EventQueue(size_t events_max) : events_max_(events_max) {}

  // A new empty lane; its events must be pushed in order of (time, seq).
  uint32_t add_lane();
  bool lane_empty(uint32_t lane) const { return lanes_[lane - 1].size == 0; }

  void push(Key key, uint32_t lane);
  bool empty() const { return heads_.empty(); }
  size_t size() const { return size_; }
  const Key& top() const { return heads_.back(); }
  // Removes the earliest event and returns its slot.
  uint32_t pop();

 private:
  // A ring of keys; its capacity is a power of two, grown by doubling.
  struct Lane {
    std::vector<Key> ring;
    uint32_t head = 0;
    uint32_t size = 0;
    const Key& front() const { return ring[head]; }
    const Key& back() const { return ring[(head + size - 1) & (ring.size() - 1)]; }
  };

  void lane_append(Lane& lane, const Key& key);
  void heads_insert(const Key& key);
  void replace_earliest(const Key& key);
  void heads_pop();

  size_t events_max_;
  size_t size_ = 0;
  std::vector<Key> heads_;
  std::vector<Lane> lanes_;
};

}  // namespace ordeal::exchange
