#include "targets/exchange/fault_points.h"

#include <array>

namespace ordeal::exchange::points {

faults::FaultPoint meta_update_delay("meta.update.delay",
                                     "a replica holds back a metadata update to a subscriber",
                                     {.what = "delay", .unit = "ms", .fallback = 200});
faults::FaultPoint meta_update_drop("meta.update.drop",
                                    "a replica never sends a metadata update to a subscriber");
// The choices in the order of CorruptField.
faults::FaultPoint meta_update_corrupt("meta.update.corrupt",
                                       "a metadata update arrives with one field damaged",
                                       {.what = "field",
                                        .choices = {"tick size", "lot size", "routing shard",
                                                    "trading status", "version", "price band"}});
faults::FaultPoint meta_update_reorder("meta.update.reorder",
                                       "a metadata update is overtaken by later ones",
                                       {.what = "hold-back", .unit = "ms", .fallback = 100});
faults::FaultPoint meta_replica_stale_read(
    "meta.replica.stale-read", "a replica serves a resync snapshot from an older version");
faults::FaultPoint meta_replica_restart("meta.replica.restart",
                                        "a metadata replica restarts on its heartbeat tick",
                                        {.what = "downtime", .unit = "ms", .fallback = 300});
faults::FaultPoint meta_subscriber_resync_fail(
    "meta.subscriber.resync-fail", "a subscriber's resync from a replica fails; it must retry");
faults::FaultPoint gateway_route_stale(
    "gateway.route.stale",
    "the gateway routes a new order by the previous routing table entry of its symbol");
faults::FaultPoint gateway_ack_delay("gateway.ack.delay",
                                     "the gateway holds back its answer to a client",
                                     {.what = "delay", .unit = "ms", .fallback = 50});
faults::FaultPoint engine_apply_delay("engine.apply.delay",
                                      "an engine shard stalls before applying a request",
                                      {.what = "stall", .unit = "ms", .fallback = 20});
faults::FaultPoint engine_shard_crash("engine.shard.crash",
                                      "an engine shard crashes while applying a request",
                                      {.what = "downtime", .unit = "ms", .fallback = 100});

std::span<faults::FaultPoint* const> all() {
  static const std::array<faults::FaultPoint*, 11> points = {
      &meta_update_delay,           &meta_update_drop,        &meta_update_corrupt,
      &meta_update_reorder,         &meta_replica_stale_read, &meta_replica_restart,
      &meta_subscriber_resync_fail, &gateway_route_stale,     &gateway_ack_delay,
      &engine_apply_delay,          &engine_shard_crash};
  return points;
}

}  // namespace ordeal::exchange::points
