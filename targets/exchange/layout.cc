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

std::unique_ptr<MetadataReplica> make_replica(const Layout& layout, int index, Env& env,
                                              const DefectSet& defects,
                                              const MetadataState& initial) {
  // Configurations are moved into the node, not copied: a simulated case
  // builds every node anew.
  const NodeId leader = layout.replica(0);
  ReplicaConfig config{.replicas = replica_ids(layout),
                       .follower = SubscriberConfig{.replicas = {leader}}};
  return std::make_unique<MetadataReplica>(env, layout.replica(index), std::move(config), defects,
                                           initial);
}

std::unique_ptr<EngineShard> make_shard(const Layout& layout, int index, Env& env,
                                        const DefectSet& defects) {
  ShardConfig config{.shard = static_cast<ShardId>(index),
                     .meta = SubscriberConfig{.replicas = rotated(layout, index + 2)}};
  config.peers.reserve(static_cast<size_t>(layout.shards));
  for (int i = 0; i < layout.shards; ++i) config.peers.push_back(layout.shard(i));
  return std::make_unique<EngineShard>(env, layout.shard(index), std::move(config), defects);
}

std::unique_ptr<Gateway> make_gateway(const Layout& layout, Env& env, const DefectSet& defects) {
  GatewayConfig config{.meta = SubscriberConfig{.replicas = rotated(layout, 1)},
                       .request_timeout_us = layout.request_timeout_us};
  config.shards.reserve(static_cast<size_t>(layout.shards));
  for (int i = 0; i < layout.shards; ++i) config.shards.push_back(layout.shard(i));
  return std::make_unique<Gateway>(env, layout.gateway(), std::move(config), defects);
}

}  // namespace ordeal::exchange
