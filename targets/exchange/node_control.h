// What a live node answers on its control endpoint: ordeal's nemesis arms
// and disarms the node's fault points, restarts or upgrades it, and asks
// whether it is ready, all while it runs.
//
//   net.serve_control(address, node_control(net, {.name = "gateway", ...}));
//
// Commands, one per line; the answer is "ok ..." or "error <why>":
//   ping                                   -> ok <name>
//   ready                                  -> ok yes | ok no (has fresh metadata)
//   arm <point> <probability> <param> <seed> <lease_ms> [<pins>]
//                                          (pins: fire only at these checks of the node's,
//                                          as 3,9:10,12; faults/pin.h)
//   disarm <point> | disarm-all
//   crash <down_ms>                        (restart in place, keeping what survives a crash)
//   upgrade <schema> <down_ms>             (metadata replicas: restart with that schema)
// Every arm is leased: the node disarms the point itself when the lease ends,
// so a fault heals even if ordeal dies. Arming again renews the lease.
#pragma once

#include <functional>
#include <string>

#include "targets/exchange/live_network.h"
#include "targets/exchange/metadata_replica.h"

namespace ordeal::exchange {

inline constexpr int64_t kFaultLeaseMsMax = 600'000;

struct NodeHandle {
  std::string name;
  NodeId id = 0;
  std::function<bool()> ready;         // the node holds fresh metadata
  MetadataReplica* replica = nullptr;  // set for metadata replicas
};

LiveNetwork::ControlHandler node_control(LiveNetwork& net, NodeHandle handle);

}  // namespace ordeal::exchange
