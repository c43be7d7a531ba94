// The standalone proxy's TOML config: see proxy_config.h. Each [[proxy]] and
// [[proxy.fault]] table goes through the same JSON reader as the control
// API, so a field means the same and is checked the same in both.
#include "faults/proxy/proxy_config.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <fstream>
#include <sstream>

#include "faults/proxy/proxy_json.h"

namespace ordeal::proxy {
namespace {

using nlohmann::json;

json as_json(const toml::table& table) {
  std::ostringstream out;
  out << toml::json_formatter{table};
  return json::parse(out.str());
}

std::string where(const std::string& path, const toml::node& node) {
  return fmt::format("{}:{}", path, node.source().begin.line);
}

// One [[proxy]] table: its options, then its [[proxy.fault]] tables.
std::string read_proxy(const toml::table& table, const std::string& path, ProxyConfig& config) {
  toml::table options_table = table;
  options_table.erase("fault");
  ProxyOptions options;
  if (std::string e = options_from_json(as_json(options_table), options); !e.empty())
    return fmt::format("{}: [[proxy]]: {}", where(path, table), e);
  const toml::node* faults = table.get("fault");
  if (faults && !faults->is_array_of_tables())
    return fmt::format("{}: [[proxy]] '{}': field 'fault': expected [[proxy.fault]] tables",
                       where(path, *faults), options.name);
  if (faults) {
    for (const toml::node& node : *faults->as_array()) {
      ProxyFault fault;
      if (std::string e = fault_from_json(as_json(*node.as_table()), fault); !e.empty())
        return fmt::format("{}: [[proxy.fault]] of '{}': {}", where(path, node), options.name, e);
      config.faults.emplace_back(options.name, std::move(fault));
    }
  }
  config.proxies.push_back(std::move(options));
  return {};
}

std::string read_root(const toml::table& root, const std::string& path, ProxyConfig& config) {
  for (const auto& [key, node] : root) {
    const std::string_view name = key.str();
    if (name == "seed" && node.is_integer()) {
      config.seed = static_cast<uint64_t>(node.as_integer()->get());
    } else if (name == "api" && node.is_string()) {
      config.api = node.as_string()->get();
    } else if (name == "proxy" && node.is_array_of_tables()) {
      for (const toml::node& proxy : *node.as_array()) {
        if (std::string e = read_proxy(*proxy.as_table(), path, config); !e.empty()) return e;
      }
    } else {
      return fmt::format(
          "{}: field '{}': unknown or of the wrong type (known: seed = integer, "
          "api = \"host:port\", [[proxy]] tables)",
          where(path, node), name);
    }
  }
  return {};
}

}  // namespace

ProxyConfig parse_proxy_config(std::string_view toml_text, const std::string& path) {
  ProxyConfig config;
  try {
    const toml::table root = toml::parse(toml_text, path);
    config.error = read_root(root, path, config);
  } catch (const toml::parse_error& e) {
    config.error = fmt::format("{}:{}: {}", path, e.source().begin.line, e.description());
  }
  return config;
}

ProxyConfig load_proxy_config(const std::string& path) {
  std::ifstream file(path);
  if (!file) return {.error = fmt::format("{}: cannot be read", path)};
  std::ostringstream text;
  text << file.rdbuf();
  return parse_proxy_config(text.str(), path);
}

}  // namespace ordeal::proxy
