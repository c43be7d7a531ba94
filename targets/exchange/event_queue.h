// The simulator's queue of pending events, in order of (time, sequence).
//
// Keys sorted latest first in one array, so the earliest is popped off the
// end; a push shifts the keys due before it up by one, from the back. The
// events themselves wait elsewhere, in the slot a key names. The simulator
// holds a few dozen events at a time (10 to 40 in the shipped scenarios, a
// new message passing about 8 of them), where this costs less than half of
// what a 4-ary heap did (callgrind, docs/performance.md); a push is linear
// in the pending count, so a simulation with thousands of events pending at
// once would want a heap again.
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
    return unpack(keys_.back());
  }
  // Removes the earliest event and returns its key. Inline: the simulator
  // pops once per event, and the call would cost as much as the work.
  Key pop() {
    ORDEAL_ASSERT(!keys_.empty());
    const Packed earliest = keys_.back();
    keys_.pop_back();
    return unpack(earliest);
  }

 private:
  // Ordered as (time, seq) in one comparison: times are never negative.
  __extension__ using Packed = unsigned __int128;
  static constexpr size_t kKeysReserved = 64;

  [[noreturn, gnu::noinline, gnu::cold]] void reject(const Key& key) const;

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
  std::vector<Packed> keys_;  // latest first: the earliest is at the back
};

}  // namespace ordeal::exchange
