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

// Pushes events of several lanes (each in order) and loose ones, popping now
// and then, and checks every pop against the earliest key still pending.
void check_random_mix(uint64_t seed, int lanes_count, int events_count) {
  Rng rng(seed);
  EventQueue queue(100'000);
  std::vector<uint32_t> lanes;
  std::vector<int64_t> lane_last_us;
  for (int i = 0; i < lanes_count; ++i) {
    lanes.push_back(queue.add_lane());
    lane_last_us.push_back(0);
  }
  std::vector<Key> pending;  // the reference
  uint64_t seq = 0;
  // False on the first wrong pop, so that a broken queue ends the test.
  auto pop_and_check = [&] {
    auto earliest = std::min_element(pending.begin(), pending.end(), earlier);
    const uint32_t expected = earliest->slot;
    pending.erase(earliest);
    const uint32_t slot = queue.pop();
    EXPECT_EQ(slot, expected);
    return slot == expected;
  };
  for (int n = 0; n < events_count; ++n) {
    const int pick = static_cast<int>(rng.between(-1, lanes_count - 1));
    Key key{.time_us = rng.between(0, 300), .seq = seq++, .slot = static_cast<uint32_t>(n)};
    uint32_t lane = EventQueue::kNoLane;
    if (pick >= 0) {  // a lane's times never go down; equal times are common
      key.time_us = lane_last_us[pick] += rng.between(0, 1);
      lane = lanes[pick];
    }
    queue.push(key, lane);
    pending.push_back(key);
    ASSERT_EQ(queue.size(), pending.size());
    if (rng.chance(0.45) && !pop_and_check()) return;
  }
  while (!pending.empty()) {
    if (!pop_and_check()) return;
  }
  EXPECT_EQ(seq, static_cast<uint64_t>(events_count));
  EXPECT_TRUE(queue.empty());
}

TEST(EventQueue, LanesAndLooseEventsLeaveInOrderOfTimeThenSeq) {
  for (uint64_t seed = 1; seed <= 20; ++seed) check_random_mix(seed, 5, 2000);
}

TEST(EventQueue, OneLaneGrowsAndWrapsAround) {
  EventQueue queue(100'000);
  const uint32_t lane = queue.add_lane();
  uint64_t seq = 0;
  uint32_t next_out = 0;
  // Keep between 5 and 55 events in the lane, so that its ring grows and wraps.
  for (uint32_t n = 0; n < 1000; ++n) {
    queue.push({.time_us = n / 3, .seq = seq++, .slot = n}, lane);
    if (n % 50 == 0) {
      while (queue.size() > 5) ASSERT_EQ(queue.pop(), next_out++);
    }
  }
  while (!queue.empty()) ASSERT_EQ(queue.pop(), next_out++);
  EXPECT_EQ(next_out, 1000u);
}

TEST(EventQueue, EmptiedLaneTakesEventsAgain) {
  EventQueue queue(10);
  const uint32_t lane = queue.add_lane();
  queue.push({.time_us = 5, .seq = 0, .slot = 1}, lane);
  EXPECT_FALSE(queue.lane_empty(lane));
  EXPECT_EQ(queue.pop(), 1u);
  EXPECT_TRUE(queue.lane_empty(lane));
  queue.push({.time_us = 7, .seq = 1, .slot = 2}, lane);
  queue.push({.time_us = 6, .seq = 2, .slot = 3}, EventQueue::kNoLane);
  EXPECT_EQ(queue.pop(), 3u);
  EXPECT_EQ(queue.pop(), 2u);
}

TEST(EventQueueDeathTest, LaneOutOfOrderAsserts) {
  EventQueue queue(10);
  const uint32_t lane = queue.add_lane();
  queue.push({.time_us = 5, .seq = 0, .slot = 0}, lane);
  EXPECT_DEATH(queue.push({.time_us = 4, .seq = 1, .slot = 1}, lane), "out of order");
}

TEST(EventQueueDeathTest, BoundOnPendingEventsAsserts) {
  EventQueue queue(3);
  const uint32_t lane = queue.add_lane();
  queue.push({.time_us = 1, .seq = 0, .slot = 0}, lane);
  queue.push({.time_us = 1, .seq = 1, .slot = 1}, EventQueue::kNoLane);
  queue.push({.time_us = 2, .seq = 2, .slot = 2}, lane);
  EXPECT_DEATH(queue.push({.time_us = 3, .seq = 3, .slot = 3}, EventQueue::kNoLane),
               "more than 3 events pending");
  queue.pop();  // a place is free again
  queue.push({.time_us = 3, .seq = 3, .slot = 3}, EventQueue::kNoLane);
  EXPECT_EQ(queue.size(), 3u);
}

}  // namespace
}  // namespace ordeal::exchange
