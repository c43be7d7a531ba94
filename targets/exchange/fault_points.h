// The fault points of the reference exchange: every step of the metadata path
// and of the order path where ordeal can inject a fault. Each is a global
// faults::FaultPoint; `ordeal list faults` prints this catalogue.
//
// What `param` means per point is declared with it (faults::ParamMeaning):
// a fire's Hit::param is the value the site acts with, the point's default
// or drawn choice included.
#pragma once

#include <span>

#include "faults/fault_point.h"

namespace ordeal::exchange::points {

extern faults::FaultPoint meta_update_delay;
extern faults::FaultPoint meta_update_drop;
extern faults::FaultPoint meta_update_corrupt;
extern faults::FaultPoint meta_update_reorder;
extern faults::FaultPoint meta_replica_stale_read;
extern faults::FaultPoint meta_replica_restart;
extern faults::FaultPoint meta_subscriber_resync_fail;
extern faults::FaultPoint gateway_route_stale;
extern faults::FaultPoint gateway_ack_delay;
extern faults::FaultPoint engine_apply_delay;
extern faults::FaultPoint engine_shard_crash;

// Every point of the exchange. Referencing it also keeps the points linked
// into programs that only list them.
std::span<faults::FaultPoint* const> all();

// Fields that meta.update.corrupt can damage (its param; 0 = drawn), in the
// order of its declared choices.
enum class CorruptField : int { tick_size = 1, lot_size, shard, status, version, price_band };

}  // namespace ordeal::exchange::points
