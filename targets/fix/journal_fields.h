// The FIX port's journal entries (clordid_chains.h, report_sessions.h):
// text fields, each ended by SOH, the last of an entry by STX instead; a
// record holds one entry, or several (a snapshot). FIX values and session
// names never hold either character.
//
//   std::string e = fmt::format("{}{}{}{}", client, kFieldEnd, session, kEntryEnd);
//   ClientId client;
//   auto session = take_client(record, client) ? take(record, kEntryEnd) : std::nullopt;
#pragma once

#include <charconv>
#include <optional>
#include <string_view>

#include "targets/exchange/types.h"

namespace ordeal::fix {

inline constexpr char kFieldEnd = '\x01';
inline constexpr char kEntryEnd = '\x02';

// Takes the text before `end` off the front of `record` (and the `end`);
// nullopt when `end` is not there.
inline std::optional<std::string_view> take(std::string_view& record, char end) {
  const size_t at = record.find(end);
  if (at == std::string_view::npos) return std::nullopt;
  const std::string_view field = record.substr(0, at);
  record.remove_prefix(at + 1);
  return field;
}

// Takes a leading client id field; false when it is not a whole number.
inline bool take_client(std::string_view& record, exchange::ClientId& client) {
  const std::optional<std::string_view> field = take(record, kFieldEnd);
  if (!field) return false;
  const auto parsed = std::from_chars(field->data(), field->data() + field->size(), client);
  return parsed.ec == std::errc{} && parsed.ptr == field->data() + field->size();
}

}  // namespace ordeal::fix
