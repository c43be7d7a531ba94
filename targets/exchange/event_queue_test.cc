#include "targets/exchange/event_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>
#include <vector>

#include "framework/base/rng.h"

namespace ordeal::exchange {
namespace {

using Key = EventQueue::Key;

bool earlier(const Key& a, const Key& b) {
  return std::tie(a.time_us, a.seq) < std::tie(b.time_us, b.seq);
}

// Pushes events with times from a small range (so equal times are common)
// and pops now and then, checking every pop against the earliest key still
// pending. `pop_chance` sets how large the queue grows.
void check_random_mix(uint64_t seed, int events_count, double pop_chance) {
  Rng rng(seed);
  EventQueue queue(100'000);
  std::vector<Key> pending;  // the reference
  uint64_t seq = 0;
  int64_t now_us = 0;
  // False on the first wrong pop, so that a broken queue ends the test.
  auto pop_and_check = [&] {
    auto earliest = std::min_element(pending.begin(), pending.end(), earlier);
    const Key expected = *earliest;
    pending.erase(earliest);
    EXPECT_EQ(queue.top().slot, expected.slot);
    const Key got = queue.pop();
    EXPECT_EQ(got.slot, expected.slot);
    EXPECT_EQ(got.time_us, expected.time_us);
    EXPECT_EQ(got.seq, expected.seq);
    now_us = got.time_us;
    return got.slot == expected.slot;
  };
  for (int n = 0; n < events_count; ++n) {
    // Like the simulator: nothing is scheduled before the present.
    const Key key{
        .time_us = now_us + rng.between(0, 40), .seq = seq++, .slot = static_cast<uint32_t>(n)};
    queue.push(key);
    pending.push_back(key);
    ASSERT_EQ(queue.size(), pending.size());
    if (rng.chance(pop_chance) && !pop_and_check()) return;
  }
  while (!pending.empty()) {
    if (!pop_and_check()) return;
  }
  EXPECT_EQ(seq, static_cast<uint64_t>(events_count));
  EXPECT_TRUE(queue.empty());
}

TEST(EventQueue, EventsLeaveInOrderOfTimeThenSeq) {
  for (uint64_t seed = 1; seed <= 20; ++seed) check_random_mix(seed, 2000, 0.45);
}

TEST(EventQueue, LargeQueueLeavesInOrder) {
  for (uint64_t seed = 1; seed <= 5; ++seed) check_random_mix(seed, 3000, 0.1);
}

// Every fill level, with keys pushed latest first, so that every push goes
// to the back and every pop takes the back.
TEST(EventQueue, DrainsInOrderFromEverySize) {
  for (uint32_t count = 1; count <= 40; ++count) {
    EventQueue queue(100);
    for (uint32_t i = count; i-- > 0;) queue.push({.time_us = i, .seq = i, .slot = i});
    for (uint32_t i = 0; i < count; ++i) ASSERT_EQ(queue.pop().slot, i) << "of " << count;
    EXPECT_TRUE(queue.empty());
  }
}

// A burst makes the queue a heap and draining sorts it again; keys pushed
// while it is a heap, and around both switches, still leave in order.
TEST(EventQueue, BurstsSwitchToAHeapAndBack) {
  EventQueue queue(100'000);
  uint64_t seq = 0;
  auto push = [&](int64_t time_us) {
    queue.push({.time_us = time_us, .seq = seq, .slot = static_cast<uint32_t>(seq)});
    ++seq;
  };
  Key last{.time_us = -1};
  auto pop_in_order = [&] {
    const Key key = queue.pop();
    EXPECT_TRUE(earlier(last, key));
    last = key;
  };
  for (int round = 0; round < 3; ++round) {
    const int64_t now_us = last.time_us + 1;
    for (int i = 0; i < 1000; ++i) push(now_us + (i * 7919) % 500);
    EXPECT_TRUE(queue.heap());
    for (int i = 0; i < 990; ++i) {
      pop_in_order();
      if (i % 3 == 0) push(last.time_us + 250);  // later than most still pending
    }
    EXPECT_TRUE(queue.heap());  // 340 pending
    while (queue.size() > 32) pop_in_order();
    EXPECT_FALSE(queue.heap());
    for (int i = 0; i < 10; ++i) push(last.time_us + 1 + i % 4);  // sorted again
    while (queue.size() > 20) pop_in_order();
  }
  while (!queue.empty()) pop_in_order();
}

TEST(EventQueue, EqualTimesLeaveInOrderOfSeq) {
  EventQueue queue(100);
  // Pushed in an order unlike their seqs, all at one time but one earlier.
  const uint64_t seqs[] = {7, 3, 9, 1, 8, 2, 6, 0, 5, 4};
  for (uint64_t seq : seqs) {
    queue.push({.time_us = 50, .seq = seq, .slot = static_cast<uint32_t>(100 + seq)});
  }
  queue.push({.time_us = 49, .seq = 10, .slot = 1});
  EXPECT_EQ(queue.pop().slot, 1u);
  for (uint32_t seq = 0; seq < 10; ++seq) EXPECT_EQ(queue.pop().slot, 100 + seq);
  EXPECT_TRUE(queue.empty());
}

TEST(EventQueue, EmptiedQueueTakesEventsAgain) {
  EventQueue queue(10);
  queue.push({.time_us = 5, .seq = 0, .slot = 1});
  EXPECT_EQ(queue.pop().slot, 1u);
  EXPECT_TRUE(queue.empty());
  queue.push({.time_us = 7, .seq = 1, .slot = 2});
  queue.push({.time_us = 6, .seq = 2, .slot = 3});
  EXPECT_EQ(queue.top().time_us, 6);
  EXPECT_EQ(queue.pop().slot, 3u);
  EXPECT_EQ(queue.pop().slot, 2u);
}

// pop_due takes the earliest key only when it is due, in the sorted array
// and in the heap alike, and leaves the queue untouched otherwise.
TEST(EventQueue, PopDueTakesOnlyWhatIsDue) {
  for (const uint32_t count : {3u, 300u}) {  // sorted, then a heap
    EventQueue queue(1000);
    for (uint32_t i = 0; i < count; ++i) {
      queue.push({.time_us = 10 + (i * 37) % count, .seq = i, .slot = i});
    }
    EXPECT_EQ(queue.heap(), count > 128);
    Key key{};
    EXPECT_FALSE(queue.pop_due(9, key));
    EXPECT_EQ(queue.size(), count);
    Key last{.time_us = -1};
    for (uint32_t n = 0; n < count; ++n) {
      ASSERT_TRUE(queue.pop_due(10 + count, key));
      EXPECT_TRUE(earlier(last, key));
      last = key;
    }
    EXPECT_FALSE(queue.pop_due(INT64_MAX, key));
    EXPECT_TRUE(queue.empty());
  }
}

TEST(EventQueueDeathTest, BoundOnPendingEventsAsserts) {
  EventQueue queue(3);
  queue.push({.time_us = 1, .seq = 0, .slot = 0});
  queue.push({.time_us = 1, .seq = 1, .slot = 1});
  queue.push({.time_us = 2, .seq = 2, .slot = 2});
  EXPECT_DEATH(queue.push({.time_us = 3, .seq = 3, .slot = 3}), "more than 3 events pending");
  queue.pop();  // a place is free again
  queue.push({.time_us = 3, .seq = 3, .slot = 3});
  EXPECT_EQ(queue.size(), 3u);
}

// The bound holds past the sorted array too, once a burst made it a heap.
TEST(EventQueueDeathTest, BoundHoldsInTheHeap) {
  EventQueue queue(200);
  for (uint32_t i = 0; i < 200; ++i) queue.push({.time_us = 200 - i, .seq = i, .slot = i});
  EXPECT_TRUE(queue.heap());
  EXPECT_DEATH(queue.push({.time_us = 1, .seq = 200, .slot = 200}), "more than 200 events pending");
  EXPECT_EQ(queue.pop().time_us, 1);
}

// Seq and slot share one word: values past their bits would mix up keys.
TEST(EventQueueDeathTest, SlotOrSeqOutOfRangeAsserts) {
  EventQueue queue(10);
  EXPECT_DEATH(queue.push({.time_us = 1, .seq = 0, .slot = EventQueue::kSlotsMax}), "out of range");
  EXPECT_DEATH(queue.push({.time_us = 1, .seq = EventQueue::kSeqsMax, .slot = 0}), "out of range");
  queue.push({.time_us = 1, .seq = EventQueue::kSeqsMax - 1, .slot = EventQueue::kSlotsMax - 1});
  const EventQueue::Key key = queue.pop();
  EXPECT_EQ(key.seq, EventQueue::kSeqsMax - 1);
  EXPECT_EQ(key.slot, EventQueue::kSlotsMax - 1);
}

}  // namespace
}  // namespace ordeal::exchange
