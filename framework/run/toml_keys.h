// The one check that scenario and repro files share: no key a reader does not
// know. A misspelt key read as "not given" would silently run something else
// than the file says.
//
//   if (auto error = unknown_key_error(table, {"at_ms", "kind"}, "case.metadata", path);
//       !error.empty()) return error;
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

}  // namespace ordeal
