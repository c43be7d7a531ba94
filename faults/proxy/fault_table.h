// The faults active on one proxied link, and their seeded decisions.
//
// Each fault decides per segment (a chunk or a FIX message it selects) or per
// connection (half_open, reset) whether it fires. Decision n of a fault draws
// mix64(fault_seed ^ mix64(n)), where fault_seed comes from the link's seed
// and the fault's name: given the same seed and the same traffic, the same
// decisions fire, whatever else is active.
//
//   FaultTable table(seed);
//   table.add(fault, now);
//   table.apply(Direction::upstream, segment);   // runs every segment fault
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "faults/proxy/proxy_fault.h"
#include "faults/proxy/toxic.h"

namespace ordeal::proxy {

inline constexpr size_t kFaultsPerProxyMax = 64;

using SteadyTime = std::chrono::steady_clock::time_point;

struct ActiveFault {
  uint64_t id = 0;
  ProxyFault spec;
  std::unique_ptr<Toxic> toxic;  // null for connection-scoped kinds
  uint64_t seed = 0;
  uint64_t decisions = 0;
  uint64_t fired = 0;
  std::optional<SteadyTime> expires_at;

  // Whether the fault selects this segment (direction and FIX type filter).
  bool selects(Direction direction, const Segment& segment) const;
  // One seeded decision: the draw when the fault fires, nothing otherwise.
  std::optional<uint64_t> decide();
};

class FaultTable {
 public:
  explicit FaultTable(uint64_t seed) : seed_(seed) {}

  // Adds a validated fault; an error message (naming the field) otherwise.
  std::string add(ProxyFault fault, SteadyTime now, ActiveFault** added = nullptr);
  bool remove(std::string_view name);
  bool remove_id(uint64_t id);
  void clear();

  // Runs every segment fault selecting `segment`, in the order they were added.
  void apply(Direction direction, Segment& segment);
  // True when any segment fault acts on `direction` (the fast path is off).
  bool shapes(Direction direction) const;
  // True when some fault on `direction` filters FIX types: segments are messages.
  bool frames_fix(Direction direction) const;

  const ActiveFault* find_id(uint64_t id) const;
  const std::vector<std::unique_ptr<ActiveFault>>& faults() const { return faults_; }
  uint64_t fired_total() const { return fired_total_; }
  void count_fire() { ++fired_total_; }

 private:
  uint64_t seed_;
  uint64_t next_id_ = 1;
  uint64_t fired_total_ = 0;
  std::vector<std::unique_ptr<ActiveFault>> faults_;
};

}  // namespace ordeal::proxy
