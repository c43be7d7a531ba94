// FIX framing over a byte stream: see fix_framer.h.
#include "faults/proxy/fix_framer.h"

#include <charconv>

namespace ordeal::proxy {
namespace {

constexpr char kSoh = '\x01';
constexpr std::string_view kBeginMarker = "8=FIX";
constexpr size_t kTrailerBytes = 7;  // "10=nnn" and SOH
constexpr size_t kHeaderBytesMax = 64;
// Split in two literals: "\x0135" would read as one hex escape.
constexpr std::string_view kMsgTypeTag =
    "\x01"
    "35=";

// Where a message could start at or after `from`: "8=FIX", or a tail of the
// data that may become one once more bytes arrive.
size_t next_candidate(std::string_view data, size_t from) {
  const size_t found = data.find(kBeginMarker, from);
  if (found != std::string_view::npos) return found;
  const size_t keep = std::min(kBeginMarker.size() - 1, data.size() - from);
  for (size_t tail = keep; tail > 0; --tail) {
    if (kBeginMarker.starts_with(data.substr(data.size() - tail))) return data.size() - tail;
  }
  return data.size();
}

std::string_view field_value(std::string_view message, std::string_view tag_eq) {
  size_t at = message.find(tag_eq);
  if (at == std::string_view::npos) return {};
  at += tag_eq.size();
  const size_t end = message.find(kSoh, at);
  return end == std::string_view::npos ? std::string_view{} : message.substr(at, end - at);
}

}  // namespace

FixFramer::Scan FixFramer::scan_message(size_t& length, std::string& type) const {
  const std::string_view data = std::string_view(pending_).substr(start_);
  const size_t begin_end = data.find(kSoh);
  if (begin_end == std::string_view::npos)
    return data.size() > kHeaderBytesMax ? Scan::not_fix : Scan::need_more;
  const size_t length_end = data.find(kSoh, begin_end + 1);
  if (length_end == std::string_view::npos)
    return data.size() > kHeaderBytesMax ? Scan::not_fix : Scan::need_more;
  const std::string_view length_field = data.substr(begin_end + 1, length_end - begin_end - 1);
  if (!length_field.starts_with("9=")) return Scan::not_fix;
  size_t body_bytes = 0;
  const auto digits = length_field.substr(2);
  const auto [end, error] =
      std::from_chars(digits.data(), digits.data() + digits.size(), body_bytes);
  if (error != std::errc{} || end != digits.data() + digits.size() || digits.empty())
    return Scan::not_fix;
  const size_t total = length_end + 1 + body_bytes + kTrailerBytes;
  if (total > kFixMessageBytesMax) return Scan::not_fix;
  if (data.size() < total) return Scan::need_more;
  const std::string_view trailer = data.substr(total - kTrailerBytes, kTrailerBytes);
  if (!trailer.starts_with("10=") || trailer.back() != kSoh) return Scan::not_fix;
  length = total;
  type = std::string(field_value(data.substr(length_end, total - length_end), kMsgTypeTag));
  return Scan::message;
}

void FixFramer::emit_raw(size_t length, std::vector<FixPiece>& out) {
  if (length == 0) return;
  if (!out.empty() && !out.back().is_message) {
    out.back().bytes.append(pending_, start_, length);
  } else {
    out.push_back({.bytes = pending_.substr(start_, length)});
  }
  start_ += length;
}

void FixFramer::feed(std::string_view data, std::vector<FixPiece>& out) {
  pending_.append(data);
  // Each round emits at least one byte or stops: the loop ends within the data's size.
  while (start_ < pending_.size()) {
    const std::string_view rest = std::string_view(pending_).substr(start_);
    const size_t candidate = next_candidate(rest, 0);
    if (candidate > 0) {
      emit_raw(candidate, out);
      continue;
    }
    if (rest.size() < kBeginMarker.size()) break;  // a prefix of "8=FIX": wait
    size_t length = 0;
    std::string type;
    const Scan scan = scan_message(length, type);
    if (scan == Scan::need_more) break;
    if (scan == Scan::not_fix) {
      emit_raw(1, out);  // skip this "8": the next candidate is searched from the byte after
      continue;
    }
    out.push_back({.bytes = pending_.substr(start_, length), .type = type, .is_message = true});
    start_ += length;
  }
  compact();
}

void FixFramer::flush(std::vector<FixPiece>& out) {
  emit_raw(pending_.size() - start_, out);
  compact();
}

void FixFramer::compact() {
  pending_.erase(0, start_);
  start_ = 0;
}

}  // namespace ordeal::proxy
