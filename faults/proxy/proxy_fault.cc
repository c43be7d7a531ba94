// Names of fault kinds and directions, and validation of a fault's fields.
#include "faults/proxy/proxy_fault.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace ordeal::proxy {
namespace {

constexpr std::array kKinds = {FaultKind::latency,   FaultKind::bandwidth, FaultKind::slicing,
                               FaultKind::corrupt,   FaultKind::blackhole, FaultKind::drop,
                               FaultKind::half_open, FaultKind::reset};
constexpr std::array<std::string_view, kKinds.size()> kKindNames = {
    "latency", "bandwidth", "slicing", "corrupt", "blackhole", "drop", "half_open", "reset"};

constexpr int64_t kDelayMsMax = 600'000;
constexpr size_t kFixTypesMax = 32;
constexpr size_t kNameLengthMax = 64;

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

std::string check_range(std::string_view field, int64_t value, int64_t lo, int64_t hi) {
  if (value >= lo && value <= hi) return {};
  return fmt::format("field '{}': {} is outside [{}, {}]", field, value, lo, hi);
}

std::string check_fix_types(const ProxyFault& f) {
  const bool filterable =
      f.kind == FaultKind::latency || f.kind == FaultKind::corrupt || f.kind == FaultKind::drop;
  if (!f.fix_types.empty() && !filterable)
    return fmt::format(
        "field 'fix_types': kind '{}' acts on bytes, not FIX messages "
        "(only latency, corrupt and drop take fix_types)",
        kind_name(f.kind));
  if (f.kind == FaultKind::drop && f.fix_types.empty())
    return "field 'fix_types': kind 'drop' needs the FIX message types to drop "
           "(dropping raw bytes from a stream is what corrupt or blackhole do)";
  if (f.fix_types.size() > kFixTypesMax)
    return fmt::format("field 'fix_types': at most {} types", kFixTypesMax);
  for (const std::string& type : f.fix_types) {
    if (type.empty() || type.size() > 8 || type.find_first_of("=\x01") != std::string::npos)
      return fmt::format("field 'fix_types': '{}' is not a FIX MsgType (35=) value", type);
  }
  return {};
}

std::string check_parameters(const ProxyFault& f) {
  switch (f.kind) {
    case FaultKind::latency:
      if (auto e = check_range("latency_ms", f.latency_ms, 0, kDelayMsMax); !e.empty()) return e;
      return check_range("jitter_ms", f.jitter_ms, 0, kDelayMsMax);
    case FaultKind::bandwidth:
      return check_range("rate_bytes_per_s", f.rate_bytes_per_s, 1, int64_t{1} << 40);
    case FaultKind::slicing:
      if (auto e = check_range("slice_bytes", f.slice_bytes, 1, 1 << 20); !e.empty()) return e;
      return check_range("slice_delay_us", f.slice_delay_us, 0, 1'000'000);
    case FaultKind::corrupt:
      return check_range("corrupt_bytes", f.corrupt_bytes, 1, 1024);
    case FaultKind::reset:
      return check_range("reset_after_ms", f.reset_after_ms, 0, kDelayMsMax);
    case FaultKind::blackhole:
    case FaultKind::drop:
    case FaultKind::half_open:
      return {};
  }
  return "field 'kind': unknown kind";
}

}  // namespace

std::string_view kind_name(FaultKind kind) { return kKindNames[static_cast<size_t>(kind)]; }

std::optional<FaultKind> parse_kind(std::string_view name) {
  for (size_t i = 0; i < kKinds.size(); ++i) {
    if (kKindNames[i] == name) return kKinds[i];
  }
  return std::nullopt;
}

std::span<const FaultKind> all_kinds() { return kKinds; }

std::string_view direction_name(Direction direction) {
  switch (direction) {
    case Direction::upstream:
      return "upstream";
    case Direction::downstream:
      return "downstream";
    case Direction::both:
      return "both";
  }
  return "both";
}

std::optional<Direction> parse_direction(std::string_view name) {
  for (Direction d : {Direction::upstream, Direction::downstream, Direction::both}) {
    if (direction_name(d) == name) return d;
  }
  return std::nullopt;
}

bool valid_name(std::string_view name) {
  return !name.empty() && name.size() <= kNameLengthMax &&
         std::all_of(name.begin(), name.end(), name_char);
}

std::string validate(const ProxyFault& f) {
  if (!f.name.empty() && !valid_name(f.name))  // empty: named after its kind
    return fmt::format("field 'name': '{}' must be 1-{} letters, digits, '-', '_' or '.'", f.name,
                       kNameLengthMax);
  if (!(f.probability >= 0.0 && f.probability <= 1.0))
    return fmt::format("field 'probability': {} is outside [0, 1]", f.probability);
  if (auto e = check_range("lease_ms", f.lease_ms, 0, int64_t{1} << 40); !e.empty()) return e;
  if (auto e = check_fix_types(f); !e.empty()) return e;
  return check_parameters(f);
}

}  // namespace ordeal::proxy
