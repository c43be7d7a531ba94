#include "targets/fix/fix_uri.h"

#include <fmt/format.h>

#include <charconv>

namespace ordeal::fix {
namespace {

constexpr std::string_view kScheme = "fix://";

bool parse_number(std::string_view text, int low, int high, int& out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size() && out >= low && out <= high;
}

// A CompID: printable ASCII without the FIX delimiter or '=' (which QuickFIX
// would split on), at most 64 characters.
bool valid_comp_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (c <= ' ' || c > '~' || c == '=' || c == '&') return false;
  }
  return true;
}

bool set_option(FixUri& uri, std::string_view name, std::string_view value, std::string& error) {
  if (name == "version") {
    if (value != "FIX.4.2" && value != "FIX.4.4") {
      error = fmt::format("version={}: expected FIX.4.2 or FIX.4.4", value);
      return false;
    }
    uri.version = value;
  } else if (name == "sender" || name == "target") {
    if (!valid_comp_id(value)) {
      error = fmt::format("{}={}: expected a CompID (1-64 printable characters)", name, value);
      return false;
    }
    (name == "sender" ? uri.sender : uri.target) = value;
  } else if (name == "heartbeat") {
    if (!parse_number(value, 1, 3600, uri.heartbeat_s)) {
      error = fmt::format("heartbeat={}: expected seconds from 1 to 3600", value);
      return false;
    }
  } else if (name == "reset" || name == "mass_status") {
    if (value != "Y" && value != "N") {
      error = fmt::format("{}={}: expected Y or N", name, value);
      return false;
    }
    (name == "reset" ? uri.reset : uri.mass_status) = value == "Y";
  } else {
    error = fmt::format(
        "unknown option '{}' (expected version, sender, target, heartbeat, reset, mass_status)",
        name);
    return false;
  }
  return true;
}

bool parse_query(FixUri& uri, std::string_view query, std::string& error) {
  constexpr int kOptionsMax = 16;
  for (int i = 0; i < kOptionsMax && !query.empty(); ++i) {
    const size_t amp = query.find('&');
    const std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      error = fmt::format("option '{}': expected NAME=VALUE", item);
      return false;
    }
    if (!set_option(uri, item.substr(0, eq), item.substr(eq + 1), error)) return false;
  }
  if (!query.empty()) {
    error = "too many options";
    return false;
  }
  return true;
}

}  // namespace

bool is_fix_uri(std::string_view text) { return text.substr(0, kScheme.size()) == kScheme; }

std::optional<FixUri> parse_fix_uri(std::string_view text, std::string& error) {
  if (!is_fix_uri(text)) {
    error = "expected fix://HOST:PORT?version=...&sender=...&target=...";
    return std::nullopt;
  }
  std::string_view rest = text.substr(kScheme.size());
  const size_t question = rest.find('?');
  const std::string_view authority = rest.substr(0, question);
  const size_t colon = authority.rfind(':');
  FixUri uri;
  if (colon == std::string_view::npos || colon == 0) {
    error = fmt::format("'{}': expected HOST:PORT", authority);
    return std::nullopt;
  }
  uri.host = authority.substr(0, colon);
  if (uri.host.size() > 2 && uri.host.front() == '[' && uri.host.back() == ']') {
    uri.host = uri.host.substr(1, uri.host.size() - 2);  // [::1]
  }
  if (!parse_number(authority.substr(colon + 1), 1, 65535, uri.port)) {
    error = fmt::format("port '{}': expected 1 to 65535", authority.substr(colon + 1));
    return std::nullopt;
  }
  const std::string_view query =
      question == std::string_view::npos ? std::string_view() : rest.substr(question + 1);
  if (!parse_query(uri, query, error)) return std::nullopt;
  for (const char* required : {"version", "sender", "target"}) {
    const std::string& value = std::string_view(required) == "version"  ? uri.version
                               : std::string_view(required) == "sender" ? uri.sender
                                                                        : uri.target;
    if (value.empty()) {
      error = fmt::format("missing option {}=", required);
      return std::nullopt;
    }
  }
  // OrderMassStatusRequest came with FIX 4.3: a FIX 4.2 venue has none.
  if (uri.mass_status && uri.version != "FIX.4.4") {
    error = fmt::format(
        "mass_status=Y: OrderMassStatusRequest (AF) is not in {}; expected "
        "version=FIX.4.4 or mass_status=N",
        uri.version);
    return std::nullopt;
  }
  return uri;
}

}  // namespace ordeal::fix
