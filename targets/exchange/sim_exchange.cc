#include "targets/exchange/sim_exchange.h"

#include <fmt/format.h>

namespace ordeal::exchange {

// A client's (or the administrator's) end of its links: hands what arrives
// to the listener.
class SimExchange::Port final : public Node {
 public:
  Port(Env& env, NodeId self, ExchangeListener*& listener) : Node(env, self), listener_(listener) {}
  void send(NodeId to, Message message) { env_.send(to, std::move(message)); }
  void on_timer(uint64_t /*timer_id*/) override {}
  void on_message(NodeId /*from*/, const Message& message) override {
    if (listener_ == nullptr) return;
    if (const auto* response = std::get_if<ClientResponse>(&message)) {
      listener_->on_response(*response);
    } else if (const auto* fill = std::get_if<Fill>(&message)) {
      listener_->on_fill(*fill);
    } else if (const auto* update = std::get_if<OrderUpdate>(&message)) {
      listener_->on_order_update(*update);
    } else if (const auto* result = std::get_if<MetaUpdateResult>(&message)) {
      listener_->on_metadata_result(*result);
    }
  }

 private:
  ExchangeListener*& listener_;
};

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

namespace {
// Failover order for a subscriber whose home replica is `home`. Homes are
// spread: the gateway reads from replica 1, shard i from replica 2 + i, so
// that one replica's trouble reaches some nodes and not others, as in a real
// deployment.
std::vector<NodeId> rotated(const std::vector<NodeId>& replicas, size_t home) {
  std::vector<NodeId> order;
  for (size_t i = 0; i < replicas.size(); ++i)
    order.push_back(replicas[(home + i) % replicas.size()]);
  return order;
}
}  // namespace

SimExchange::SimExchange(ExchangeConfig config)
    : config_(std::move(config)), net_(config_.seed, config_.network) {
  ORDEAL_ASSERT(config_.replicas > 0 && config_.shards > 0 && config_.clients > 0);
  std::vector<NodeId> replica_ids, shard_ids;
  for (int i = 0; i < config_.replicas; ++i)
    replica_ids.push_back(net_.reserve(fmt::format("meta-{}", i)));
  for (int i = 0; i < config_.shards; ++i)
    shard_ids.push_back(net_.reserve(fmt::format("engine-{}", i)));
  const NodeId gateway_id = net_.reserve("gateway");
  const NodeId admin_id = net_.reserve("admin");

  for (int i = 0; i < config_.replicas; ++i) {
    ReplicaConfig rc{.replicas = replica_ids,
                     .follower = SubscriberConfig{.replicas = {replica_ids.front()}}};
    replicas_.push_back(std::make_unique<MetadataReplica>(net_.env(replica_ids[i]), replica_ids[i],
                                                          rc, config_.defects, config_.metadata));
    net_.attach(replica_ids[i], *replicas_.back());
  }
  for (int i = 0; i < config_.shards; ++i) {
    ShardConfig sc{.shard = static_cast<ShardId>(i),
                   .meta = SubscriberConfig{.replicas = rotated(replica_ids, i + 2)},
                   .peers = shard_ids};
    shards_.push_back(
        std::make_unique<EngineShard>(net_.env(shard_ids[i]), shard_ids[i], sc, config_.defects));
    net_.attach(shard_ids[i], *shards_.back());
  }
  GatewayConfig gc{.shards = shard_ids,
                   .meta = SubscriberConfig{.replicas = rotated(replica_ids, 1)},
                   .request_timeout_us = config_.request_timeout_us};
  gateway_ = std::make_unique<Gateway>(net_.env(gateway_id), gateway_id, gc, config_.defects);
  net_.attach(gateway_id, *gateway_);
  admin_ = std::make_unique<Port>(net_.env(admin_id), admin_id, listener_);
  net_.attach(admin_id, *admin_);
  for (int i = 0; i < config_.clients; ++i) {
    const NodeId id = net_.reserve(fmt::format("client-{}", i + 1));
    clients_.push_back(std::make_unique<Port>(net_.env(id), id, listener_));
    net_.attach(id, *clients_.back());
  }
  net_.start();
}

SimExchange::~SimExchange() = default;

void SimExchange::submit(ClientRequest request) {
  ORDEAL_ASSERT(request.client >= 1 && request.client <= clients_.size(), "no client {}",
                request.client);
  clients_[request.client - 1]->send(gateway_->id(), std::move(request));
}

void SimExchange::update_metadata(const Instrument& record, uint64_t request_id) {
  admin_->send(replicas_.front()->id(),
               MetaUpdateRequest{.request_id = request_id, .record = record});
}

void SimExchange::rolling_upgrade(int64_t start_us, int64_t step_us, int64_t down_us) {
  for (int step = 0; step < config_.replicas; ++step) {
    // Followers first (1, 2, ...), the leader (0) last.
    MetadataReplica* replica = replicas_[(step + 1) % config_.replicas].get();
    net_.at(start_us + step * step_us, [this, replica, down_us] {
      replica->upgrade_on_restart(kSchemaV2);
      net_.crash(replica->id(), down_us);
    });
  }
}

}  // namespace ordeal::exchange
