// The standalone proxy's TOML config: the proxies to start and the faults to
// put on them at start, with the seed and control API address.
//
//   seed = 7
//   api = "127.0.0.1:8474"
//   [[proxy]]
//   name = "gateway"
//   listen = "0.0.0.0:9878"
//   upstream = "staging-gw.internal:9878"
//   [[proxy.fault]]
//   kind = "latency"
//   latency_ms = 20
//
//   ProxyConfig config = load_proxy_config("proxies.toml");
//   if (!config) { std::cerr << config.error; }   // file:line: field ...
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "faults/proxy/fault_proxy.h"

namespace ordeal::proxy {

struct ProxyConfig {
  std::optional<uint64_t> seed;
  std::optional<std::string> api;
  std::vector<ProxyOptions> proxies;
  std::vector<std::pair<std::string, ProxyFault>> faults;  // (proxy name, fault)
  std::string error;
  explicit operator bool() const { return error.empty(); }
};

ProxyConfig load_proxy_config(const std::string& path);
ProxyConfig parse_proxy_config(std::string_view toml_text, const std::string& path);

}  // namespace ordeal::proxy
