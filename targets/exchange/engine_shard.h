// An engine shard: matches the symbols that the routing table gives it, one
// price-time priority book per symbol, and reports both sides of each trade.
//
// Requests carry the metadata version the gateway validated them against; a
// shard whose own metadata is older cannot honour an order or amend under it
// and rejects explicitly. Its books and orders are journaled: they survive a
// crash. Requests queue in arrival order (bounded) and stall there under
// engine.apply.delay, so a stall never reorders them.
#pragma once

#include <deque>
#include <string>
#include <unordered_map>

#include "targets/exchange/meta_subscriber.h"
#include "targets/exchange/order_book.h"

namespace ordeal::exchange {

struct ShardConfig {
  ShardId shard = 0;
  SubscriberConfig meta;
  size_t inbound_max = 10'000;
};

class EngineShard final : public Node {
 public:
  EngineShard(Env& env, NodeId self, ShardConfig config, const DefectSet& defects);

  void on_message(NodeId from, const Message& message) override;
  void on_timer(uint64_t timer_id) override;
  void on_start() override;
  void on_crash() override;

  // What the shard knows of an order; null when nothing. For tests and reads.
  const OrderView* order(OrderId id) const;
  const OrderBook* book(const std::string& symbol) const;
  const MetaSubscriber& metadata() const { return subscriber_; }
  ShardId shard() const { return config_.shard; }

 private:
  struct Order {
    OrderView view;
    TimeInForce tif = TimeInForce::gtc;
    bool post_only = false;
    NodeId gateway = 0;
  };
  struct Inbound {
    NodeId from;
    ShardRequest request;
  };

  void drain();
  void apply(NodeId gateway, const ShardRequest& request);
  ShardResponse respond(const ShardRequest& request, bool ok, std::string reason,
                        const Order* order) const;
  std::optional<std::string> version_problem(const ShardRequest& request) const;
  ShardResponse place(NodeId gateway, const ShardRequest& request);
  ShardResponse amend(const ShardRequest& request);
  ShardResponse cancel(const ShardRequest& request);
  ShardResponse mass_cancel(const ShardRequest& request);
  Qty execute(Order& taker, std::optional<Price> limit, Qty open);
  void rest_or_expire(Order& order, Qty open);
  void fill(Order& order, Qty qty, Price price, uint64_t trade_id, bool maker);

  ShardConfig config_;
  const DefectSet& defects_;
  MetaSubscriber subscriber_;
  std::unordered_map<OrderId, Order> orders_;
  std::unordered_map<std::string, OrderBook> books_;
  std::deque<Inbound> inbound_;
  bool stalled_ = false;
  bool resume_without_check_ = false;
  uint64_t next_trade_id_ = 1;
};

}  // namespace ordeal::exchange
