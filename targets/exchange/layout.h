// Which nodes make up a reference exchange, how they are numbered, and how
// each is built: shared by the simulator (sim_exchange.h) and the live
// cluster (one exchange-node process per node), so both run the same topology.
//
//   Layout layout{.replicas = 3, .shards = 2, .clients = 4};
//   auto shard = make_shard(layout, 1, env, defects);
//
// Node ids: replicas 0..R-1 (0 leads), shards R..R+S-1, the gateway, the
// administrator's port, then one port per client.
#pragma once

#include <memory>
#include <string>

#include "targets/exchange/defects.h"
#include "targets/exchange/engine_shard.h"
#include "targets/exchange/gateway.h"
#include "targets/exchange/metadata_replica.h"

namespace ordeal::exchange {

struct Layout {
  int replicas = 3;
  int shards = 2;
  int clients = 4;
  int64_t request_timeout_us = 400'000;
  size_t mass_status_part_max = 10'000;  // GatewayConfig's

  NodeId replica(int i) const { return static_cast<NodeId>(i); }
  NodeId shard(int i) const { return static_cast<NodeId>(replicas + i); }
  NodeId gateway() const { return static_cast<NodeId>(replicas + shards); }
  NodeId admin() const { return static_cast<NodeId>(gateway() + 1); }
  NodeId client(ClientId id) const { return static_cast<NodeId>(admin() + id); }  // ids from 1
  int nodes() const { return admin() + 1 + clients; }
  // "meta-0", "engine-1", "gateway", "admin", "client-3".
  std::string name(NodeId id) const;
};

// What each node is built with; the make_ functions below build from these
// (the simulator builds its nodes in places it keeps: sim_exchange.h).
ReplicaConfig replica_config(const Layout& layout);
ShardConfig shard_config(const Layout& layout, int index);
GatewayConfig gateway_config(const Layout& layout);

std::unique_ptr<MetadataReplica> make_replica(const Layout& layout, int index, Env& env,
                                              const DefectSet& defects,
                                              const MetadataState& initial);
std::unique_ptr<EngineShard> make_shard(const Layout& layout, int index, Env& env,
                                        const DefectSet& defects);
std::unique_ptr<Gateway> make_gateway(const Layout& layout, Env& env, const DefectSet& defects);

}  // namespace ordeal::exchange
