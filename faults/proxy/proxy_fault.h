// A fault that the TCP fault proxy applies to the traffic of one proxied link.
//
// A fault has a kind (what it does), a direction (upstream: client to server,
// downstream: server to client, or both), its parameters, an optional
// probability and fire limit, an optional filter on FIX message types, and a
// lease after which the proxy removes it by itself:
//
//   ProxyFault f{.name = "slow-cancels", .kind = FaultKind::latency,
//                .direction = Direction::upstream, .fix_types = {"F"}, .latency_ms = 200};
//   if (std::string err = validate(f); !err.empty()) { /* names the bad field */ }
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ordeal::proxy {

enum class FaultKind : uint8_t {
  latency,    // delay each chunk (or chosen FIX message) by latency_ms +- jitter_ms
  bandwidth,  // deliver at most rate_bytes_per_s
  slicing,    // split writes into slices of about slice_bytes, slice_delay_us apart
  corrupt,    // flip corrupt_bytes bytes, at seeded positions
  blackhole,  // read and swallow: the bytes are lost, the connection stays open
  drop,       // swallow whole FIX messages of fix_types (needs fix_types)
  half_open,  // stop delivering in this direction; held bytes arrive after healing
  reset,      // reset the connection (RST to both sides) reset_after_ms after it is chosen
};

enum class Direction : uint8_t { upstream = 1, downstream = 2, both = 3 };

// A fault heals itself after this long unless its lease says otherwise, so a
// controller that dies (or forgets) cannot leave a link broken for good.
inline constexpr int64_t kDefaultLeaseMs = 60'000;

struct ProxyFault {
  std::string name;  // unique within its proxy; empty: the kind's name
  FaultKind kind = FaultKind::latency;
  Direction direction = Direction::both;
  double probability = 1.0;            // chance per decision (chunk, message or connection)
  uint64_t max_fires = 0;              // 0: no limit; N: the first N decisions that fire
  int64_t lease_ms = kDefaultLeaseMs;  // 0: until removed
  std::vector<std::string> fix_types;  // FIX 35= values; empty: every byte

  int64_t latency_ms = 0;        // latency
  int64_t jitter_ms = 0;         // latency: uniform in [-jitter_ms, +jitter_ms], never below 0
  int64_t rate_bytes_per_s = 0;  // bandwidth
  int64_t slice_bytes = 0;       // slicing: average slice size
  int64_t slice_delay_us = 0;    // slicing: pause between slices
  int64_t corrupt_bytes = 1;     // corrupt: bytes flipped per chunk or message
  int64_t reset_after_ms = 0;    // reset
};

std::string_view kind_name(FaultKind kind);
std::optional<FaultKind> parse_kind(std::string_view name);
std::span<const FaultKind> all_kinds();
std::string_view direction_name(Direction direction);
std::optional<Direction> parse_direction(std::string_view name);

// True when the fault acts on `direction` (upstream or downstream).
inline bool covers(Direction fault, Direction direction) {
  return (static_cast<uint8_t>(fault) & static_cast<uint8_t>(direction)) != 0;
}

// Faults that act on a whole connection rather than on the bytes passing.
inline bool connection_scoped(FaultKind kind) {
  return kind == FaultKind::half_open || kind == FaultKind::reset;
}

// Names of proxies and faults: 1-64 letters, digits, '-', '_' or '.'.
bool valid_name(std::string_view name);

// Empty when the fault is valid; otherwise a message naming the bad field.
std::string validate(const ProxyFault& fault);

}  // namespace ordeal::proxy
