// Fifo: entries leave in the order they came, also across the moments its
// vector drops the entries already taken, and it keeps its memory.
#include "framework/base/fifo.h"

#include <gtest/gtest.h>

#include <string>

namespace ordeal {
namespace {

TEST(Fifo, AllocatesNothingUntilTheFirstPush) {
  Fifo<std::string> fifo;
  EXPECT_TRUE(fifo.empty());
  EXPECT_EQ(fifo.size(), 0u);
  EXPECT_EQ(fifo.begin(), fifo.end());
}

// Pushes and pops interleaved so that it never empties: it drops what was
// taken while entries wait, and they still come out in order.
TEST(Fifo, KeepsOrderWhileNeverEmptying) {
  Fifo<std::string> fifo;
  int pushed = 0, popped = 0;
  for (int round = 0; round < 1000; ++round) {
    for (int i = 0; i < 3; ++i) fifo.push_back(std::to_string(pushed++) + " long enough for heap");
    for (int i = 0; i < 2; ++i) {
      ASSERT_EQ(fifo.front(), std::to_string(popped++) + " long enough for heap");
      fifo.pop_front();
    }
    ASSERT_EQ(fifo.size(), static_cast<size_t>(pushed - popped));
  }
  int expected = popped;
  for (const std::string& waiting : fifo) {
    EXPECT_EQ(waiting, std::to_string(expected++) + " long enough for heap");
  }
  EXPECT_EQ(expected, pushed);
  EXPECT_EQ(fifo.back(), std::to_string(pushed - 1) + " long enough for heap");
}

TEST(Fifo, EmptiedOrClearedItStartsAgainWithNothingLeftOver) {
  Fifo<int> fifo;
  for (int i = 0; i < 100; ++i) fifo.push_back(i);
  for (int i = 0; i < 100; ++i) fifo.pop_front();
  EXPECT_TRUE(fifo.empty());
  fifo.push_back(7);
  EXPECT_EQ(fifo.size(), 1u);
  EXPECT_EQ(fifo.front(), 7);
  fifo.push_back(8);
  fifo.clear();
  EXPECT_TRUE(fifo.empty());
  fifo.emplace_back(9);
  EXPECT_EQ(fifo.front(), 9);
  EXPECT_EQ(fifo.size(), 1u);
}

TEST(Fifo, SwapExchangesTheWaitingEntries) {
  Fifo<int> a, b;
  for (int i = 0; i < 40; ++i) a.push_back(i);
  for (int i = 0; i < 35; ++i) a.pop_front();  // past the point where it drops taken ones
  b.push_back(100);
  a.swap(b);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a.front(), 100);
  ASSERT_EQ(b.size(), 5u);
  EXPECT_EQ(b.front(), 35);
}

}  // namespace
}  // namespace ordeal
