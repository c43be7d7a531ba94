#include "framework/history/string_table.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace ordeal {
namespace {

TEST(StringTable, GivesEachDistinctStringOneSym) {
  StringTable strings;
  EXPECT_EQ(strings.intern(""), 0u);
  EXPECT_EQ(strings.text(0), "");
  const Sym a = strings.intern("a");
  EXPECT_EQ(strings.intern("a"), a);
  EXPECT_NE(strings.intern("b"), a);
  EXPECT_EQ(strings.text(a), "a");
  EXPECT_EQ(strings.size(), 3u);
}

TEST(StringTable, FindsOnlyWhatWasInterned) {
  StringTable strings;
  EXPECT_EQ(strings.find(""), Sym{0});
  EXPECT_FALSE(strings.find("a").has_value());
  const Sym a = strings.intern("a");
  EXPECT_EQ(strings.find("a"), a);
  EXPECT_FALSE(strings.find("b").has_value());
  EXPECT_EQ(strings.size(), 2u);                                            // finding adds nothing
  for (int i = 0; i < 1'000; ++i) strings.intern("c" + std::to_string(i));  // grown
  EXPECT_EQ(strings.find("a"), a);
  EXPECT_EQ(strings.find("c999"), strings.intern("c999"));
  EXPECT_FALSE(strings.find("c1000").has_value());
}

// Enough strings to grow the table several times and fill many chunks, with
// one larger than a chunk in the middle: every Sym still reads back its text.
TEST(StringTable, KeepsEveryStringThroughGrowthAndLargeStrings) {
  StringTable strings;
  std::vector<Sym> syms;
  const std::string large(100'000, 'x');
  for (int i = 0; i < 50'000; ++i) {
    syms.push_back(strings.intern(i == 777 ? large : "c" + std::to_string(i)));
  }
  for (int i = 0; i < 50'000; ++i) {
    const std::string expected = i == 777 ? large : "c" + std::to_string(i);
    ASSERT_EQ(strings.text(syms[i]), expected);
    ASSERT_EQ(strings.intern(expected), syms[i]);
  }
  EXPECT_EQ(strings.size(), 50'001u);
}

// Every length around the hash's word sizes, and strings that differ in one
// byte only, at each place: each is its own string, found again.
TEST(StringTable, TellsApartStringsDifferingInAnyOneByte) {
  StringTable strings;
  std::vector<std::string> texts;
  for (size_t length = 1; length <= 24; ++length) {
    const std::string base(length, 'a');
    texts.push_back(base);
    for (size_t at = 0; at < length; ++at) {
      std::string changed = base;
      changed[at] = 'b';
      texts.push_back(changed);
    }
  }
  std::vector<Sym> syms;
  for (const std::string& text : texts) syms.push_back(strings.intern(text));
  EXPECT_EQ(strings.size(), texts.size() + 1);  // all distinct, and the empty string
  for (size_t i = 0; i < texts.size(); ++i) {
    ASSERT_EQ(strings.intern(texts[i]), syms[i]);
    ASSERT_EQ(strings.text(syms[i]), texts[i]);
  }
}

TEST(StringTable, CopiesKeepTheSymsAndTheirOwnText) {
  auto original = std::make_unique<StringTable>();
  const Sym a = original->intern("alpha");
  const Sym b = original->intern("beta");
  StringTable copy = *original;
  original.reset();
  EXPECT_EQ(copy.text(a), "alpha");
  EXPECT_EQ(copy.text(b), "beta");
  EXPECT_EQ(copy.intern("beta"), b);
  StringTable assigned;
  assigned.intern("other");
  assigned = copy;
  EXPECT_EQ(assigned.text(b), "beta");
  EXPECT_EQ(assigned.size(), copy.size());
}

}  // namespace
}  // namespace ordeal
