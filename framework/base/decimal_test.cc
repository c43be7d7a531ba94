#include "framework/base/decimal.h"

#include <gtest/gtest.h>

namespace ordeal {
namespace {

struct Read {
  const char* text;
  int decimals;
  DecimalFit fit;
  int64_t units;
};

// Exact reads, and finer ones cut toward zero.
TEST(Decimal, ReadsWholeUnitsOfTheGivenDecimals) {
  const Read reads[] = {
      {"150.25", 3, DecimalFit::exact, 150'250}, {"7", 0, DecimalFit::exact, 7},
      {"0.0001", 4, DecimalFit::exact, 1},       {".5", 1, DecimalFit::exact, 5},
      {"5.", 2, DecimalFit::exact, 500},         {"-2.5", 1, DecimalFit::exact, -25},
      {"12.500", 1, DecimalFit::exact, 125},  // trailing zeros are no finer
      {"0.5", 0, DecimalFit::finer, 0},          {"2.999", 2, DecimalFit::finer, 299},
      {"-1.25", 1, DecimalFit::finer, -12}};
  for (const Read& read : reads) {
    int64_t units = -1;
    EXPECT_EQ(to_units(read.text, read.decimals, units), read.fit) << read.text;
    EXPECT_EQ(units, read.units) << read.text;
  }
}

TEST(Decimal, RefusesWhatIsNoDecimalNumber) {
  int64_t units = 0;
  for (const char* text : {"", "-", ".", "1e5", "+1", "1.2.3", " 1", "1,5", "abc", "0x10", "--1"}) {
    EXPECT_EQ(to_units(text, 2, units), DecimalFit::invalid) << text;
    EXPECT_EQ(decimals_of(text), -1) << text;
  }
  EXPECT_EQ(to_units("92233720368547758.08", 2, units), DecimalFit::invalid) << "past 64 bits";
  EXPECT_EQ(to_units("1", kDecimalsMax + 1, units), DecimalFit::invalid);
  EXPECT_EQ(to_units("9223372036854775807", 0, units), DecimalFit::exact);
  EXPECT_EQ(units, INT64_MAX);
}

TEST(Decimal, CountsTheDecimalsAValueNeeds) {
  EXPECT_EQ(decimals_of("0.01"), 2);
  EXPECT_EQ(decimals_of("0.050"), 2);
  EXPECT_EQ(decimals_of("100"), 0);
  EXPECT_EQ(decimals_of("100.000"), 0);
  EXPECT_EQ(decimals_of("-0.125"), 3);
}

TEST(Decimal, WritesUnitsBackAsTheVenueWouldReadThem) {
  EXPECT_EQ(from_units(150'250, 3), "150.25");
  EXPECT_EQ(from_units(3, 0), "3");
  EXPECT_EQ(from_units(1, 4), "0.0001");
  EXPECT_EQ(from_units(1000, 4), "0.1");
  EXPECT_EQ(from_units(0, 3), "0");
  EXPECT_EQ(from_units(-25, 1), "-2.5");
  EXPECT_EQ(from_units(INT64_MIN, 0), "-9223372036854775808");
  EXPECT_EQ(from_units(INT64_MIN, 18), "-9.223372036854775808");
}

TEST(Decimal, RoundTripsEveryValueItWrites) {
  for (int decimals = 0; decimals <= 6; ++decimals) {
    for (int64_t units : {int64_t{0}, int64_t{1}, int64_t{-7}, int64_t{10}, int64_t{123'456'789},
                          int64_t{1'000'000}, int64_t{-1'000'001}}) {
      int64_t back = 0;
      ASSERT_EQ(to_units(from_units(units, decimals), decimals, back), DecimalFit::exact);
      EXPECT_EQ(back, units) << units << " at " << decimals;
    }
  }
}

}  // namespace
}  // namespace ordeal
