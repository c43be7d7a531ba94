// Finds whole FIX messages in a TCP byte stream, for faults that act only on
// chosen message types.
//
// A message is 8=BeginString|9=BodyLength|...|10=nnn| with SOH separators;
// BodyLength counts the bytes after the 9= field up to the 10= field. Bytes
// that are not part of a well-formed message pass through as non-FIX pieces,
// untouched and in order. A message split across reads is held until whole
// (up to kFixMessageBytesMax; a longer claimed length is not taken as FIX).
//
//   FixFramer framer;
//   std::vector<FixPiece> pieces;
//   framer.feed(chunk, pieces);   // zero or more whole pieces, in stream order
//   framer.flush(pieces);         // at end of stream: whatever is held, as non-FIX
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ordeal::proxy {

inline constexpr size_t kFixMessageBytesMax = 1 << 20;

struct FixPiece {
  std::string bytes;
  std::string type;  // the 35= value; empty for non-FIX bytes
  bool is_message = false;
};

class FixFramer {
 public:
  void feed(std::string_view data, std::vector<FixPiece>& out);
  void flush(std::vector<FixPiece>& out);
  size_t held_bytes() const { return pending_.size() - start_; }

 private:
  enum class Scan { message, not_fix, need_more };
  Scan scan_message(size_t& length, std::string& type) const;
  void emit_raw(size_t length, std::vector<FixPiece>& out);
  void compact();

  std::string pending_;
  size_t start_ = 0;  // pending_[0, start_) has been emitted already
};

}  // namespace ordeal::proxy
