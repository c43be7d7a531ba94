#include "framework/base/string_hash.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <unordered_map>

namespace ordeal {
namespace {

TEST(StringHash, EqualStringsHashEqualWhateverTheirType) {
  const std::string owned = "BTC-USDT";
  EXPECT_EQ(hash_string(owned), hash_string(std::string_view("BTC-USDT")));
  EXPECT_EQ(StringHash{}(owned), StringHash{}("BTC-USDT"));
}

// Every length around the word boundaries, where the tail loads overlap:
// a change of any one byte, or of the length alone, changes the hash.
TEST(StringHash, EveryByteAndTheLengthCount) {
  for (size_t size = 0; size <= 24; ++size) {
    const std::string base(size, 'a');
    std::set<uint64_t> seen{hash_string(base), hash_string(base + '\0')};
    EXPECT_EQ(seen.size(), 2u) << "size " << size;
    for (size_t i = 0; i < size; ++i) {
      std::string changed = base;
      changed[i] = 'b';
      EXPECT_NE(hash_string(changed), hash_string(base)) << "size " << size << " byte " << i;
    }
  }
}

TEST(StringHash, OrderIdsSpreadOverBuckets) {
  std::set<uint64_t> low_bits;
  for (int client = 1; client <= 4; ++client) {
    for (int n = 1; n <= 64; ++n) {
      low_bits.insert(hash_string("c" + std::to_string(client) + "-" + std::to_string(n)) % 509);
    }
  }
  EXPECT_GT(low_bits.size(), 150u);  // 256 ids into 509 buckets
}

TEST(StringHash, LooksUpWithoutAString) {
  std::unordered_map<std::string, int, StringHash, std::equal_to<>> ids{{"BTC-USDT", 1}};
  auto found = ids.find(std::string_view("BTC-USDT"));
  ASSERT_NE(found, ids.end());
  EXPECT_EQ(found->second, 1);
  EXPECT_EQ(ids.find(std::string_view("ETH-USDT")), ids.end());
}

}  // namespace
}  // namespace ordeal
