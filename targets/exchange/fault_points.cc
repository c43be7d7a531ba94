#include "targets/exchange/fault_points.h"

#include <array>

namespace ordeal::exchange::points {

faults::FaultPoint meta_update_delay(
    "meta.update.delay",
    "a replica holds back a metadata update to a subscriber (param: delay ms, default 200)");
faults::FaultPoint meta_update_drop("meta.update.drop",
                                    "a replica never sends a metadata update to a subscriber");
faults::FaultPoint meta_update_corrupt(
    "meta.update.corrupt",
    "a metadata update arrives with one field damaged: 1 tick size, 2 lot size, 3 routing "
    "shard, 4 trading status, 5 version, 6 price band (param; 0 = drawn)");
faults::FaultPoint meta_update_reorder(
    "meta.update.reorder",
    "a metadata update is overtaken by later ones (param: hold-back ms, default 100)");
faults::FaultPoint meta_replica_stale_read(
    "meta.replica.stale-read", "a replica serves a resync snapshot from an older version");
faults::FaultPoint meta_replica_restart(
    "meta.replica.restart",
    "a metadata replica restarts on its heartbeat tick (param: downtime ms, default 300)");
faults::FaultPoint meta_subscriber_resync_fail(
    "meta.subscriber.resync-fail", "a subscriber's resync from a replica fails; it must retry");
faults::FaultPoint gateway_route_stale(
    "gateway.route.stale",
    "the gateway routes a new order by the previous routing table entry of its symbol");
faults::FaultPoint gateway_ack_delay(
    "gateway.ack.delay",
    "the gateway holds back its answer to a client (param: delay ms, "
    "default 50)");
faults::FaultPoint engine_apply_delay(
    "engine.apply.delay",
    "an engine shard stalls before applying a request (param: stall ms, default 20)");
faults::FaultPoint engine_shard_crash(
    "engine.shard.crash",
    "an engine shard crashes while applying a request (param: downtime ms, default 100)");

std::span<faults::FaultPoint* const> all() {
  static const std::array<faults::FaultPoint*, 11> points = {
      &meta_update_delay,           &meta_update_drop,        &meta_update_corrupt,
      &meta_update_reorder,         &meta_replica_stale_read, &meta_replica_restart,
      &meta_subscriber_resync_fail, &gateway_route_stale,     &gateway_ack_delay,
      &engine_apply_delay,          &engine_shard_crash};
  return points;
}

}  // namespace ordeal::exchange::points
