#include "targets/exchange/layout.h"

#include <string>
#include <utility>

namespace ordeal::exchange {
namespace {

std::vector<NodeId> replica_ids(const Layout& layout) {
  std::vector<NodeId> ids;
  ids.reserve(static_cast<size_t>(layout.replicas));
  for (int i = 0; i < layout.replicas; ++i) ids.push_back(layout.replica(i));
  return ids;
}

// Failover order for a subscriber whose home replica is `home`. Homes are
// spread: the gateway reads from replica 1, shard i from replica 2 + i, so
// that one replica's trouble reaches some nodes and not others, as in a real
// deployment.
std::vector<NodeId> rotated(const Layout& layout, int home) {
  std::vector<NodeId> order;
  order.reserve(static_cast<size_t>(layout.replicas));
  for (int i = 0; i < layout.replicas; ++i)
    order.push_back(layout.replica((home + i) % layout.replicas));
  return order;
}

}  // namespace

// Built by concatenation, not fmt::format: every simulated case names
// every node once, and the names fit the small-string buffer.
std::string Layout::name(NodeId id) const {
  if (id < shard(0)) return "meta-" + std::to_string(id);
  if (id < gateway()) return "engine-" + std::to_string(id - shard(0));
  if (id == gateway()) return "gateway";
  if (id == admin()) return "admin";
  return "client-" + std::to_string(id - admin());
}

ReplicaConfig replica_config(const Layout& layout) {
  const NodeId leader = layout.replica(0);
  return ReplicaConfig{.replicas = replica_ids(layout),
                       .follower = SubscriberConfig{.replicas = {leader}}};
}

ShardConfig shard_config(const Layout& layout, int index) {
  ShardConfig config{.shard = static_cast<ShardId>(index),
                     .meta = SubscriberConfig{.replicas = rotated(layout, index + 2)}};
  config.peers.reserve(static_cast<size_t>(layout.shards));
  for (int i = 0; i < layout.shards; ++i) config.peers.push_back(layout.shard(i));
  return config;
}

GatewayConfig gateway_config(const Layout& layout) {
  GatewayConfig config{.meta = SubscriberConfig{.replicas = rotated(layout, 1)},
                       .request_timeout_us = layout.request_timeout_us,
                       .mass_status_part_max = layout.mass_status_part_max};
  config.shards.reserve(static_cast<size_t>(layout.shards));
  for (int i = 0; i < layout.shards; ++i) config.shards.push_back(layout.shard(i));
  return config;
}

// Configurations are moved into the node, not copied.
std::unique_ptr<MetadataReplica> make_replica(const Layout& layout, int index, Env& env,
                                              const DefectSet& defects,
                                              const MetadataState& initial) {
  return std::make_unique<MetadataReplica>(env, layout.replica(index), replica_config(layout),
                                           defects, initial);
}

std::unique_ptr<EngineShard> make_shard(const Layout& layout, int index, Env& env,
                                        const DefectSet& defects) {
  return std::make_unique<EngineShard>(env, layout.shard(index), shard_config(layout, index),
                                       defects);
}

std::unique_ptr<Gateway> make_gateway(const Layout& layout, Env& env, const DefectSet& defects) {
  return std::make_unique<Gateway>(env, layout.gateway(), gateway_config(layout), defects);
}

}  // namespace ordeal::exchange
