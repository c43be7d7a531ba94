// The node pool: freed nodes are handed out again, containers built on it
// behave as with the standard allocator (also after their nodes were
// reused), and the free list is bounded.
#include "framework/base/node_pool.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <list>
#include <map>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace ordeal {
namespace {

// A node size no other test of this binary uses, so the counts are this test's.
struct Odd {
  char bytes[136];
};
using OddPool = NodePoolAllocator<Odd>;
using OddList = std::list<Odd, NodePoolAllocator<Odd>>;

#if !defined(__SANITIZE_ADDRESS__)
TEST(NodePool, AFreedNodeIsHandedOutAgain) {
  OddPool pool;
  const size_t kept_before = OddPool::FreeList::kept();
  Odd* first = pool.allocate(1);
  pool.deallocate(first, 1);
  EXPECT_EQ(OddPool::FreeList::kept(), kept_before + 1);
  Odd* second = pool.allocate(1);
  EXPECT_EQ(second, first);
  EXPECT_EQ(OddPool::FreeList::kept(), kept_before);
  pool.deallocate(second, 1);
}

TEST(NodePool, KeepsAtMostItsBound) {
  OddPool pool;
  std::vector<Odd*> nodes;
  for (size_t i = 0; i < kNodePoolFreeMax + 100; ++i) nodes.push_back(pool.allocate(1));
  for (Odd* node : nodes) pool.deallocate(node, 1);
  EXPECT_EQ(OddPool::FreeList::kept(), kNodePoolFreeMax);
}

TEST(NodePool, ArraysAreNotKept) {
  OddPool pool;
  const size_t kept_before = OddPool::FreeList::kept();
  pool.deallocate(pool.allocate(3), 3);
  EXPECT_EQ(OddPool::FreeList::kept(), kept_before);
}
#endif

// A map and a hash map whose nodes come back from the pool hold what was
// put in, not what the nodes held before: nothing leaks from a container
// that was dropped into one built after it.
TEST(NodePool, ContainersOnReusedNodesHoldOnlyTheirOwnEntries) {
  using Map = std::map<int, std::string, std::less<int>,
                       NodePoolAllocator<std::pair<const int, std::string>>>;
  using Hash = std::unordered_map<long, std::string, std::hash<long>, std::equal_to<long>,
                                  NodePoolAllocator<std::pair<const long, std::string>>>;
  for (int round = 0; round < 3; ++round) {
    Map map;
    Hash hash;
    EXPECT_TRUE(map.empty() && hash.empty()) << round;
    for (int i = 0; i < 200; ++i) {
      const std::string value = std::to_string(round * 1000 + i) + " a value too long for SSO";
      map.emplace(i * 7 % 200, value);
      hash.emplace(i, value);
    }
    ASSERT_EQ(map.size(), 200u);
    ASSERT_EQ(hash.size(), 200u);
    int expected_key = 0;
    for (const auto& [key, value] : map) EXPECT_EQ(key, expected_key++);
    for (int i = 0; i < 200; ++i) {
      EXPECT_EQ(hash.at(i), std::to_string(round * 1000 + i) + " a value too long for SSO");
    }
    for (int i = 0; i < 200; i += 2) hash.erase(i);
    EXPECT_EQ(hash.size(), 100u);
  }
}

// The order a hash map iterates in depends on its hashes and buckets, not on
// where its nodes lie: with reused nodes it is the standard allocator's.
TEST(NodePool, AHashMapIteratesAsWithTheStandardAllocator) {
  using Pooled =
      std::unordered_map<unsigned long, int, std::hash<unsigned long>, std::equal_to<unsigned long>,
                         NodePoolAllocator<std::pair<const unsigned long, int>>>;
  for (int round = 0; round < 2; ++round) {
    Pooled pooled;
    std::unordered_map<unsigned long, int> plain;
    for (unsigned long id = 0; id < 300; ++id) {
      const unsigned long key = (id * 2654435761u) % 100'003 + (uint64_t{3} << 40);
      pooled.emplace(key, round);
      plain.emplace(key, round);
      if (id % 5 == 0) {
        pooled.erase(key);
        plain.erase(key);
      }
    }
    std::vector<unsigned long> pooled_order, plain_order;
    for (const auto& entry : pooled) pooled_order.push_back(entry.first);
    for (const auto& entry : plain) plain_order.push_back(entry.first);
    EXPECT_EQ(pooled_order, plain_order) << round;
  }
}

// A node freed on another thread joins that thread's list; both threads'
// lists give their nodes back when the threads end.
TEST(NodePool, ANodeMayBeFreedOnAnotherThread) {
  auto* list = new OddList;
  std::thread maker([&] { list->push_back(Odd{}); });
  maker.join();
  std::thread dropper([&] { delete list; });
  dropper.join();
  OddList again;
  again.push_back(Odd{});
  EXPECT_EQ(again.size(), 1u);
}

}  // namespace
}  // namespace ordeal
