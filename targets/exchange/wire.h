// The reference exchange's own binary framing, for live mode: every Message
// crosses a TCP link as one frame. The simulator needs none of this; the
// cluster's nodes and ordeal's client ports do.
//
//   std::string frame = wire::encode(from, message);   // length-prefixed
//   wire::Decoded d = wire::decode(frame_body);         // without the prefix
//   if (!d.error.empty()) drop the connection
//
// A frame is a little-endian u32 body length, then the body: the sender's
// node id (u16), the message's type index (u8), its fields in declaration
// order (integers little-endian, strings as u32 length + bytes), and a
// CRC-32 of all that (u32). The checksum is why a byte corrupted on a link
// (the fault proxy's `corrupt`, or a faulty middlebox) drops the connection
// instead of changing a price or a quantity in flight.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "targets/exchange/messages.h"

namespace ordeal::exchange::wire {

// A body longer than this is refused: a corrupt length must not make a
// reader allocate gigabytes. Snapshots of large metadata states fit.
inline constexpr uint32_t kFrameBytesMax = 16u << 20;
inline constexpr size_t kLengthBytes = 4;

std::string encode(NodeId from, const Message& message);

struct Decoded {
  NodeId from = 0;
  Message message;
  std::string error;  // empty when the body was a valid frame
};

// Decodes one frame body (what follows the length prefix).
Decoded decode(std::string_view body);

// The CRC-32 a body ends with, over the bytes before it.
uint32_t checksum(std::string_view bytes);
inline constexpr size_t kChecksumBytes = 4;

// The body length announced by a frame's first kLengthBytes bytes.
uint32_t body_length(const char* prefix);

}  // namespace ordeal::exchange::wire
