// Parsing of "host:port" addresses: see host_port.h.
#include "faults/proxy/host_port.h"

#include <fmt/format.h>

#include <charconv>

namespace ordeal::proxy {

std::optional<HostPort> parse_host_port(std::string_view text, std::string& error) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    error = fmt::format("'{}' is not host:port", text);
    return std::nullopt;
  }
  std::string_view host = text.substr(0, colon);
  if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
  const std::string_view port_text = text.substr(colon + 1);
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() || port > 65535 ||
      host.empty()) {
    error = fmt::format("'{}' is not host:port (port 0-65535)", text);
    return std::nullopt;
  }
  return HostPort{.host = std::string(host), .port = static_cast<uint16_t>(port)};
}

}  // namespace ordeal::proxy
