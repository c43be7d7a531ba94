#include "faults/proxy/fix_framer.h"

#include <gtest/gtest.h>

namespace ordeal::proxy {
namespace {

// A well-formed FIX message with the given type and body fields ('|' for SOH).
std::string fix_message(std::string_view type, std::string_view fields) {
  std::string body = "35=" + std::string(type) + "|" + std::string(fields);
  std::string message = "8=FIX.4.4|9=" + std::to_string(body.size()) + "|" + body + "10=123|";
  for (char& c : message) {
    if (c == '|') c = '\x01';
  }
  return message;
}

std::vector<FixPiece> frame_in_pieces(std::string_view stream, size_t piece_bytes) {
  FixFramer framer;
  std::vector<FixPiece> out;
  for (size_t at = 0; at < stream.size(); at += piece_bytes)
    framer.feed(stream.substr(at, piece_bytes), out);
  framer.flush(out);
  return out;
}

std::string joined(const std::vector<FixPiece>& pieces) {
  std::string out;
  for (const FixPiece& piece : pieces) out += piece.bytes;
  return out;
}

TEST(FixFramer, FindsWholeMessagesAndTheirTypes) {
  const std::string cancel = fix_message("F", "11=c1|41=o1|");
  const std::string amend = fix_message("G", "11=a1|38=5|");
  const auto pieces = frame_in_pieces(cancel + amend, 4096);
  ASSERT_EQ(pieces.size(), 2u);
  EXPECT_TRUE(pieces[0].is_message);
  EXPECT_EQ(pieces[0].type, "F");
  EXPECT_EQ(pieces[0].bytes, cancel);
  EXPECT_EQ(pieces[1].type, "G");
}

TEST(FixFramer, MessagesSplitAcrossReadsComeOutWhole) {
  const std::string stream =
      "junk" + fix_message("D", "11=o1|") + fix_message("F", "11=c1|") + "tail 8=FI";
  for (size_t piece_bytes = 1; piece_bytes <= stream.size(); ++piece_bytes) {
    const auto pieces = frame_in_pieces(stream, piece_bytes);
    ASSERT_EQ(joined(pieces), stream) << "piece size " << piece_bytes;
    std::vector<std::string> types;
    for (const FixPiece& piece : pieces) {
      if (piece.is_message) types.push_back(piece.type);
    }
    EXPECT_EQ(types, (std::vector<std::string>{"D", "F"})) << "piece size " << piece_bytes;
  }
}

TEST(FixFramer, NonFixBytesPassUntouched) {
  const std::string text = "GET / HTTP/1.1\r\n8=FIX but not a message\r\n";
  const auto pieces = frame_in_pieces(text, 7);
  EXPECT_EQ(joined(pieces), text);
  for (const FixPiece& piece : pieces) EXPECT_FALSE(piece.is_message);
}

TEST(FixFramer, AWrongTrailerIsNotAMessage) {
  std::string broken = fix_message("F", "11=c1|");
  broken[broken.size() - 7] = 'X';  // "10=" becomes "X0="
  const auto pieces = frame_in_pieces(broken, 4096);
  EXPECT_EQ(joined(pieces), broken);
  for (const FixPiece& piece : pieces) EXPECT_FALSE(piece.is_message);
}

TEST(FixFramer, AHugeClaimedLengthIsNotHeld) {
  const std::string claim =
      "8=FIX.4.4\x01"
      "9=99999999\x01"
      "35=D\x01";
  FixFramer framer;
  std::vector<FixPiece> out;
  framer.feed(claim, out);
  EXPECT_EQ(framer.held_bytes(), 0u);
  EXPECT_EQ(joined(out), claim);
}

}  // namespace
}  // namespace ordeal::proxy
