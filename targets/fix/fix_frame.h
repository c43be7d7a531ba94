// Where one FIX message ends in a byte stream: "8=...|9=<body length>|",
// the body, then "10=nnn|". Used by the FIX socket layer to cut what it
// reads into messages without copying the stream around; the session
// checks the checksum and everything else. Valid C++14 and C++20.
//
//   FixFrame frame = find_fix_frame(data, size);
//   if (frame.status == FixFrame::complete) deliver(data, frame.length);
//   if (frame.status == FixFrame::malformed) skip frame.length bytes;
#pragma once

#include <cstddef>

namespace ordeal {
namespace fix {

struct FixFrame {
  enum Status { incomplete, complete, malformed };
  Status status = incomplete;
  // complete: the message's length from the start of the data; malformed:
  // how many bytes to drop to reach the next "8=" that may start a message.
  size_t length = 0;
};

// A BodyLength above this is taken for garbage, not waited for.
constexpr size_t kFixBodyBytesMax = 1 << 20;

FixFrame find_fix_frame(const char* data, size_t size);

}  // namespace fix
}  // namespace ordeal
