#include "targets/fix/fix_frame.h"

#include <gtest/gtest.h>

#include <string>

namespace ordeal::fix {
namespace {

// A message with a correct BodyLength (the checksum is not the framer's business).
std::string message(const std::string& body) {
  return "8=FIX.4.4\x01"
         "9=" +
         std::to_string(body.size()) + "\x01" + body + "10=123\x01";
}

FixFrame frame_of(const std::string& data) { return find_fix_frame(data.data(), data.size()); }

TEST(FixFrame, FindsOneMessageAndWaitsForTheRest) {
  const std::string one = message(
      "35=0\x01"
      "34=2\x01");
  const std::string stream = one + message("35=D\x01");
  const FixFrame first = frame_of(stream);
  EXPECT_EQ(first.status, FixFrame::complete);
  EXPECT_EQ(first.length, one.size());
  for (size_t cut = 0; cut < one.size(); ++cut) {
    EXPECT_EQ(frame_of(one.substr(0, cut)).status, FixFrame::incomplete) << cut;
  }
}

TEST(FixFrame, SkipsGarbageToTheNextMessage) {
  const std::string garbage = "xx9=1\x01";
  const FixFrame skip = frame_of(garbage + message("35=0\x01"));
  EXPECT_EQ(skip.status, FixFrame::malformed);
  EXPECT_EQ(skip.length, garbage.size());
}

TEST(FixFrame, ABodyLengthThatDoesNotEndAtTheChecksumIsMalformed) {
  std::string wrong = message("35=0\x01");
  wrong[wrong.find("9=") + 2] = '3';  // 9=3 instead of 9=5
  const FixFrame frame = frame_of(wrong + message("35=1\x01"));
  EXPECT_EQ(frame.status, FixFrame::malformed);
  EXPECT_EQ(frame.length, wrong.size());  // the next "8=" starts the next message
}

TEST(FixFrame, RefusesHugeOrNonNumericLengths) {
  const std::string bad[] = {
      "8=FIX.4.4\x01"
      "9=99999999\x01",
      "8=FIX.4.4\x01"
      "9=12a\x01",
      "8=FIX.4.4\x01"
      "35=0\x01",
      "8=FIX.4.4\x01"
      "9=\x01"};
  for (const std::string& data : bad) {
    const FixFrame frame = frame_of(data);
    EXPECT_EQ(frame.status, FixFrame::malformed) << data;
    EXPECT_GE(frame.length, 1u) << data;  // a reader always moves on
  }
  EXPECT_EQ(frame_of("8=FIX.4.4").status, FixFrame::incomplete);
}

}  // namespace
}  // namespace ordeal::fix
