// The faults active on one link and their seeded decisions: see fault_table.h.
#include "faults/proxy/fault_table.h"

#include <fmt/format.h>

#include <algorithm>

#include "framework/base/rng.h"

namespace ordeal::proxy {

bool ActiveFault::selects(Direction direction, const Segment& segment) const {
  if (!toxic || !covers(spec.direction, direction)) return false;
  if (spec.fix_types.empty()) return true;
  if (!segment.is_fix_message) return false;
  return std::find(spec.fix_types.begin(), spec.fix_types.end(), segment.fix_type) !=
         spec.fix_types.end();
}

std::optional<uint64_t> ActiveFault::decide() {
  if (spec.max_fires != 0 && fired >= spec.max_fires) return std::nullopt;
  const uint64_t draw = mix64(seed ^ mix64(decisions));
  ++decisions;
  if (unit_interval(draw) >= spec.probability) return std::nullopt;
  ++fired;
  return mix64(draw);
}

std::string FaultTable::add(ProxyFault fault, SteadyTime now, ActiveFault** added) {
  if (fault.name.empty()) fault.name = std::string(kind_name(fault.kind));
  if (std::string error = validate(fault); !error.empty()) return error;
  for (const auto& f : faults_) {
    if (f->spec.name == fault.name)
      return fmt::format("field 'name': a fault named '{}' is already active (remove it first)",
                         fault.name);
  }
  if (faults_.size() >= kFaultsPerProxyMax)
    return fmt::format("at most {} faults per proxy are active at once", kFaultsPerProxyMax);
  auto active = std::make_unique<ActiveFault>();
  active->id = next_id_++;
  active->seed = mix64(seed_ ^ hash_name(fault.name));
  if (fault.lease_ms > 0) active->expires_at = now + std::chrono::milliseconds(fault.lease_ms);
  active->toxic = make_toxic(fault);
  active->spec = std::move(fault);
  if (added) *added = active.get();
  faults_.push_back(std::move(active));
  return {};
}

bool FaultTable::remove(std::string_view name) {
  const auto it = std::find_if(faults_.begin(), faults_.end(),
                               [&](const auto& f) { return f->spec.name == name; });
  if (it == faults_.end()) return false;
  faults_.erase(it);
  return true;
}

bool FaultTable::remove_id(uint64_t id) {
  const auto it =
      std::find_if(faults_.begin(), faults_.end(), [&](const auto& f) { return f->id == id; });
  if (it == faults_.end()) return false;
  faults_.erase(it);
  return true;
}

void FaultTable::clear() { faults_.clear(); }

void FaultTable::apply(Direction direction, Segment& segment) {
  for (const auto& fault : faults_) {
    if (!fault->selects(direction, segment)) continue;
    const std::optional<uint64_t> draw = fault->decide();
    if (!draw) continue;
    ++fired_total_;
    fault->toxic->apply(segment, *draw);
    if (segment.drop) return;
  }
}

bool FaultTable::shapes(Direction direction) const {
  return std::any_of(faults_.begin(), faults_.end(), [&](const auto& f) {
    return f->toxic != nullptr && covers(f->spec.direction, direction);
  });
}

bool FaultTable::frames_fix(Direction direction) const {
  return std::any_of(faults_.begin(), faults_.end(), [&](const auto& f) {
    return !f->spec.fix_types.empty() && covers(f->spec.direction, direction);
  });
}

const ActiveFault* FaultTable::find_id(uint64_t id) const {
  for (const auto& f : faults_) {
    if (f->id == id) return f.get();
  }
  return nullptr;
}

}  // namespace ordeal::proxy
