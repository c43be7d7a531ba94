#include "faults/pin.h"

#include <gtest/gtest.h>

#include <vector>

namespace ordeal::faults {
namespace {

TEST(Pins, TextRoundTrips) {
  const std::vector<Pin> pins = {
      {.check = 3, .as = 3}, {.check = 9, .as = 10}, {.check = 12, .as = 12}};
  EXPECT_EQ(format_pins(pins), "3,9:10,12");
  EXPECT_EQ(parse_pins("3,9:10,12"), pins);
  EXPECT_EQ(parse_pins("4"), (std::vector<Pin>{{.check = 4, .as = 4}}));
}

TEST(Pins, BadTextIsRefused) {
  for (const char* text : {"", ",", "3,", ",3", "3,,4", "two", "3:", ":3", "0", "3,3", "5,4",
                           "1000001", "3:0", "-1", "3 4", "3:4:5"}) {
    EXPECT_FALSE(parse_pins(text).has_value()) << text;
  }
}

TEST(Pins, PinAtFindsTheCheck) {
  const std::vector<Pin> pins = {{.check = 3, .as = 3}, {.check = 9, .as = 10}};
  EXPECT_EQ(pin_at(pins, 9), &pins[1]);
  EXPECT_EQ(pin_at(pins, 3), &pins[0]);
  EXPECT_EQ(pin_at(pins, 4), nullptr);
  EXPECT_EQ(pin_at(pins, 10), nullptr);
  EXPECT_EQ(pin_at({}, 1), nullptr);
}

TEST(Pins, MergeKeepsChecksRisingAndTheFirstPinOfACheck) {
  std::vector<Pin> into = {{.check = 3, .as = 3}, {.check = 9, .as = 10}};
  const std::vector<Pin> from = {
      {.check = 1, .as = 1}, {.check = 9, .as = 9}, {.check = 12, .as = 4}};
  merge_pins(into, from);
  EXPECT_EQ(format_pins(into), "1,3,9:10,12:4");
  EXPECT_TRUE(valid_pins(into));
}

}  // namespace
}  // namespace ordeal::faults
