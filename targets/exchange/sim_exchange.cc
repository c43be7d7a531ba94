#include "targets/exchange/sim_exchange.h"

#include <fmt/format.h>

#include <memory>

namespace ordeal::exchange {

MetadataState default_metadata(int shards) {
  ORDEAL_ASSERT(shards > 0);
  MetadataState state{.version = 1};
  const auto shard = [&](int i) { return static_cast<ShardId>(i % shards); };
  state.put(Instrument{.symbol = "BTC-USDT",
                       .tick_size = 10,
                       .lot_size = 1,
                       .min_qty = 1,
                       .max_qty = 1000,
                       .min_price = 10'000,
                       .max_price = 100'000,
                       .shard = shard(0)});
  state.put(Instrument{.symbol = "ETH-USDT",
                       .tick_size = 5,
                       .lot_size = 10,
                       .min_qty = 10,
                       .max_qty = 10'000,
                       .min_price = 1'000,
                       .max_price = 10'000,
                       .shard = shard(1)});
  state.put(Instrument{.symbol = "SOL-USDT",
                       .tick_size = 1,
                       .lot_size = 100,
                       .min_qty = 100,
                       .max_qty = 100'000,
                       .min_price = 10,
                       .max_price = 1'000,
                       .shard = shard(2)});
  return state;
}

MetadataState metadata_of(const std::vector<Instrument>& records, int shards) {
  if (records.empty()) return default_metadata(shards);
  ORDEAL_ASSERT(shards > 0);
  MetadataState state{.version = 1};
  for (size_t i = 0; i < records.size(); ++i) {
    Instrument record = records[i];
    record.shard = static_cast<ShardId>(i % static_cast<size_t>(shards));
    state.put(record);
  }
  return state;
}

SimExchange::SimExchange(ExchangeConfig config)
    : config_(std::move(config)), net_(config_.seed, config_.network) {
  build(Servers::built);
}

SimExchange::~SimExchange() = default;

// The nodes are built anew (what they hold is a case's state), each in the
// memory of the one before; the network keeps its memory too. What is left
// is what the constructor leaves.
void SimExchange::reset(ExchangeConfig config) {
  drop_nodes(Servers::built);
  config_ = std::move(config);
  node_names_.clear();  // the layout may change
  net_.reset(config_.seed, config_.network);
  build(Servers::built);
}

// The replicas, shards and gateway depend on nothing that changes here:
// they are renewed in place (their renew()), their containers' memory kept;
// the client ports are built anew, as their number changes.
void SimExchange::reset(uint64_t seed, int clients) {
  drop_nodes(Servers::renewed);
  config_.seed = seed;
  config_.clients = clients;
  net_.reset(config_.seed, config_.network);
  build(Servers::renewed);
}

void SimExchange::drop_nodes(Servers servers) {
  // In the order the destructor takes them.
  for (KeptPlace<ClientPort>& client : clients_) client.drop();
  admin_.drop();
  if (servers == Servers::built) {
    gateway_.drop();
    for (KeptPlace<EngineShard>& shard : shards_) shard.drop();
    for (KeptPlace<MetadataReplica>& replica : replicas_) replica.drop();
  }
  listener_ = nullptr;
  std::destroy_at(&sessions_);
  std::construct_at(&sessions_, listener_);
}

void SimExchange::build(Servers servers) {
  ORDEAL_ASSERT(config_.replicas > 0 && config_.shards > 0 && config_.clients > 0);
  const Layout layout{.replicas = config_.replicas,
                      .shards = config_.shards,
                      .clients = config_.clients,
                      .request_timeout_us = config_.request_timeout_us,
                      .mass_status_part_max = config_.mass_status_part_max};
  // Names depend on the layout only, so a reset for another seed keeps them.
  for (auto id = static_cast<NodeId>(node_names_.size()); id < layout.nodes(); ++id) {
    node_names_.push_back(layout.name(id));
  }
  for (int id = 0; id < layout.nodes(); ++id) {
    ORDEAL_ASSERT(net_.reserve(node_names_[id]) == id);
  }
  attach_servers(layout, servers);
  net_.attach(layout.admin(), admin_.build(net_.env(layout.admin()), layout.admin(), listener_));
  clients_.resize(static_cast<size_t>(config_.clients));
  for (ClientId client = 1; client <= static_cast<ClientId>(config_.clients); ++client) {
    const NodeId id = layout.client(client);
    net_.attach(id, clients_[client - 1].build(net_.env(id), id, client_listener_));
  }
  net_.start();
}

// The replicas, the shards and the gateway: built, or renewed in place.
void SimExchange::attach_servers(const Layout& layout, Servers servers) {
  const bool renew = servers == Servers::renewed;
  replicas_.resize(static_cast<size_t>(config_.replicas));
  for (int i = 0; i < config_.replicas; ++i) {
    const NodeId id = layout.replica(i);
    if (renew) {
      replicas_[i]->renew(net_.env(id), config_.metadata);
    } else {
      replicas_[i].build(net_.env(id), id, replica_config(layout), config_.defects,
                         config_.metadata);
    }
    net_.attach(id, *replicas_[i]);
  }
  shards_.resize(static_cast<size_t>(config_.shards));
  for (int i = 0; i < config_.shards; ++i) {
    const NodeId id = layout.shard(i);
    if (renew) {
      shards_[i]->renew(net_.env(id));
    } else {
      shards_[i].build(net_.env(id), id, shard_config(layout, i), config_.defects);
    }
    net_.attach(id, *shards_[i]);
  }
  const NodeId gateway = layout.gateway();
  if (renew) {
    gateway_->renew(net_.env(gateway));
  } else {
    gateway_.build(net_.env(gateway), gateway, gateway_config(layout), config_.defects);
  }
  net_.attach(gateway, *gateway_);
}

void SimExchange::submit(const ClientRequest& request) {
  ORDEAL_ASSERT(request.client >= 1 && request.client <= clients_.size(), "no client {}",
                request.client);
  if (!sessions_.sending(request, net_.up(gateway_->id()))) return;
  clients_[request.client - 1]->send(gateway_->id(), request);
}

void SimExchange::crash(NodeId node, int64_t down_us) {
  if (!net_.up(node)) return;
  net_.crash(node, down_us);
  if (node == gateway_->id()) sessions_.disconnect();
}

void SimExchange::update_metadata(const Instrument& record, uint64_t request_id) {
  admin_->send(replicas_.front()->id(),
               MetaUpdateRequest{.request_id = request_id, .record = record});
}

void SimExchange::rolling_upgrade(int64_t start_us, int64_t step_us, int64_t down_us) {
  for (int step = 0; step < config_.replicas; ++step) {
    // Followers first (1, 2, ...), the leader (0) last.
    MetadataReplica* replica = &*replicas_[(step + 1) % config_.replicas];
    net_.at(start_us + step * step_us, [this, replica, down_us] {
      replica->upgrade_on_restart(kSchemaV2);
      net_.crash(replica->id(), down_us);
    });
  }
}

}  // namespace ordeal::exchange
