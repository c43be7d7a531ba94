#include "targets/exchange/gateway.h"

#include <algorithm>
#include <functional>
#include <tuple>
#include <utility>

#include "framework/base/string_hash.h"
#include "targets/exchange/fault_points.h"

namespace ordeal::exchange {
namespace {
// The gateway's one timer of its own (the subscriber's ids are far above).
constexpr uint64_t kTimeoutTimer = 1;

bool is_final_view(const OrderView& view) { return is_final(view.status); }

// What a shard reports of an order the gateway knows by the same id: only
// the fields that can change, for a caller that knows the names are the
// same (copying the two strings was most of what taking an answer cost).
void take_state(OrderView& known, const OrderView& heard) {
  known.order_id = heard.order_id;
  known.client = heard.client;
  known.side = heard.side;
  known.status = heard.status;
  known.price = heard.price;
  known.qty = heard.qty;
  known.filled = heard.filled;
}
}  // namespace

size_t Gateway::OrderKeyHash::operator()(const OrderKeyView& key) const {
  return hash_string(key.clordid) ^ (size_t{key.client} * 0x9e3779b97f4a7c15ULL);
}

Gateway::Gateway(Env& env, NodeId self, GatewayConfig config, const DefectSet& defects)
    : Node(env, self),
      config_(std::move(config)),
      defects_(defects),
      subscriber_(env, std::move(config_.meta), defects),  // the subscriber keeps it
      shard_versions_(config_.shards.size(), 0),
      reports_(config_.shards.size()),
      next_order_id_((uint64_t{self} << 40) + 1) {
  ORDEAL_ASSERT(!config_.shards.empty());
  subscriber_.set_on_change([this](const Instrument* record) { on_metadata_change(record); });
}

// Member by member, in the order they are declared. The maps are replaced
// by new ones, not cleared: a cleared map keeps its buckets, and the order
// it iterates in would not be a new map's.
void Gateway::renew(Env& env) {
  ORDEAL_ASSERT(&env == &env_, "gateway {} renewed with another env", self_);
  subscriber_.renew();
  decltype(orders_)().swap(orders_);
  entries_by_client_.clear();
  pending_.clear();
  gatherings_.clear();
  timeout_armed_us_ = -1;
  client_nodes_by_id_.clear();
  decltype(client_nodes_)().swap(client_nodes_);
  Routing().swap(routing_);
  Routing().swap(previous_routing_);
  shard_versions_.assign(config_.shards.size(), 0);
  reports_.assign(config_.shards.size(), {});
  next_order_id_ = (uint64_t{self_} << 40) + 1;
  boot_ = 0;
  next_request_id_ = 1;
  journal_.reset();
}

void Gateway::on_start() {
  begin_incarnation();
  subscriber_.start();
}

void Gateway::on_message(NodeId from, const Message& message) {
  // A request whose deadline is now expires before anything else happens
  // at this time, as it did when each request had its own timer, set
  // before its answer could be scheduled: a shard's answer that arrives
  // exactly at the deadline is too late.
  expire_due();
  if (subscriber_.on_message(from, message)) return;
  if (const auto* request = std::get_if<ClientRequest>(&message)) {
    on_request(from, *request);
  } else if (const auto* response = std::get_if<ShardResponse>(&message)) {
    on_shard_response(from, *response);
  } else if (const auto* fill = std::get_if<Fill>(&message)) {
    on_fill(from, *fill);
  } else if (const auto* update = std::get_if<OrderUpdate>(&message)) {
    on_order_update(from, *update);
  }
}

// A heartbeat also expires the requests due at its arrival (on_message):
// it can be absorbed only if none can be due by then. A request sent from
// now on is due a full timeout later.
bool Gateway::absorb(NodeId from, const MetaHeartbeat& heartbeat, Moment at) {
  if (at.time_us >= env_.now_us() + config_.request_timeout_us) return false;
  const Pending* oldest = pending_.oldest();
  if (oldest != nullptr && oldest->deadline_us <= at.time_us) return false;
  return subscriber_.absorb(from, heartbeat, at);
}

void Gateway::on_timer(uint64_t timer_id) {
  if (subscriber_.on_timer(timer_id)) return;
  if (timer_id != kTimeoutTimer) return;
  timeout_armed_us_ = -1;
  expire_due();
  arm_timeout();
}

void Gateway::on_metadata_change(const Instrument* record) {
  auto note = [this](const Instrument& instrument) {
    auto [it, inserted] = routing_.try_emplace(instrument.symbol, instrument.shard);
    if (!inserted && it->second != instrument.shard) {
      previous_routing_[instrument.symbol] = it->second;
      it->second = instrument.shard;
    }
  };
  if (record != nullptr) {
    note(*record);
    return;
  }
  for (const Instrument& instrument : subscriber_.state().instruments) note(instrument);
  if (!defects_.has(Defect::state_regress_after_resync)) return;
  for (auto& [key, order] : orders_) order.view = order.view_at_ack;  // the defect
}

void Gateway::on_request(NodeId from, const ClientRequest& request) {
  hear_from(request.client, from);
  if (pending_.size() >= config_.pending_max) {
    reply(from, request, Verdict::reject, "gateway overloaded", {});
    return;
  }
  switch (request.kind) {
    case RequestKind::place:
      place(from, request);
      break;
    case RequestKind::mass_cancel:
      mass_cancel(from, request);
      break;
    case RequestKind::mass_status:
      mass_status(from, request);
      break;
    default:
      modify(from, request);
      break;
  }
}

std::optional<ShardId> Gateway::route(const Instrument& instrument) {
  ShardId shard = instrument.shard;
  if (points::gateway_route_stale.check()) {
    auto previous = previous_routing_.find(instrument.symbol);
    if (previous != previous_routing_.end()) shard = previous->second;
  }
  if (shard >= config_.shards.size()) return std::nullopt;
  return shard;
}

// Defined before its callers: a template, to take their lambdas inline.
template <typename Fill>
void Gateway::forward(uint64_t gateway_request_id, ShardId shard, Fill&& fill) {
  env_.send_built<ShardRequest>(config_.shards[shard], 0, [&](ShardRequest& request) {
    fill(request);
    request.gateway_request_id = gateway_request_id;
    request.meta_version = subscriber_.version();
    request.gateway = self_;
    request.reports_seen = reports_[shard].seen;
    request.resend_reports = std::exchange(reports_[shard].missed, false);
  });
}

void Gateway::place(NodeId from, const ClientRequest& request) {
  if (!subscriber_.fresh())
    return reply(from, request, Verdict::reject, "metadata unavailable", {});
  const Instrument* instrument = subscriber_.state().find(request.symbol);
  if (instrument == nullptr) {
    if (defects_.has(Defect::drop_on_cache_miss)) return;  // the defect: no answer at all
    return reply(from, request, Verdict::reject, "unknown symbol", {});
  }
  const OrderTerms terms{.kind = RequestKind::place,
                         .side = request.side,
                         .type = request.type,
                         .post_only = request.post_only,
                         .price = request.price,
                         .qty = request.qty};
  if (auto reason = nonconformance(*instrument, terms)) {
    return reply(from, request, Verdict::reject, *reason, {});
  }
  auto existing = orders_.find(OrderKeyView{request.client, request.clordid});
  const bool reuse_allowed = existing != orders_.end() && defects_.has(Defect::duplicate_clordid) &&
                             is_final_view(existing->second.view);
  if (existing != orders_.end() && !reuse_allowed) {
    return reply(from, request, Verdict::reject, kDuplicateClordid, {});
  }
  if (orders_.size() >= config_.orders_max || (journal_ && journal_->nearly_full())) {
    return reply(from, request, Verdict::reject, "gateway order table full", {});
  }
  const auto shard = route(*instrument);
  if (!shard) return reply(from, request, Verdict::reject, "no such engine shard", {});
  const OrderId order_id = next_order_id_++;
  // The entry found above is the one a reused id overwrites (no second
  // lookup), and starts afresh; a new entry's key is built in its node.
  KnownOrder& order = existing != orders_.end() ? (existing->second = KnownOrder{})
                                                : add_entry(request.client, request.clordid);
  // Field by field into the fresh entry: a KnownOrder built and then moved
  // there copied each string twice.
  order.order_id = order_id;
  order.shard = *shard;
  order.client_node = from;
  order.view.order_id = order_id;
  order.view.client = request.client;
  order.view.clordid = request.clordid;
  order.view.symbol = request.symbol;
  order.view.side = request.side;
  order.view.price = request.price;
  order.view.qty = request.qty;
  keep(order);  // before any shard can hold it
  const uint64_t id = track(from, request, &order, 1);
  forward(id, *shard, [&](ShardRequest& sent) {
    sent.kind = RequestKind::place;
    sent.order_id = order_id;
    sent.client = request.client;
    sent.clordid = request.clordid;
    sent.symbol = request.symbol;
    sent.side = request.side;
    sent.type = request.type;
    sent.tif = request.tif;
    sent.post_only = request.post_only;
    sent.price = request.price;
    sent.qty = request.qty;
  });
}

// Amend, cancel and status: requests about an order the gateway already knows.
void Gateway::modify(NodeId from, const ClientRequest& request) {
  auto it = orders_.find(OrderKeyView{request.client, request.clordid});
  if (it == orders_.end()) return reply(from, request, Verdict::reject, kUnknownOrder, {});
  KnownOrder& order = it->second;
  if (request.kind == RequestKind::status && defects_.has(Defect::state_regress_after_resync)) {
    return reply(from, request, Verdict::ack, "", order.view);  // the defect: from the cache
  }
  if (request.kind == RequestKind::amend) {
    if (!subscriber_.fresh()) {
      return reply(from, request, Verdict::reject, "metadata unavailable", order.view);
    }
    const Instrument* instrument = subscriber_.state().find(order.view.symbol);
    if (instrument == nullptr) {
      return reply(from, request, Verdict::reject, "unknown symbol", order.view);
    }
    const OrderTerms terms{.kind = RequestKind::amend,
                           .side = order.view.side,
                           .price = request.price,
                           .qty = request.qty,
                           .kept_price = order.view.price,
                           .kept_qty = order.view.qty};
    if (auto reason = nonconformance(*instrument, terms)) {
      return reply(from, request, Verdict::reject, *reason, order.view);
    }
  }
  const uint64_t id = track(from, request, &order, 1);
  if (acks_early(request, order)) answer(*pending_.find(id), Verdict::ack, "", order.view);
  // The shard knows the order by its id: the names stay empty (ShardRequest).
  forward(id, order.shard, [&](ShardRequest& sent) {
    sent.kind = request.kind;
    sent.order_id = order.order_id;
    sent.client = request.client;
    sent.side = order.view.side;
    sent.price = request.price;
    sent.qty = request.qty;
  });
}

// Defects that answer before the shard has: never with defect `none`.
bool Gateway::acks_early(const ClientRequest& request, const KnownOrder& order) const {
  const bool modifies = request.kind == RequestKind::cancel || request.kind == RequestKind::amend;
  if (request.kind == RequestKind::cancel && defects_.has(Defect::cancel_ack_before_apply)) {
    return true;
  }
  return modifies && defects_.has(Defect::okx_2023_08_14) &&
         subscriber_.version() > shard_versions_[order.shard];
}

void Gateway::mass_cancel(NodeId from, const ClientRequest& request) {
  const auto shards = static_cast<uint32_t>(config_.shards.size());
  const uint64_t id = track(from, request, nullptr, shards);
  for (ShardId shard = 0; shard < shards; ++shard) {
    forward(id, shard, [&](ShardRequest& sent) {
      sent.kind = RequestKind::mass_cancel;
      sent.client = request.client;
      sent.symbol = request.symbol;
    });
  }
}

// Each shard is asked about the client's orders the gateway placed there,
// by id, as a status request asks about one: an order the gateway does not
// know is not in the answer, as a status request of it is "unknown order".
void Gateway::mass_status(NodeId from, const ClientRequest& request) {
  std::vector<OrderEntry*> asked;
  if (const std::vector<OrderEntry*>* known = entries_by_client_.find(request.client)) {
    asked = *known;
  }
  if (defects_.has(Defect::state_regress_after_resync)) {  // the defect: from the cache
    std::vector<OrderView> views;
    for (const OrderEntry* entry : asked) {
      views.push_back(entry->second.view);
      views.back().client = entry->first.client;
      views.back().clordid = entry->first.clordid;
    }
    return reply(from, request, Verdict::ack, "", {}, &views);
  }
  // Stable: within a shard, in the order the table gave them.
  std::stable_sort(asked.begin(), asked.end(), [](const OrderEntry* a, const OrderEntry* b) {
    return a->second.shard < b->second.shard;
  });
  if (asked.empty()) return reply(from, request, Verdict::ack, "", {});  // nothing placed
  Gathering& g = free_gathering();
  g.asked.swap(asked);
  divide_into_parts(g);
  const auto parts = static_cast<uint32_t>(g.shards.size());
  g.views.assign(g.asked.size(), OrderView{});
  g.answered.assign(parts, false);
  g.gateway_request_id = track(from, request, nullptr, parts);
  for (uint32_t part = 0; part < parts; ++part) {
    forward(g.gateway_request_id, g.shards[part], [&](ShardRequest& sent) {
      sent.kind = RequestKind::mass_status;
      sent.client = request.client;
      sent.part = part;
      sent.order_ids.reserve(g.starts[part + 1] - g.starts[part]);
      for (uint32_t i = g.starts[part]; i < g.starts[part + 1]; ++i) {
        sent.order_ids.push_back(g.asked[i]->second.order_id);
      }
    });
  }
}

// A new entry of orders_, noted under its client.
Gateway::KnownOrder& Gateway::add_entry(ClientId client, const std::string& clordid) {
  OrderEntry& entry = *orders_
                           .emplace(std::piecewise_construct,
                                    std::forward_as_tuple(client, clordid), std::forward_as_tuple())
                           .first;
  entries_by_client_.of(client).push_back(&entry);
  return entry.second;
}

// Each shard's run of `asked` in parts of at most mass_status_part_max.
void Gateway::divide_into_parts(Gathering& g) const {
  g.starts.clear();
  g.shards.clear();
  const size_t part_max = std::max<size_t>(config_.mass_status_part_max, 1);
  for (size_t i = 0; i < g.asked.size(); ++i) {
    const ShardId shard = g.asked[i]->second.shard;
    const bool new_shard = g.shards.empty() || g.shards.back() != shard;
    if (new_shard || i - g.starts.back() == part_max) {
      g.starts.push_back(static_cast<uint32_t>(i));
      g.shards.push_back(shard);
    }
  }
  g.starts.push_back(static_cast<uint32_t>(g.asked.size()));
}

bool Gateway::gather(Gathering& g, ShardId shard, const ShardResponse& response) {
  const uint32_t part = response.part;
  if (part >= g.shards.size() || g.shards[part] != shard || g.answered[part]) return false;
  const uint32_t from = g.starts[part], to = g.starts[part + 1];
  if (to - from != response.orders.size()) return false;
  g.answered[part] = true;
  // As a status request's answer: the shard's view of the id asked about
  // (taken into the entry only while the entry still has that id), or,
  // the id unknown there, only the name ("unknown order"); either under
  // the name the order was asked by.
  for (uint32_t i = from; i < to; ++i) {
    auto& [key, order] = *g.asked[i];
    const OrderView& heard = response.orders[i - from];
    OrderView& view = g.views[i];
    if (heard.status != OrdStatus::none) {
      if (heard.order_id == order.order_id) learn(order, heard);
      view = heard;
    }
    view.client = key.client;
    view.clordid = key.clordid;
  }
  return true;
}

Gateway::Gathering* Gateway::gathering(uint64_t gateway_request_id) {
  if (gateway_request_id == 0) return nullptr;
  for (Gathering& g : gatherings_) {
    if (g.gateway_request_id == gateway_request_id) return &g;
  }
  return nullptr;
}

// Places are reused, with their lists' memory: a case ends with one
// mass-status per client.
Gateway::Gathering& Gateway::free_gathering() {
  Gathering* g = gathering_free();
  if (g == nullptr) g = &gatherings_.emplace_back();
  g->gateway_request_id = 0;
  return *g;
}

Gateway::Gathering* Gateway::gathering_free() {
  for (Gathering& g : gatherings_) {
    if (g.gateway_request_id == 0) return &g;
  }
  return nullptr;
}

void Gateway::end_gathering(uint64_t gateway_request_id) {
  if (Gathering* g = gathering(gateway_request_id)) g->gateway_request_id = 0;
}

uint64_t Gateway::track(NodeId from, const ClientRequest& request, KnownOrder* order,
                        uint32_t shards) {
  const uint64_t id = next_request_id_++;
  pending_.emplace(id, Pending{.asker = {.client_node = from,
                                         .client = request.client,
                                         .request_id = request.request_id,
                                         .kind = request.kind},
                               .order = order,
                               .meta_version = subscriber_.version(),
                               .deadline_us = env_.now_us() + config_.request_timeout_us,
                               .shards_outstanding = shards});
  arm_timeout();
  return id;
}

std::optional<ShardId> Gateway::shard_of(NodeId from) const {
  for (size_t shard = 0; shard < config_.shards.size(); ++shard) {
    if (config_.shards[shard] == from) return static_cast<ShardId>(shard);
  }
  return std::nullopt;
}

void Gateway::on_shard_response(NodeId from, const ShardResponse& response) {
  const std::optional<ShardId> responder = shard_of(from);
  if (responder) shard_versions_[*responder] = response.shard_version;
  Pending* found = pending_.find(response.gateway_request_id);
  if (found == nullptr) return;  // answered as unknown already
  Pending& pending = *found;
  const RequestKind kind = pending.asker.kind;
  if (kind == RequestKind::mass_cancel) {
    pending.cancelled_count += response.cancelled_count;
    if (--pending.shards_outstanding > 0) return;
    answer(pending, Verdict::ack, "", {});
    pending_.erase(response.gateway_request_id);
    return;
  }
  if (kind == RequestKind::mass_status) {
    Gathering* g = gathering(response.gateway_request_id);
    if (g == nullptr || !responder) return;
    if (!response.ok) {
      answer(pending, Verdict::reject, response.reason, {});
    } else if (!gather(*g, *responder, response) || --pending.shards_outstanding > 0) {
      return;
    } else {
      send_answer(pending.asker, pending.meta_version, 0, Verdict::ack, "", {}, &g->views);
      pending.answered = true;
    }
    end_gathering(response.gateway_request_id);
    pending_.erase(response.gateway_request_id);
    return;
  }
  KnownOrder* order = pending.order;
  if (order != nullptr && response.order.order_id == order->order_id) {
    learn(*order, response.order);
    if (kind == RequestKind::place) {
      // Whole, names too, and only for the defect that rolls back to it:
      // nothing else reads it, and copying its two names cost every place.
      if (defects_.has(Defect::state_regress_after_resync)) order->view_at_ack = response.order;
      if (responder && *responder != order->shard) {
        order->shard = *responder;  // a forwarded order lives there
        keep(*order);
      }
    }
  }
  if (order != nullptr && kind == RequestKind::place && !response.ok) {
    order->view.status = OrdStatus::rejected;
  }
  answer(pending, response.ok ? Verdict::ack : Verdict::reject, response.reason, response.order);
  pending_.erase(response.gateway_request_id);
}

// Pending requests sit in id order, which is deadline order: the due ones
// are at the oldest end. With none pending the time is not even asked.
void Gateway::expire_due() {
  const Pending* oldest = pending_.oldest();
  if (oldest == nullptr) return;
  const int64_t now_us = env_.now_us();
  for (; oldest != nullptr && oldest->deadline_us <= now_us; oldest = pending_.oldest()) {
    on_timeout(pending_.oldest_id());  // erases it: each turn removes one entry
  }
}

// A timer already set fires no later than the oldest deadline (later
// requests only add later deadlines), so it is left; when it fires it sets
// the next one. It may fire with nothing due, when the request it was set
// for was answered: then it is set again for the new oldest.
void Gateway::arm_timeout() {
  if (timeout_armed_us_ >= 0) return;
  const Pending* oldest = pending_.oldest();
  if (oldest == nullptr) return;
  timeout_armed_us_ = oldest->deadline_us;
  env_.set_timer(std::max<int64_t>(oldest->deadline_us - env_.now_us(), 0), kTimeoutTimer);
}

// An order id names one order, whose client order id and symbol are those
// it was placed with at the gateway and the shard alike. Not so under the
// gateway-forgets-orders defect: a restarted gateway hands the same ids out
// again, and a shard may answer about the earlier order.
void Gateway::learn(KnownOrder& order, const OrderView& heard) const {
  if (defects_.has(Defect::gateway_forgets_orders)) [[unlikely]] {
    order.view = heard;
  } else {
    take_state(order.view, heard);
  }
}

void Gateway::on_timeout(uint64_t gateway_request_id) {
  Pending* found = pending_.find(gateway_request_id);
  if (found == nullptr) return;
  if (found->asker.kind == RequestKind::mass_status) end_gathering(gateway_request_id);
  Pending& pending = *found;
  if (pending.asker.kind == RequestKind::mass_cancel && defects_.has(Defect::mass_cancel_partial)) {
    answer(pending, Verdict::ack, "", {});  // the defect: unconfirmed shards count as done
  } else {
    answer(pending, Verdict::unknown, "no answer from the engine shard in time", {});
  }
  pending_.erase(gateway_request_id);
}

// Every request looks its client up: a vector index costs less than the
// map's hashing for the small ids that simulated clients have.
void Gateway::hear_from(ClientId client, NodeId from) {
  if (client >= kClientsIndexed) {
    client_nodes_[client] = from;
    return;
  }
  if (client >= client_nodes_by_id_.size()) client_nodes_by_id_.resize(client + 1, kNotHeard);
  client_nodes_by_id_[client] = from;
}

NodeId Gateway::heard_from(ClientId client) const {
  if (client < client_nodes_by_id_.size()) return client_nodes_by_id_[client];
  if (client < kClientsIndexed) return kNotHeard;
  auto heard = client_nodes_.find(client);
  return heard == client_nodes_.end() ? kNotHeard : heard->second;
}

// A fill or unsolicited update goes where the client was last heard from;
// after a restart, before it has sent anything, where its order came from
// (a FIX port keeps it for the client's next logon), so that it is not lost.
template <typename M>
void Gateway::tell_client(ClientId client, const KnownOrder* order, const M& message) {
  const NodeId heard = heard_from(client);
  if (heard != kNotHeard) return env_.send(heard, message);
  if (defects_.has(Defect::restart_drops_fills)) [[unlikely]]
    return;  // the defect: dropped
  if (order != nullptr && order->client_node != 0) env_.send(order->client_node, message);
}

void Gateway::note_report(NodeId from, uint64_t report_seq) {
  const std::optional<ShardId> shard = shard_of(from);
  if (!shard) return;
  ShardReports& reports = reports_[*shard];
  if (reports.seen == kReportsUnknown || report_seq == 1 || report_seq == reports.seen + 1) {
    reports.seen = report_seq;
  } else if (report_seq > reports.seen + 1) {
    reports.missed = true;
  }
}

void Gateway::on_fill(NodeId from, const Fill& fill) {
  note_report(from, fill.report_seq);
  auto order = orders_.find(OrderKeyView{fill.client, fill.clordid});
  const bool known = order != orders_.end() && order->second.order_id == fill.order_id;
  if (known) {
    OrderView& view = order->second.view;
    view.filled = std::max(view.filled, fill.order_filled);
    view.status =
        fill.order_filled >= fill.order_qty ? OrdStatus::filled : OrdStatus::partially_filled;
  }
  tell_client(fill.client, known ? &order->second : nullptr, fill);
}

void Gateway::on_order_update(NodeId from, const OrderUpdate& update) {
  note_report(from, update.report_seq);
  auto order = orders_.find(OrderKeyView{update.order.client, update.order.clordid});
  const bool known = order != orders_.end() && order->second.order_id == update.order.order_id;
  if (known) order->second.view = update.order;
  tell_client(update.order.client, known ? &order->second : nullptr, update);
}

void Gateway::answer(Pending& pending, Verdict verdict, std::string_view reason,
                     const OrderView& view) {
  if (pending.answered) return;
  pending.answered = true;
  send_answer(pending.asker, pending.meta_version, pending.cancelled_count, verdict, reason, view);
}

void Gateway::reply(NodeId client_node, const ClientRequest& request, Verdict verdict,
                    std::string_view reason, const OrderView& view,
                    std::vector<OrderView>* orders) {
  const Asker asker{.client_node = client_node,
                    .client = request.client,
                    .request_id = request.request_id,
                    .kind = request.kind};
  send_answer(asker, subscriber_.version(), 0, verdict, reason, view, orders);
}

void Gateway::send_answer(const Asker& asker, MetaVersion meta_version, uint32_t cancelled_count,
                          Verdict verdict, std::string_view reason, const OrderView& view,
                          std::vector<OrderView>* orders) {
  int64_t delay_us = 0;
  if (const auto hit = points::gateway_ack_delay.check(asker.client_node)) {
    delay_us = hit.param * 1000;
  }
  env_.send_built<ClientResponse>(asker.client_node, delay_us, [&](ClientResponse& response) {
    response.client = asker.client;
    response.request_id = asker.request_id;
    response.kind = asker.kind;
    response.verdict = verdict;
    // A fresh message's reason is empty already: most answers are acks
    // without one, and assigning nothing is still an out-of-line call.
    if (!reason.empty()) response.reason = reason;
    response.order = view;
    response.meta_version = meta_version;
    response.cancelled_count = cancelled_count;
    if (orders != nullptr) response.orders = std::move(*orders);
  });
}

}  // namespace ordeal::exchange
