// What scenario and repro files share: no key a reader does not know (a
// misspelt key read as "not given" would silently run something else than
// the file says), and errors that name the line of the key at fault.
//
//   if (auto error = unknown_key_error(table, {"at_ms", "kind"}, "case.metadata", path);
//       !error.empty()) return error;
//   fmt::format("{}:{}: case.fault.pins: ...", path, key_line(table, "pins"));
#pragma once

#include <toml++/toml.h>

#include <set>
#include <string>
#include <string_view>

namespace ordeal {

// The first key of `table` not in `known`, as "FILE:LINE: unknown key 'k' in
// [section] (known keys: ...)"; empty when every key is known.
std::string unknown_key_error(const toml::table& table, const std::set<std::string>& known,
                              std::string_view section, const std::string& path);

// The line of `key` in `table`, or the table's own (its [[...]] header, or
// its first key) when the key is not there: the line the user must edit.
int key_line(const toml::table& table, std::string_view key);

}  // namespace ordeal
