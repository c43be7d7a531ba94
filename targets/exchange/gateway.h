// The gateway: the clients' entry point. It validates every request against
// its cached metadata, routes new orders by the routing table, remembers which
// shard holds each order, forwards fills, and answers every request: ack,
// reject with a reason, or unknown when the shard did not answer in time.
//
// It never acknowledges what a shard has not confirmed; when its metadata is
// known to be stale it rejects orders and amends ("metadata unavailable").
// A live gateway writes each order to a journal (gateway_journal.h) before
// it sends it to a shard, so that after a SIGKILL it hands out no order id
// twice and still knows the orders placed before; in the simulator a crash
// keeps the same (gateway_durable.cc).
#pragma once

#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "framework/base/node_pool.h"
#include "framework/base/string_hash.h"
#include "targets/exchange/gateway_journal.h"
#include "targets/exchange/meta_subscriber.h"
#include "targets/exchange/per_client.h"
#include "targets/exchange/seq_table.h"

namespace ordeal::exchange {

struct GatewayConfig {
  std::vector<NodeId> shards;  // index = ShardId
  SubscriberConfig meta;       // moved into the gateway's subscriber: read it there
  int64_t request_timeout_us = 400'000;
  size_t pending_max = 100'000;
  size_t orders_max = 1'000'000;
  // Orders a shard is asked about in one part of a mass-status: its answer
  // (about 70 bytes an order) stays far below a live link's frame bound
  // (wire.h) however many orders a long-lived gateway holds for a client.
  size_t mass_status_part_max = 10'000;
};

class Gateway final : public Node {
 public:
  Gateway(Env& env, NodeId self, GatewayConfig config, const DefectSet& defects);

  // Makes this gateway what Gateway(env, id(), config, defects) is, with
  // the config and defects it was built with, keeping the memory of its
  // containers where that cannot change what it does: the simulator renews
  // its gateway for every case. `env` must be the one it has.
  void renew(Env& env);

  void on_message(NodeId from, const Message& message) override;
  void on_timer(uint64_t timer_id) override;
  void on_start() override;
  void on_crash() override;
  bool absorb(NodeId from, const MetaHeartbeat& heartbeat, Moment at) override;

  // Live nodes: keeps the orders in the journal at `path`, first restoring
  // them from what is there. Call before the node starts.
  Recovery attach_journal(const std::string& path, const JournalLimits& limits);

  const MetaSubscriber& metadata() const { return subscriber_; }
  // The orders the gateway knows (exchange-node logs it when it starts).
  size_t known_orders() const { return orders_.size(); }

 private:
  struct OrderKey {
    ClientId client;
    std::string clordid;
    bool operator==(const OrderKey&) const = default;
  };
  // Looks an order up by a request's fields without copying them.
  struct OrderKeyView {
    ClientId client;
    std::string_view clordid;
  };
  struct OrderKeyHash {
    using is_transparent = void;
    size_t operator()(const OrderKey& key) const {
      return (*this)(OrderKeyView{key.client, key.clordid});
    }
    size_t operator()(const OrderKeyView& key) const;
  };
  struct OrderKeyEqual {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return a.client == b.client && a.clordid == b.clordid;
    }
  };
  struct KnownOrder {
    OrderId order_id = 0;
    ShardId shard = 0;
    // Where the order was placed from: its fills and unsolicited updates go
    // there until the client is heard from again, also after a restart.
    NodeId client_node = 0;
    OrderView view;  // the latest the gateway heard
    // As acknowledged: what a defective resync rolls back to. Kept only
    // under that defect (state-regress-after-resync).
    OrderView view_at_ack;
  };
  // Who asked what: all that an answer needs of its request.
  struct Asker {
    NodeId client_node = 0;
    ClientId client = 0;
    uint64_t request_id = 0;
    RequestKind kind = RequestKind::place;
  };
  struct Pending {
    Asker asker;
    // The order it is about (null on a mass-cancel). Entries of orders_ are
    // never erased while requests are pending (a crash clears both), and a
    // map's entries stay where they are, so the pointer stays valid.
    KnownOrder* order = nullptr;
    MetaVersion meta_version = 0;
    int64_t deadline_us = 0;  // answered `unknown` then, if no shard answered
    uint32_t shards_outstanding = 0;
    uint32_t cancelled_count = 0;
    bool answered = false;
  };

  // An entry of orders_: a mass-status names each order by its key, as a
  // status request's answer is taken for the order it named (the view a
  // shard reports may carry other names under gateway-forgets-orders).
  using OrderEntry = std::pair<const OrderKey, KnownOrder>;
  // A mass-status in progress: the client's orders the gateway knows,
  // grouped by the shard asked about them, and their views as the shards
  // answer. Few at a time (one per client at the end of a case).
  // Each shard is asked in parts of at most mass_status_part_max orders.
  struct Gathering {
    uint64_t gateway_request_id = 0;  // 0: the place is free
    std::vector<OrderEntry*> asked;   // grouped by shard, each shard's in parts
    std::vector<uint32_t> starts;     // part p asked about asked[starts[p], starts[p + 1])
    std::vector<ShardId> shards;      // part p went to shards[p]
    std::vector<OrderView> views;     // one per asked order
    std::vector<bool> answered;       // by part: a repeated answer counts once
  };

  void on_request(NodeId from, const ClientRequest& request);
  void on_shard_response(NodeId from, const ShardResponse& response);
  void on_fill(NodeId from, const Fill& fill);
  void on_order_update(NodeId from, const OrderUpdate& update);
  // Notes a shard's report (its report_seq): seen when it is the next in
  // order (or the first since this incarnation started, or the first of a
  // restarted shard); one beyond the next means some went missing, and the
  // next request asks the shard to send again what it holds. A report sent
  // again is passed on again: its client counts it once.
  void note_report(NodeId from, uint64_t report_seq);
  // Which shard `from` is; nothing for a node that is none.
  std::optional<ShardId> shard_of(NodeId from) const;
  // Request timeouts: the timeout is one constant, so deadlines come in
  // request id order and one timer, set for the oldest pending request's
  // deadline, serves them all (not one timer per request). Inline in
  // on_message(), which asks it for every message.
  [[gnu::always_inline]] inline void expire_due();
  void arm_timeout();
  // A Fill or an OrderUpdate, copied once, into the message sent.
  template <typename M>
  void tell_client(ClientId client, const KnownOrder* order, const M& message);
  void on_timeout(uint64_t gateway_request_id);
  void on_metadata_change(const Instrument* record);
  void hear_from(ClientId client, NodeId from);
  NodeId heard_from(ClientId client) const;  // kNotHeard: not since the last start

  void place(NodeId from, const ClientRequest& request);
  void modify(NodeId from, const ClientRequest& request);  // amend, cancel, status
  void mass_cancel(NodeId from, const ClientRequest& request);
  void mass_status(NodeId from, const ClientRequest& request);
  KnownOrder& add_entry(ClientId client, const std::string& clordid);
  void divide_into_parts(Gathering& g) const;
  // Takes a shard's answer to one part of a mass-status; false when it is
  // no answer to a part still open.
  bool gather(Gathering& g, ShardId shard, const ShardResponse& response);
  Gathering* gathering(uint64_t gateway_request_id);  // null: none (ended, or timed out)
  Gathering& free_gathering();                        // a place not in use, its id 0
  Gathering* gathering_free();
  void end_gathering(uint64_t gateway_request_id);
  // What a shard reported of an order the gateway knows.
  void learn(KnownOrder& order, const OrderView& heard) const;
  uint64_t track(NodeId from, const ClientRequest& request, KnownOrder* order, uint32_t shards);
  // Sends a request to a shard, built in the message's place: `fill` sets
  // what the request asks, forward() who asks and against which version.
  template <typename Fill>
  void forward(uint64_t gateway_request_id, ShardId shard, Fill&& fill);
  void answer(Pending& pending, Verdict verdict, std::string_view reason, const OrderView& view);
  // Answers a request that no shard is asked about.
  void reply(NodeId client_node, const ClientRequest& request, Verdict verdict,
             std::string_view reason, const OrderView& view,
             std::vector<OrderView>* orders = nullptr);
  // `orders`, when given, is moved into the answer (a mass-status's list).
  void send_answer(const Asker& asker, MetaVersion meta_version, uint32_t cancelled_count,
                   Verdict verdict, std::string_view reason, const OrderView& view,
                   std::vector<OrderView>* orders = nullptr);
  bool acks_early(const ClientRequest& request, const KnownOrder& order) const;
  std::optional<ShardId> route(const Instrument& instrument);
  // gateway_durable.cc: what survives a restart.
  void begin_incarnation();
  void keep(const KnownOrder& order);
  GatewayEntry snapshot() const;
  void restore(const GatewayEntry& entry);

  // renew() puts every member below back as the constructor leaves it: a
  // member added here needs a line there.
  GatewayConfig config_;
  const DefectSet& defects_;
  MetaSubscriber subscriber_;
  // Its nodes come from the node pool: a simulated case builds the gateway
  // anew, and its orders take the nodes of the case before.
  std::unordered_map<OrderKey, KnownOrder, OrderKeyHash, OrderKeyEqual,
                     MapNodePool<OrderKey, KnownOrder>>
      orders_;
  // Each client's entries of orders_, in the order they were made: a
  // mass-status gathers its client's without walking every client's. A
  // map's nodes stay where they are until it is cleared, which clears these.
  PerClient<OrderEntry*> entries_by_client_;
  SeqTable<Pending> pending_;          // by gateway request id
  std::vector<Gathering> gatherings_;  // mass-statuses pending (each also in pending_)
  int64_t timeout_armed_us_ = -1;      // when the armed timeout timer fires; -1: none
  // Where each client was last heard from (hear_from): a client id below
  // kClientsIndexed (the simulator numbers its clients from 1) by index,
  // kNotHeard where none; others in the map, nodes from the pool too.
  static constexpr ClientId kClientsIndexed = 256;
  static constexpr NodeId kNotHeard = std::numeric_limits<NodeId>::max();
  std::vector<NodeId> client_nodes_by_id_;
  std::unordered_map<ClientId, NodeId, std::hash<ClientId>, std::equal_to<ClientId>,
                     MapNodePool<ClientId, NodeId>>
      client_nodes_;
  using Routing = std::unordered_map<std::string, ShardId, StringHash, std::equal_to<>,
                                     MapNodePool<std::string, ShardId>>;
  Routing routing_;
  Routing previous_routing_;
  std::vector<MetaVersion> shard_versions_;  // last version each shard reported
  // Per shard: the last report (Fill, OrderUpdate) up to which this
  // incarnation saw them all, told to the shard with every request, and
  // whether one went missing (report_log.h).
  struct ShardReports {
    uint64_t seen = kReportsUnknown;
    bool missed = false;  // one went missing: ask the shard to send again
  };
  std::vector<ShardReports> reports_;
  OrderId next_order_id_ = 1;
  // Request ids start afresh in each incarnation (boot), so an answer meant
  // for a request of an earlier one never matches a request of this one.
  uint64_t boot_ = 0;
  uint64_t next_request_id_ = 1;
  std::unique_ptr<GatewayJournal> journal_;
};

}  // namespace ordeal::exchange
