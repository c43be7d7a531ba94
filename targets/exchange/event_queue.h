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

  // The sorted array's room (kSortedMax keys) is taken at once, so that it
  // never grows while the simulator holds its usual few dozen.
  explicit EventQueue(size_t events_max);

  // Inline: the simulator pushes once per event.
  void push(const Key& key) {
    // A negative time, or a seq or slot past its bits, shows in the bits
    // the packed key has no room for: one test for all three.
    if ((static_cast<uint64_t>(key.time_us) >> 63 | key.seq >> (64 - kSlotBits) |
         key.slot >> kSlotBits) != 0) [[unlikely]] {
      reject(key.time_us, key.seq, key.slot);
    }
    const Packed packed = pack(key);
    // One test also for the bound on pending events and for the heap.
    if (count_ >= sorted_limit_) [[unlikely]] {
      push_beyond_sorted(packed);
      return;
    }
    // Shifts the keys due before it up by one, from the back, until a later
    // key is reached: a new message passes the few messages due sooner, not
    // the timers due far later. Keys are unique, and the sentinel in front
    // is later than any, so the loops need no bound of their own; the array
    // has room for kSortedMax keys, so it never grows here. The first loop
    // compares times alone (one word, not two: most of what a push costs
    // is this loop), the second passes the keys of the same time and a
    // lower seq.
    Packed* place = keys_.data() + ++count_;
    const auto time = static_cast<uint64_t>(packed >> 64);
    for (; static_cast<uint64_t>(place[-1] >> 64) < time; --place) *place = place[-1];
    for (; place[-1] < packed; --place) *place = place[-1];
    *place = packed;
  }
  bool empty() const { return count_ == 0; }
  size_t size() const { return count_; }
  Key top() const {
    ORDEAL_ASSERT(!empty());
    return unpack(keys_[heap_ ? 1 : count_]);
  }
  // Removes the earliest event and returns its key. Inline: the simulator
  // pops once per event, and the call would cost as much as the work.
  Key pop() {
    ORDEAL_ASSERT(!empty());
    if (heap_) [[unlikely]]
      return unpack(pop_heap());
    return unpack(keys_[count_--]);
  }
  // Removes the earliest event into `key` if it is due by `until_us`; false,
  // leaving the queue as it is, if none is. One look at the earliest key,
  // for the simulator's loop, instead of empty(), top() and pop().
  bool pop_due(int64_t until_us, Key& key) {
    if (count_ == 0) return false;
    if (heap_) [[unlikely]] {
      if (unpack(keys_[1]).time_us > until_us) return false;
      key = unpack(pop_heap());
      return true;
    }
    const Packed earliest = keys_[count_];
    if (static_cast<int64_t>(earliest >> 64) > until_us) return false;
    --count_;
    key = unpack(earliest);
    return true;
  }
  // Whether a burst has made it a heap (for tests).
  bool heap() const { return heap_; }

 private:
  // Ordered as (time, seq) in one comparison: times are never negative.
  __extension__ using Packed = unsigned __int128;
  // A heap from this many pending on, sorted again at kSortedMin.
  static constexpr size_t kSortedMax = 128;
  static constexpr size_t kSortedMin = 32;

  // The key's fields by value, in registers: a reference would make push()
  // store the key on its stack every time.
  [[noreturn, gnu::noinline, gnu::cold]] void reject(int64_t time_us, uint64_t seq,
                                                     uint32_t slot) const;
  // The heap side, out of line: only bursts take it. push_beyond_sorted()
  // also checks the bound on pending events.
  void push_beyond_sorted(Packed packed);
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

  // Later than every key: time_us is never negative, so its top bit is 0.
  static constexpr Packed kSentinel = ~Packed{0};

  size_t events_max_;
  // keys_[0] is kSentinel; after it the count_ keys, sorted latest first
  // (the earliest last), in an array of kSortedMax places after the
  // sentinel; or, while heap_, a min-heap (the earliest at keys_[1]) that
  // is the whole array.
  std::vector<Packed> keys_;
  size_t count_ = 0;
  bool heap_ = false;
  // How many keys the sorted array takes before push() goes out of line:
  // kSortedMax, or events_max_ if lower; 0 while a heap.
  size_t sorted_limit_ = 0;
};

}  // namespace ordeal::exchange
