#include "targets/exchange/seq_table.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "framework/base/rng.h"

namespace ordeal::exchange {
namespace {

TEST(SeqTable, FindsWhatWasAddedUntilErased) {
  SeqTable<std::string> table;
  table.emplace(5, "five");
  table.emplace(6, "six");
  ASSERT_NE(table.find(5), nullptr);
  EXPECT_EQ(*table.find(6), "six");
  EXPECT_EQ(table.find(4), nullptr);
  EXPECT_EQ(table.find(7), nullptr);
  table.erase(6);  // a later entry first: the earlier one stays
  EXPECT_EQ(table.find(6), nullptr);
  EXPECT_EQ(*table.find(5), "five");
  EXPECT_EQ(table.size(), 1u);
  table.erase(5);
  EXPECT_EQ(table.size(), 0u);
  table.emplace(9, "nine");  // gaps are allowed
  EXPECT_EQ(table.find(8), nullptr);
  EXPECT_EQ(*table.find(9), "nine");
}

// A restart numbers requests afresh, far past the old ones.
TEST(SeqTable, ClearAllowsANewNumbering) {
  SeqTable<std::string> table;
  table.emplace(5, "five");
  table.clear();
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(table.find(5), nullptr);
  table.emplace(uint64_t{1} << 40, "after the restart");
  EXPECT_EQ(*table.find(uint64_t{1} << 40), "after the restart");
}

// Against a std::map under random adds and erases, through many wraps and
// growths of the ring.
TEST(SeqTable, AgreesWithAMap) {
  SeqTable<uint64_t> table;
  std::map<uint64_t, uint64_t> model;
  Rng rng(3);
  uint64_t next_id = 1;
  for (int step = 0; step < 20'000; ++step) {
    if (rng.chance(0.5) || model.empty()) {
      next_id += rng.chance(0.1) ? 3 : 1;
      table.emplace(next_id, next_id * 7);
      model[next_id] = next_id * 7;
    } else {
      // Mostly the oldest (as timeouts do), sometimes any.
      auto it = rng.chance(0.6) ? model.begin() : model.lower_bound(rng.between(1, next_id));
      if (it == model.end()) it = model.begin();
      table.erase(it->first);
      model.erase(it);
    }
    ASSERT_EQ(table.size(), model.size());
    // The oldest entry is the map's first (request timeouts expire from there).
    ASSERT_EQ(table.oldest() != nullptr, !model.empty());
    if (!model.empty()) {
      ASSERT_EQ(table.oldest_id(), model.begin()->first);
      ASSERT_EQ(*table.oldest(), model.begin()->second);
    }
    const uint64_t probe = static_cast<uint64_t>(rng.between(0, next_id + 1));
    const auto found = model.find(probe);
    uint64_t* got = table.find(probe);
    ASSERT_EQ(got != nullptr, found != model.end()) << probe;
    if (got != nullptr) {
      ASSERT_EQ(*got, found->second);
    }
  }
}

}  // namespace
}  // namespace ordeal::exchange
