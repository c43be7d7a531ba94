// Planted defects of the reference exchange: deliberate bugs, each switched on
// by name and modelled on a class of real incident. They prove that ordeal's
// properties catch what they claim to. Each is reachable only through faults
// or particular workloads, never on every run: a defect that breaks
// everything teaches nothing. With none of them on, the exchange fails closed.
//
//   DefectSet defects = DefectSet::parse("okx-2023-08-14").value();
//   if (defects.has(Defect::amend_overfill)) { ... the wrong way ... }
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace ordeal::exchange {

enum class Defect : uint8_t {
  okx_2023_08_14,
  restart_loses_orders,
  unverified_metadata,
  cancel_ack_before_apply,
  amend_overfill,
  amend_lost,
  duplicate_clordid,
  drop_on_cache_miss,
  stale_tick_after_corrupt,
  state_regress_after_resync,
  mass_cancel_partial,
  reorder_applies_older,
  gateway_forgets_orders,
  rollback_keeps_migrated,
  kill_switch_all_clients,
  resync_gives_up,
  restart_drops_fills,
  count
};

struct DefectInfo {
  Defect defect;
  std::string_view name;
  std::string_view description;  // the wrong behaviour and the incident class it models
  std::string_view reached_by;   // the faults or workload that expose it
};

std::span<const DefectInfo> all_defects();
const DefectInfo& info(Defect defect);

class DefectSet {
 public:
  // "none", one name, or names joined by commas. Nothing on an unknown name.
  static std::optional<DefectSet> parse(std::string_view names);
  // The first name that parse() would not know, to name it in an error;
  // empty when it knows them all.
  static std::string_view first_unknown(std::string_view names);

  bool has(Defect defect) const { return bits_.test(static_cast<size_t>(defect)); }
  DefectSet& add(Defect defect) {
    bits_.set(static_cast<size_t>(defect));
    return *this;
  }
  bool empty() const { return bits_.none(); }
  bool operator==(const DefectSet&) const = default;

 private:
  std::bitset<static_cast<size_t>(Defect::count)> bits_;
};

}  // namespace ordeal::exchange
