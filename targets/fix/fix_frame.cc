#include "targets/fix/fix_frame.h"

#include <cstring>

namespace ordeal {
namespace fix {
namespace {

constexpr char kSoh = '\x01';
constexpr size_t kChecksumBytes = 7;  // "10=nnn" and its SOH

// Bytes to drop so that the data starts at the next "8=" after its first
// byte (or keeps only a last byte that may begin one).
FixFrame resync(const char* data, size_t size) {
  FixFrame frame;
  frame.status = FixFrame::malformed;
  for (size_t i = 1; i < size; ++i) {
    if (data[i] == '8' && (i + 1 == size || data[i + 1] == '=')) {
      frame.length = i;
      return frame;
    }
  }
  frame.length = size;
  return frame;
}

}  // namespace

FixFrame find_fix_frame(const char* data, size_t size) {
  FixFrame frame;
  if (size < 2) return frame;
  if (data[0] != '8' || data[1] != '=') return resync(data, size);
  const char* begin_end = static_cast<const char*>(std::memchr(data, kSoh, size));
  if (begin_end == nullptr) return size > 32 ? resync(data, size) : frame;
  size_t pos = static_cast<size_t>(begin_end - data) + 1;
  if (size < pos + 2) return frame;
  if (data[pos] != '9' || data[pos + 1] != '=') return resync(data, size);
  pos += 2;
  size_t body_bytes = 0;
  size_t digits = 0;
  for (; pos < size && data[pos] != kSoh; ++pos, ++digits) {
    if (data[pos] < '0' || data[pos] > '9' || digits >= 7) return resync(data, size);
    body_bytes = body_bytes * 10 + static_cast<size_t>(data[pos] - '0');
  }
  if (pos == size) return frame;
  if (digits == 0 || body_bytes > kFixBodyBytesMax) return resync(data, size);
  const size_t checksum_at = pos + 1 + body_bytes;
  if (size < checksum_at + kChecksumBytes) return frame;
  if (std::memcmp(data + checksum_at, "10=", 3) != 0 ||
      data[checksum_at + kChecksumBytes - 1] != kSoh) {
    return resync(data, size);
  }
  frame.status = FixFrame::complete;
  frame.length = checksum_at + kChecksumBytes;
  return frame;
}

}  // namespace fix
}  // namespace ordeal
