// What of the gateway survives a restart: its orders (client order id ->
// exchange order id and shard, the terms as placed) and the next order id;
// not the requests in flight, its connections or its metadata, which a
// real process loses. A live gateway keeps them in its journal; in the
// simulator on_crash() keeps the same in memory, so both modes agree.
#include <fmt/format.h>

#include <cstdlib>

#include "targets/exchange/gateway.h"

namespace ordeal::exchange {
namespace {
// Order ids are the node << 40 + a counter, request ids the incarnation
// << 40 + a counter (kGatewayBootShift, which shards read).
constexpr int kIdShift = kGatewayBootShift;
}  // namespace

// A new incarnation: request ids of the last one may still be answered by a
// shard, so this one numbers its requests apart.
void Gateway::begin_incarnation() {
  ++boot_;
  next_request_id_ = (boot_ << kIdShift) + 1;
  if (journal_) {
    const GatewayEntry entry{.boot = boot_};
    if (const std::string e = journal_->append(entry, [this] { return snapshot(); }); !e.empty()) {
      fmt::print(stderr, "gateway: journal write failed, stopping: {}\n", e);
      std::_Exit(75);
    }
  }
}

void Gateway::on_crash() {
  pending_.clear();  // requests in flight: their clients see the connection drop
  gatherings_.clear();
  timeout_armed_us_ = -1;  // timers die with the process
  client_nodes_.clear();   // connections die with the process
  client_nodes_by_id_.clear();
  routing_.clear();
  previous_routing_.clear();
  shard_versions_.assign(shard_versions_.size(), 0);
  // What reached the last incarnation is unknown to the next: the shards
  // send again what they hold (report_log.h).
  reports_.assign(reports_.size(), {});
  subscriber_.lose_state();  // resynced from a replica at the restart
  if (!defects_.has(Defect::gateway_forgets_orders)) return;
  orders_.clear();  // the defect: nothing was journaled
  entries_by_client_.clear();
  next_order_id_ = (uint64_t{self_} << kIdShift) + 1;
}

// A gateway that cannot keep an order must not send it on: it stops, as a
// database stops on a failed fsync, and its restart recovers what was kept.
void Gateway::keep(const KnownOrder& order) {
  if (!journal_) return;
  const GatewayEntry entry{
      .orders = {GatewayOrder{
          .placed = order.view, .shard = order.shard, .client_node = order.client_node}}};
  if (const std::string e = journal_->append(entry, [this] { return snapshot(); }); !e.empty()) {
    fmt::print(stderr, "gateway: journal write failed, stopping: {}\n", e);
    std::_Exit(75);
  }
}

GatewayEntry Gateway::snapshot() const {
  GatewayEntry entry{.boot = boot_};
  entry.orders.reserve(orders_.size());
  for (const auto& [key, order] : orders_) {
    entry.orders.push_back(
        GatewayOrder{.placed = order.view, .shard = order.shard, .client_node = order.client_node});
  }
  return entry;
}

void Gateway::restore(const GatewayEntry& entry) {
  boot_ = std::max(boot_, entry.boot);
  for (const GatewayOrder& o : entry.orders) {
    auto known = orders_.find(OrderKeyView{o.placed.client, o.placed.clordid});
    KnownOrder& order =
        known != orders_.end() ? known->second : add_entry(o.placed.client, o.placed.clordid);
    order = KnownOrder{.order_id = o.placed.order_id,
                       .shard = o.shard,
                       .client_node = o.client_node,
                       .view = o.placed,
                       .view_at_ack = o.placed};
    next_order_id_ = std::max(next_order_id_, o.placed.order_id + 1);
  }
}

Recovery Gateway::attach_journal(const std::string& path, const JournalLimits& limits) {
  if (defects_.has(Defect::gateway_forgets_orders)) {
    return {.note = "defect gateway-forgets-orders: the gateway keeps no journal"};
  }
  auto journal = std::make_unique<GatewayJournal>();
  Recovery r = journal->open(path, limits, [this](const GatewayEntry& e) { restore(e); });
  if (r.error.empty()) journal_ = std::move(journal);
  return r;
}

}  // namespace ordeal::exchange
