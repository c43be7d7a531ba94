// An engine shard: matches the symbols that the routing table gives it, one
// price-time priority book per symbol, and reports both sides of each trade.
//
// Requests carry the metadata version the gateway validated them against; a
// shard whose own metadata is older cannot honour an order or amend under it:
// it holds it until its metadata catches up, and rejects it explicitly if that
// takes too long. A new order for a symbol that moved to another shard (the
// gateway's routing is behind) is passed on to the new owner. Its books and orders survive a
// crash: in the simulator the node's memory stands for its disk; a live node
// attaches a journal (shard_journal.h) and answers nothing it has not written
// there first. Requests queue in arrival order (bounded) and stall there under
// engine.apply.delay, so a stall never reorders them.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "framework/base/fifo.h"
#include "framework/base/node_pool.h"
#include "framework/base/string_hash.h"
#include "targets/exchange/meta_subscriber.h"
#include "targets/exchange/order_book.h"
#include "targets/exchange/per_client.h"
#include "targets/exchange/report_log.h"
#include "targets/exchange/shard_journal.h"

namespace ordeal::exchange {

struct ShardConfig {
  ShardId shard = 0;
  SubscriberConfig meta;      // moved into the shard's subscriber: read it there
  std::vector<NodeId> peers;  // every shard's node, index = ShardId
  size_t inbound_max = 10'000;
  // A request validated under metadata newer than the shard's waits this long
  // for the shard to catch up before it is rejected.
  int64_t park_us_max = 200'000;
  size_t parked_max = 10'000;
};

class EngineShard final : public Node {
 public:
  EngineShard(Env& env, NodeId self, ShardConfig config, const DefectSet& defects);

  // Makes this shard what EngineShard(env, id(), config, defects) is, with
  // the config and defects it was built with, keeping the memory of its
  // containers where that cannot change what it does: the simulator renews
  // its shards for every case. `env` must be the one it has.
  void renew(Env& env);

  void on_message(NodeId from, const Message& message) override;
  void on_timer(uint64_t timer_id) override;
  void on_start() override;
  void on_crash() override;
  bool absorb(NodeId from, const MetaHeartbeat& heartbeat, Moment at) override {
    return subscriber_.absorb(from, heartbeat, at);
  }

  // Live nodes: keeps the shard's state in the journal at `path`, first
  // rebuilding it from what is there. Call before the node starts.
  Recovery attach_journal(const std::string& path, const JournalLimits& limits);

  // What the shard knows of an order; null when nothing. For tests and reads.
  const OrderView* order(OrderId id) const;
  const OrderBook* book(const std::string& symbol) const;
  // Orders resting in the shard's books (exchange-node logs it when it stops).
  size_t resting_orders() const;
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

  struct Parked {
    int64_t deadline_us;
    ShardRequest request;
  };

  void drain();
  bool may_apply();
  void apply_durably(const ShardRequest& request);
  void apply(const ShardRequest& request);
  // Sends now, or with a journal holds it until the change is on disk. It
  // takes the message kind itself, so that the Message the transport takes
  // is made from it directly, not moved from another Message.
  template <typename M>
  void emit(NodeId to, M&& message) {
    if (!journal_) return env_.send(to, std::forward<M>(message));
    outbox_.emplace_back(to, std::forward<M>(message));
  }
  // The same for a message built in place (Env::send_built): `build` sets
  // the fields of a fresh M where the transport keeps it, or, with a
  // journal, of one held until the change is on disk.
  template <typename M, typename Build>
  void emit_built(NodeId to, Build&& build) {
    if (!journal_) return env_.send_built<M>(to, 0, std::forward<Build>(build));
    M message;
    build(message);
    outbox_.emplace_back(to, std::move(message));
  }
  // Only a journal reads what a request touched and requeued: without one
  // (the simulator) nothing is noted.
  void touch(OrderId id) {
    if (journal_) touched_.push_back(id);
  }
  void note_requeued(OrderId id) {
    if (journal_) requeued_.push_back(id);
  }
  void persist();
  DurableOrder durable(const Order& order) const;
  ShardEntry snapshot() const;
  void restore(const ShardEntry& entry);
  bool park(const ShardRequest& request);
  void unpark();
  void expire_parked();
  // What a request came to. Its answer is built from it straight into the
  // message sent (no response built first and then moved there), right
  // after the request is applied: the order it names is as it was then,
  // and the reason a literal that outlives it.
  struct Outcome {
    bool ok = false;
    std::string_view reason;
    const Order* order = nullptr;
    uint32_t cancelled_count = 0;
  };
  static Outcome respond(bool ok, std::string_view reason, const Order* order) {
    return Outcome{.ok = ok, .reason = reason, .order = order};
  }
  void fill_answer(ShardResponse& response, const ShardRequest& request,
                   const Outcome& outcome) const;
  // Sends the answer now (send_answer), or as emit() does (emit_answer).
  void send_answer(NodeId to, const ShardRequest& request, const Outcome& outcome);
  void emit_answer(NodeId to, const ShardRequest& request, const Outcome& outcome);
  std::optional<std::string_view> version_problem(const ShardRequest& request) const;
  // The answer to a request of each kind (status answered here).
  Outcome dispatch(const ShardRequest& request, bool& forwarded);
  Outcome place(const ShardRequest& request, bool& forwarded);
  Outcome amend(const ShardRequest& request);
  Outcome cancel(const ShardRequest& request);
  Outcome mass_cancel(const ShardRequest& request);
  uint32_t cancel_open(std::vector<OrderId>& open, const std::string& symbol);
  OrderBook& book_for(const std::string& symbol);  // made if new
  // Both take the order's book, which the caller has looked up already.
  Qty execute(Order& taker, OrderBook& book, std::optional<Price> limit, Qty open);
  void rest_or_expire(Order& order, OrderBook& book, Qty open);
  void fill(Order& order, Qty qty, Price price, uint64_t trade_id, bool maker);
  // A request of a gateway, straight from it (`direct`) or passed on by
  // another shard: whether it restarted and what it saw of this shard's
  // reports (reports_).
  void hear_gateway(const ShardRequest& request, bool direct);

  // renew() puts every member below back as the constructor leaves it: a
  // member added here needs a line there.
  ShardConfig config_;
  const DefectSet& defects_;
  MetaSubscriber subscriber_;
  // Nodes from the node pool: a simulated case builds the shard anew, and
  // its orders and books take the nodes of the case before. (The pool does
  // not change the order a hash map iterates in, which snapshot() follows.)
  std::unordered_map<OrderId, Order, std::hash<OrderId>, std::equal_to<OrderId>,
                     MapNodePool<OrderId, Order>>
      orders_;
  std::unordered_map<std::string, OrderBook, StringHash, std::equal_to<>,
                     MapNodePool<std::string, OrderBook>>
      books_;
  std::pair<const std::string, OrderBook>* last_book_ = nullptr;  // book_for()'s last
  // Each client's orders that may still be live, in the order the shard
  // took them (every live order is in its client's, with final ones not yet
  // dropped): a mass-cancel walks its client's list and drops the final
  // ones it passes, so it costs the orders still open rather than every
  // order the client ever sent, and cancels in the order the orders came,
  // not in a hash map's.
  PerClient<OrderId> open_by_client_;
  // Empty nearly always: a Fifo allocates only once something waits.
  Fifo<Inbound> inbound_;
  Fifo<Parked> parked_;
  bool stalled_ = false;
  bool resume_without_check_ = false;
  uint64_t next_trade_id_ = 1;
  // With a journal: the orders one request changed, and what it would send,
  // held until the change is on disk.
  std::unique_ptr<ShardJournal> journal_;
  std::vector<OrderId> touched_;
  std::vector<OrderId> requeued_;
  std::vector<std::pair<NodeId, Message>> outbox_;
  std::vector<Match> matches_;  // execute()'s, kept for its memory
  // Fills and updates sent to each gateway, until it says it saw them; with
  // a journal kept there too, and held again after a restart.
  ReportLog reports_;
};

}  // namespace ordeal::exchange
