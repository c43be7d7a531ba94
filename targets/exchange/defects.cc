#include "targets/exchange/defects.h"

#include <array>

#include "framework/base/assert.h"

namespace ordeal::exchange {
namespace {

constexpr std::array<DefectInfo, static_cast<size_t>(Defect::count)> kDefects = {{
    {Defect::okx_2023_08_14, "okx-2023-08-14",
     "during a metadata update (e.g. a rolling upgrade) the gateway acknowledges cancels and "
     "amends routed under a newer metadata version than the shard holding the order has, and "
     "that shard silently drops them (the 2023-08-14 exchange outage)",
     "metadata updates with meta.update.delay/drop or replica restarts, then cancel or amend"},
    {Defect::restart_loses_orders, "restart-loses-orders",
     "an engine shard that restarts comes back with an empty book: open orders vanish (a core "
     "component restart under load, 2023-07-05 class)",
     "engine.shard.crash while orders rest"},
    {Defect::unverified_metadata, "unverified-metadata",
     "subscribers apply metadata updates without verifying their checksum, so a corrupted "
     "configuration update changes price limits and tick sizes (2023-09-13 class)",
     "meta.update.corrupt"},
    {Defect::cancel_ack_before_apply, "cancel-ack-before-apply",
     "the gateway acknowledges a cancel as soon as it forwards it, before the shard applied it, "
     "so the order can still fill after the cancel was accepted",
     "engine.apply.delay or slow links, with crossing orders"},
    {Defect::amend_overfill, "amend-overfill",
     "an amend of quantity sets the open quantity to the new total, ignoring what is already "
     "filled, so the order can fill beyond its quantity",
     "a partial fill followed by a quantity amend"},
    {Defect::amend_lost, "amend-lost",
     "a shard whose metadata changed since the gateway validated an amend acknowledges it but "
     "does not apply it",
     "metadata updates between validation and application, then amend"},
    {Defect::duplicate_clordid, "duplicate-clordid",
     "the gateway checks client order ids only against open orders, so a reused id of a "
     "finished order creates a second order",
     "a place that reuses the client order id of a filled or cancelled order"},
    {Defect::drop_on_cache_miss, "drop-on-cache-miss",
     "a request for a symbol missing from the gateway's metadata cache is silently dropped "
     "instead of rejected",
     "requests for unknown symbols"},
    {Defect::stale_tick_after_corrupt, "stale-tick-after-corrupt",
     "a subscriber that discards a corrupted update marks its version as applied anyway, so "
     "it keeps validating against the stale record (old tick size, band, status)",
     "meta.update.corrupt together with metadata updates"},
    {Defect::state_regress_after_resync, "state-regress-after-resync",
     "the gateway answers status requests from its own cache, which a metadata resync rolls "
     "back to the state each order had when it was acknowledged",
     "meta.update.drop/corrupt or replica restarts (resyncs), then status requests"},
    {Defect::mass_cancel_partial, "mass-cancel-partial",
     "a mass-cancel is acknowledged even when a shard did not confirm it, so orders on that "
     "shard stay open after an accepted mass-cancel",
     "engine.shard.crash or engine.apply.delay during a mass-cancel"},
    {Defect::reorder_applies_older, "reorder-applies-older",
     "a subscriber applies a metadata update that arrives late, older than its version, over "
     "the newer record and keeps its version number, so the older record stays in force",
     "meta.update.reorder with metadata updates"},
    {Defect::gateway_forgets_orders, "gateway-forgets-orders",
     "the gateway keeps no journal: restarted, it numbers orders from the start again and no "
     "longer knows the orders placed before, so their status, amends and cancels find nothing "
     "(a core component restart, 2023-07-05 class)",
     "process.restart or process.kill of the gateway while orders rest"},
    {Defect::rollback_keeps_migrated, "rollback-keeps-migrated",
     "a metadata replica rolled back to schema 1 keeps the records its upgrade migrated to "
     "schema 2 and serves and commits them as they are: the old version serves the new "
     "schema (an upgrade step taken back, 2023-08-14 class)",
     "process.rollback of the metadata leader, then metadata changes"},
    {Defect::kill_switch_all_clients, "kill-switch-all-clients",
     "a mass-cancel of every symbol (one participant's kill switch) cancels the open orders of "
     "every client on the shard, not only its sender's (a kill switch of the wrong scope)",
     "a mass-cancel without a symbol while other clients have open orders"},
    {Defect::resync_gives_up, "resync-gives-up",
     "a node whose resync from a replica failed never asks again, so it stays without "
     "metadata and fails closed after the faults heal: order entry does not come back (an "
     "outage that outlasts its cause)",
     "meta.subscriber.resync-fail while a node resyncs (after a gap, a corrupt update or a "
     "restart)"},
    {Defect::restart_drops_fills, "restart-drops-fills",
     "a restarted gateway sends a fill (or an unsolicited update) only to a client that has "
     "sent it something since the restart, and drops those of the others' resting orders "
     "instead of keeping them for the client's connection: executions lost across a core "
     "component restart (2023-07-05 class)",
     "process.restart or process.kill of the gateway while orders rest, then crossing orders"},
}};

}  // namespace

std::span<const DefectInfo> all_defects() { return kDefects; }

const DefectInfo& info(Defect defect) {
  const auto index = static_cast<size_t>(defect);
  ORDEAL_ASSERT(index < kDefects.size() && kDefects[index].defect == defect);
  return kDefects[index];
}

namespace {

const DefectInfo* find_defect(std::string_view name) {
  for (const DefectInfo& d : kDefects) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

// The next name of a comma-separated list, taken off its front.
std::string_view take_name(std::string_view& names) {
  const size_t comma = names.find(',');
  const std::string_view name = names.substr(0, comma);
  names = comma == std::string_view::npos ? std::string_view{} : names.substr(comma + 1);
  return name;
}

bool names_no_defect(std::string_view name) { return name == "none" || name.empty(); }

}  // namespace

std::optional<DefectSet> DefectSet::parse(std::string_view names) {
  DefectSet set;
  while (!names.empty()) {
    const std::string_view name = take_name(names);
    if (names_no_defect(name)) continue;
    const DefectInfo* d = find_defect(name);
    if (d == nullptr) return std::nullopt;
    set.add(d->defect);
  }
  return set;
}

std::string_view DefectSet::first_unknown(std::string_view names) {
  while (!names.empty()) {
    const std::string_view name = take_name(names);
    if (!names_no_defect(name) && find_defect(name) == nullptr) return name;
  }
  return {};
}

}  // namespace ordeal::exchange
