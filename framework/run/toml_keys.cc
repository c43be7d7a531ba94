#include "framework/run/toml_keys.h"

#include <fmt/format.h>

namespace ordeal {

std::string unknown_key_error(const toml::table& table, const std::set<std::string>& known,
                              std::string_view section, const std::string& path) {
  for (const auto& [key, node] : table) {
    if (known.contains(std::string(key.str()))) continue;
    return fmt::format("{}:{}: unknown key '{}'{} (known keys: {})", path, key.source().begin.line,
                       key.str(), section.empty() ? "" : fmt::format(" in [{}]", section),
                       fmt::join(known, ", "));
  }
  return "";
}

int key_line(const toml::table& table, std::string_view key) {
  const toml::node* node = table.get(key);
  return static_cast<int>((node != nullptr ? node->source() : table.source()).begin.line);
}

}  // namespace ordeal
