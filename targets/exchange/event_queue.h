// The simulator's queue of pending events, in order of (time, sequence).
//
// While few are pending, keys sorted latest first in one array, so the
// earliest is popped off the end; a push shifts the keys due before it up by
// one, from the back. The simulator holds a few dozen events at a time (10
// to 40 in the shipped scenarios, a new message passing about 8 of them),
// where this costs less than half of what a heap does (callgrind,
// docs/performance.md). A push is linear in the pending count, though, so a
// burst (a thousand orders sent at once) turns the array into a binary heap,
// and it is sorted again once the burst has drained; the two limits apart
// keep it from switching back and forth. Keys are unique, so both give the
// same order. The events themselves wait elsewhere, in the slot a key names.
//
//   EventQueue queue(1'000'000);
//   queue.push({.time_us = 10, .seq = 0, .slot = 3});
//   queue.push({.time_us = 5, .seq = 1, .slot = 4});
//   uint32_t slot = queue.pop().slot;  // 4, then 3
#pragma once

#include <cstddef>
#include <cstdint>
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
  // Both go into the low half of one 128-bit word, seq above slot.
  static constexpr int kSlotBits = 26;
  static constexpr uint32_t kSlotsMax = uint32_t{1} << kSlotBits;
  static constexpr uint64_t kSeqsMax = uint64_t{1} << (64 - kSlotBits);

  // Room for a few dozen keys is taken at once, which is what the simulator
  // holds at a time, so that a short run does not grow the array step by step.
  explicit EventQueue(size_t events_max);

  // Inline: the simulator pushes once per event.
  void push(const Key& key) {
    if (keys_.size() >= events_max_ || key.time_us < 0 || key.seq >= kSeqsMax ||
        key.slot >= kSlotsMax) [[unlikely]] {
      reject(key);
    }
    const Packed packed = pack(key);
    if (heap_ || keys_.size() >= kSortedMax) [[unlikely]] {
      push_heap(packed);
      return;
    }
    // Shifts the keys due before it up by one, from the back, until a later
    // key (or the front) is reached: a new message passes the few messages
    // due sooner, not the timers due far later. Keys are unique.
    size_t place = keys_.size();
    keys_.push_back(packed);
    Packed* keys = keys_.data();
    for (; place > 0 && keys[place - 1] < packed; --place) keys[place] = keys[place - 1];
    keys[place] = packed;
  }
  bool empty() const { return keys_.empty(); }
  size_t size() const { return keys_.size(); }
  Key top() const {
    ORDEAL_ASSERT(!keys_.empty());
    return unpack(heap_ ? keys_.front() : keys_.back());
  }
  // Removes the earliest event and returns its key. Inline: the simulator
  // pops once per event, and the call would cost as much as the work.
  Key pop() {
    ORDEAL_ASSERT(!keys_.empty());
    if (heap_) [[unlikely]]
      return unpack(pop_heap());
    const Packed earliest = keys_.back();
    keys_.pop_back();
    return unpack(earliest);
  }
  // Whether a burst has made it a heap (for tests).
  bool heap() const { return heap_; }

 private:
  // Ordered as (time, seq) in one comparison: times are never negative.
  __extension__ using Packed = unsigned __int128;
  static constexpr size_t kKeysReserved = 64;
  // A heap from this many pending on, sorted again at kSortedMin.
  static constexpr size_t kSortedMax = 128;
  static constexpr size_t kSortedMin = 32;

  [[noreturn, gnu::noinline, gnu::cold]] void reject(const Key& key) const;
  // The heap side, out of line: only bursts take it.
  void push_heap(Packed packed);
  Packed pop_heap();

  static Packed pack(const Key& key) {
    return Packed{static_cast<uint64_t>(key.time_us)} << 64 | key.seq << kSlotBits | key.slot;
  }
  static Key unpack(Packed packed) {
    const auto low = static_cast<uint64_t>(packed);
    return {.time_us = static_cast<int64_t>(packed >> 64),
            .seq = low >> kSlotBits,
            .slot = static_cast<uint32_t>(low & (kSlotsMax - 1))};
  }

  size_t events_max_;
  // Sorted latest first (the earliest at the back), or a min-heap (the
  // earliest at the front) while heap_.
  std::vector<Packed> keys_;
  bool heap_ = false;
};

}  // namespace ordeal::exchange
