// The control API's routes: see control_routes.h.
#include "faults/proxy/control_routes.h"

#include <fmt/format.h>

#include <vector>

#include "faults/proxy/proxy_json.h"

namespace ordeal::proxy {
namespace {

using nlohmann::json;

HttpReply error_reply(int status, std::string_view message) {
  return {status, json{{"error", message}}.dump()};
}

int status_of(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::none:
      return 200;
    case ErrorKind::bad_input:
      return 400;
    case ErrorKind::not_found:
      return 404;
    case ErrorKind::conflict:
      return 409;
    case ErrorKind::unavailable:
      return 503;
  }
  return 500;
}

template <typename T, typename Render>
HttpReply reply(const Result<T>& result, int ok_status, Render render) {
  if (!result) return error_reply(status_of(result.error.kind), result.error.message);
  return {ok_status, render(result.value).dump()};
}

// Splits "/a/b/c?x" into {"a", "b", "c"}; the query is ignored.
std::vector<std::string_view> path_parts(std::string_view target) {
  target = target.substr(0, target.find('?'));
  std::vector<std::string_view> parts;
  while (!target.empty() && parts.size() < 8) {
    if (target.front() == '/') {
      target.remove_prefix(1);
      continue;
    }
    const size_t end = std::min(target.find('/'), target.size());
    parts.push_back(target.substr(0, end));
    target.remove_prefix(end);
  }
  return parts;
}

// The body as JSON, or a reply explaining where it stopped parsing.
std::optional<HttpReply> parse_body(std::string_view body, json& out) {
  try {
    out = json::parse(body);
    return std::nullopt;
  } catch (const json::parse_error& e) {
    return error_reply(400,
                       fmt::format("body is not valid JSON (at byte {}): {}", e.byte, e.what()));
  }
}

HttpReply create_proxy(FaultProxy& proxy, std::string_view body) {
  json request;
  if (auto bad = parse_body(body, request)) return *bad;
  ProxyOptions options;
  if (std::string error = options_from_json(request, options); !error.empty())
    return error_reply(400, error);
  return reply(proxy.add_proxy(options), 201, [](const ProxyState& s) { return to_json(s); });
}

HttpReply add_fault(FaultProxy& proxy, std::string_view name, std::string_view body) {
  json request;
  if (auto bad = parse_body(body, request)) return *bad;
  ProxyFault fault;
  if (std::string error = fault_from_json(request, fault); !error.empty())
    return error_reply(400, error);
  return reply(proxy.add_fault(name, fault), 201, [](const FaultState& s) { return to_json(s); });
}

HttpReply list_proxies(FaultProxy& proxy) {
  return reply(proxy.proxies(), 200, [](const std::vector<ProxyState>& states) {
    json out = json::array();
    for (const ProxyState& state : states) out.push_back(to_json(state));
    return out;
  });
}

json done_json(const Done&) { return json{{"ok", true}}; }

HttpReply route_proxy(FaultProxy& proxy, std::string_view method,
                      const std::vector<std::string_view>& parts, std::string_view body) {
  const std::string_view name = parts[1];
  if (parts.size() == 2 && method == "GET")
    return reply(proxy.proxy(name), 200, [](const ProxyState& s) { return to_json(s); });
  if (parts.size() == 2 && method == "DELETE")
    return reply(proxy.remove_proxy(name), 200, done_json);
  if (parts.size() == 3 && parts[2] == "faults" && method == "GET")
    return reply(proxy.proxy(name), 200, [](const ProxyState& s) { return to_json(s)["faults"]; });
  if (parts.size() == 3 && parts[2] == "faults" && method == "POST")
    return add_fault(proxy, name, body);
  if (parts.size() == 4 && parts[2] == "faults" && method == "DELETE")
    return reply(proxy.remove_fault(name, parts[3]), 200, done_json);
  return error_reply(404, fmt::format("no route for {} /proxies/{}/...", method, name));
}

}  // namespace

HttpReply route(FaultProxy& proxy, std::string_view method, std::string_view target,
                std::string_view body) {
  const std::vector<std::string_view> parts = path_parts(target);
  if (parts.size() == 1 && parts[0] == "reset" && method == "POST")
    return reply(proxy.heal_all(), 200, done_json);
  if (parts.size() == 1 && parts[0] == "proxies" && method == "GET") return list_proxies(proxy);
  if (parts.size() == 1 && parts[0] == "proxies" && method == "POST")
    return create_proxy(proxy, body);
  if (parts.size() >= 2 && parts[0] == "proxies") return route_proxy(proxy, method, parts, body);
  return error_reply(404, fmt::format("no route for {} {}", method, target));
}

}  // namespace ordeal::proxy
