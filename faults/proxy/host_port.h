// "host:port" and "[v6-host]:port" addresses, as the proxy's options and API
// take them.
//
//   std::string error;
//   auto address = parse_host_port("127.0.0.1:9000", error);   // nullopt + error when bad
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ordeal::proxy {

struct HostPort {
  std::string host;
  uint16_t port = 0;
};

std::optional<HostPort> parse_host_port(std::string_view text, std::string& error);

}  // namespace ordeal::proxy
