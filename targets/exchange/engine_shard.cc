#include "targets/exchange/engine_shard.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "targets/exchange/fault_points.h"

namespace ordeal::exchange {
namespace {
constexpr uint64_t kResumeTimer = 1;
constexpr uint64_t kParkTimer = 2;
constexpr int64_t kParkCheckUs = 10'000;

bool live(const OrderView& view) {
  return view.status == OrdStatus::new_order || view.status == OrdStatus::partially_filled;
}
}  // namespace

EngineShard::EngineShard(Env& env, NodeId self, ShardConfig config, const DefectSet& defects)
    : Node(env, self),
      config_(std::move(config)),
      defects_(defects),
      subscriber_(env, std::move(config_.meta), defects),  // the subscriber keeps it
      next_trade_id_((uint64_t{config_.shard} << 48) + 1) {
  subscriber_.set_on_change([this](const Instrument*) { unpark(); });
}

// Member by member, in the order they are declared. The maps are replaced
// by new ones, not cleared: a cleared map keeps its buckets, and the order
// it iterates in (a journal's snapshot follows it) would not be a new map's.
void EngineShard::renew(Env& env) {
  ORDEAL_ASSERT(&env == &env_, "shard {} renewed with another env", self_);
  subscriber_.renew();
  decltype(orders_)().swap(orders_);
  decltype(books_)().swap(books_);
  last_book_ = nullptr;
  open_by_client_.clear();
  inbound_.clear();
  parked_.clear();
  stalled_ = false;
  resume_without_check_ = false;
  next_trade_id_ = (uint64_t{config_.shard} << 48) + 1;
  journal_.reset();
  touched_.clear();
  requeued_.clear();
  outbox_.clear();
  matches_.clear();
  reports_.clear();
}

void EngineShard::on_start() { subscriber_.start(); }

void EngineShard::on_crash() {
  inbound_.clear();
  parked_.clear();
  stalled_ = false;
  subscriber_.lose_state();
  // With a journal the reports are on disk: restarted in place (the control
  // port's crash), the shard holds them as if it had read them back. The
  // simulator's shards have none and forget them, as they always did.
  if (journal_) {
    reports_.hold_again();
  } else {
    reports_.clear();
  }
  if (defects_.has(Defect::restart_loses_orders)) {
    orders_.clear();  // the defect: the book was never journaled
    books_.clear();
    last_book_ = nullptr;
    open_by_client_.clear();
  }
}

void EngineShard::on_message(NodeId from, const Message& message) {
  if (subscriber_.on_message(from, message)) return;
  const auto* request = std::get_if<ShardRequest>(&message);
  if (request == nullptr) return;
  hear_gateway(*request, from == request->gateway);
  if (inbound_.size() >= config_.inbound_max) {
    send_answer(from, *request, respond(false, "shard overloaded", nullptr));
    return;
  }
  // Nothing queued ahead of it (the usual case): it is applied from the
  // message itself, with no copy into the queue and back out.
  if (inbound_.empty() && !stalled_) {
    if (may_apply()) {
      apply_durably(*request);
    } else if (stalled_) {
      inbound_.push_back(Inbound{from, *request});  // waits for the resume timer
    }
    return;
  }
  inbound_.push_back(Inbound{from, *request});
  if (!stalled_) drain();
}

void EngineShard::on_timer(uint64_t timer_id) {
  if (subscriber_.on_timer(timer_id)) return;
  if (timer_id == kParkTimer) {
    expire_parked();
    return;
  }
  if (timer_id != kResumeTimer) return;
  stalled_ = false;
  resume_without_check_ = true;
  drain();
}

void EngineShard::drain() {
  while (!inbound_.empty() && !stalled_) {
    if (!may_apply()) return;
    const Inbound next = std::move(inbound_.front());
    inbound_.pop_front();
    apply_durably(next.request);
  }
}

// The fault points in front of every apply: false when the shard crashed
// (its queue is gone) or stalled (the request waits for the resume timer).
// The first request after a stall has passed them already.
bool EngineShard::may_apply() {
  if (resume_without_check_) {
    resume_without_check_ = false;
    return true;
  }
  if (const auto hit = points::engine_shard_crash.check()) {
    env_.crash_self(hit.param * 1000);
    return false;
  }
  if (const auto hit = points::engine_apply_delay.check()) {
    stalled_ = true;
    env_.set_timer(hit.param * 1000, kResumeTimer);
    return false;
  }
  return true;
}

std::optional<std::string_view> EngineShard::version_problem(const ShardRequest& request) const {
  if (!subscriber_.fresh()) return "metadata unavailable on the shard";
  if (request.meta_version > subscriber_.version()) {
    return "shard metadata older than the gateway's";
  }
  return std::nullopt;
}

void EngineShard::apply(const ShardRequest& request) {
  const bool newer_than_shard = request.meta_version > subscriber_.version();
  if (defects_.has(Defect::okx_2023_08_14) && newer_than_shard &&
      (request.kind == RequestKind::cancel || request.kind == RequestKind::amend)) {
    return;  // the defect: a request under an unknown version is silently dropped
  }
  const bool metadata_bound =
      request.kind == RequestKind::place || request.kind == RequestKind::amend;
  // fresh() after the cheap test: it looks through the absorbed heartbeats,
  // and version_problem() asks it again below.
  if (metadata_bound && newer_than_shard && subscriber_.fresh() && park(request)) return;
  const auto problem = metadata_bound ? version_problem(request) : std::nullopt;
  bool forwarded = false;
  const Outcome outcome =
      problem ? respond(false, *problem, nullptr) : dispatch(request, forwarded);
  if (!forwarded) emit_answer(request.gateway, request, outcome);
}

EngineShard::Outcome EngineShard::dispatch(const ShardRequest& request, bool& forwarded) {
  switch (request.kind) {
    case RequestKind::place:
      return place(request, forwarded);
    case RequestKind::amend:
      return amend(request);
    case RequestKind::cancel:
      return cancel(request);
    case RequestKind::mass_cancel:
      return mass_cancel(request);
    case RequestKind::mass_status:
      return respond(true, "", nullptr);  // the list is the answer's (fill_answer)
    case RequestKind::status:
      break;
  }
  auto it = orders_.find(request.order_id);
  return it == orders_.end() ? respond(false, kUnknownOrder, nullptr)
                             : respond(true, "", &it->second);
}

// Holds a request until the shard's metadata reaches its version; false when
// the parking lot is full (the caller then rejects it).
bool EngineShard::park(const ShardRequest& request) {
  if (parked_.size() >= config_.parked_max) return false;
  if (parked_.empty()) env_.set_timer(kParkCheckUs, kParkTimer);
  parked_.push_back(Parked{env_.now_us() + config_.park_us_max, request});
  return true;
}

void EngineShard::unpark() {
  if (parked_.empty()) return;  // the usual case
  Fifo<Parked> waiting;
  waiting.swap(parked_);
  for (Parked& p : waiting) {
    if (p.request.meta_version <= subscriber_.version()) {
      apply_durably(p.request);
    } else {
      parked_.push_back(std::move(p));
    }
  }
}

void EngineShard::expire_parked() {
  const int64_t now = env_.now_us();
  while (!parked_.empty() && parked_.front().deadline_us <= now) {
    const ShardRequest request = std::move(parked_.front().request);
    parked_.pop_front();
    send_answer(request.gateway, request,
                respond(false, "shard metadata older than the gateway's", nullptr));
  }
  if (!parked_.empty()) env_.set_timer(kParkCheckUs, kParkTimer);
}

void EngineShard::fill_answer(ShardResponse& response, const ShardRequest& request,
                              const Outcome& outcome) const {
  response.gateway_request_id = request.gateway_request_id;
  response.ok = outcome.ok;
  if (!outcome.reason.empty()) response.reason = outcome.reason;  // fresh: empty already
  if (outcome.order != nullptr) response.order = outcome.order->view;
  response.shard_version = subscriber_.version();
  response.cancelled_count = outcome.cancelled_count;
  if (request.kind != RequestKind::mass_status || !outcome.ok) return;
  response.part = request.part;
  // Each order asked about, in the order asked; one not known here by its id alone.
  response.orders.reserve(request.order_ids.size());
  for (const OrderId id : request.order_ids) {
    const OrderView* view = order(id);
    response.orders.push_back(view != nullptr ? *view : OrderView{.order_id = id});
  }
}

void EngineShard::send_answer(NodeId to, const ShardRequest& request, const Outcome& outcome) {
  env_.send_built<ShardResponse>(
      to, 0, [&](ShardResponse& response) { fill_answer(response, request, outcome); });
}

void EngineShard::emit_answer(NodeId to, const ShardRequest& request, const Outcome& outcome) {
  emit_built<ShardResponse>(
      to, [&](ShardResponse& response) { fill_answer(response, request, outcome); });
}

EngineShard::Outcome EngineShard::place(const ShardRequest& request, bool& forwarded) {
  const Instrument* instrument = subscriber_.state().find(request.symbol);
  const bool moved_away = instrument != nullptr && instrument->shard != config_.shard;
  // The sender's routing is behind ours: pass it on. Versions only grow, so
  // the chase ends; the hop bound keeps it finite even if they did not.
  if (moved_away && request.hops < config_.peers.size() &&
      request.meta_version < subscriber_.version() && instrument->shard < config_.peers.size()) {
    ShardRequest onward = request;
    ++onward.hops;
    onward.meta_version = subscriber_.version();  // the new owner must know this routing too
    emit(config_.peers[instrument->shard], std::move(onward));
    forwarded = true;
    return {};
  }
  if (instrument == nullptr || moved_away) {
    return respond(false, "symbol not matched on this shard", nullptr);
  }
  if (orders_.contains(request.order_id)) return respond(false, "duplicate order id", nullptr);
  if (journal_ && journal_->nearly_full()) return respond(false, "shard storage full", nullptr);
  OrderBook& book = book_for(request.symbol);
  if (request.post_only && book.would_cross(request.side, request.price)) {
    return respond(false, kPostOnlyWouldCross, nullptr);
  }
  Order& order = orders_[request.order_id];  // a new entry: the id was not there
  touch(request.order_id);
  // Field by field into the fresh view: an OrderView built and then moved
  // there copied each string twice.
  OrderView& view = order.view;
  view.order_id = request.order_id;
  view.client = request.client;
  view.clordid = request.clordid;
  view.symbol = request.symbol;
  view.side = request.side;
  view.status = OrdStatus::new_order;
  view.price = request.type == OrdType::limit ? request.price : 0;
  view.qty = request.qty;
  order.tif = request.type == OrdType::market ? TimeInForce::ioc : request.tif;
  order.post_only = request.post_only;
  order.gateway = request.gateway;
  const auto limit =
      request.type == OrdType::limit ? std::optional<Price>(request.price) : std::nullopt;
  rest_or_expire(order, book, execute(order, book, limit, request.qty));
  if (live(view)) open_by_client_.of(view.client).push_back(view.order_id);
  return respond(true, "", &order);
}

// Requests in a row are mostly about one symbol: the last book asked for
// is tried before the map, whose lookup hashes and compares the name.
// Its node stays put until the map is cleared, and every clear() forgets
// it (renew, on_crash).
OrderBook& EngineShard::book_for(const std::string& symbol) {
  if (last_book_ != nullptr && last_book_->first == symbol) return last_book_->second;
  last_book_ = &*books_.try_emplace(symbol).first;
  return last_book_->second;
}

// Takes up to `open` of liquidity for `taker`, reporting both sides of every
// trade; returns what is left open.
Qty EngineShard::execute(Order& taker, OrderBook& book, std::optional<Price> limit, Qty open) {
  if (open <= 0) return 0;
  book.match(taker.view.side, limit, open, matches_);
  for (const Match& match : matches_) {
    const uint64_t trade_id = next_trade_id_++;
    auto maker = orders_.find(match.maker);
    ORDEAL_ASSERT(maker != orders_.end(), "book holds unknown order {}", match.maker);
    fill(maker->second, match.qty, match.price, trade_id, true);
    fill(taker, match.qty, match.price, trade_id, false);
    open -= match.qty;
  }
  return open;
}

void EngineShard::rest_or_expire(Order& order, OrderBook& book, Qty open) {
  if (open <= 0 || !live(order.view)) return;
  if (order.tif == TimeInForce::gtc) {
    book.add(order.view.order_id, order.view.side, order.view.price, open);
    note_requeued(order.view.order_id);
    return;
  }
  order.view.status = OrdStatus::cancelled;  // the rest of an IOC or market order expires
}

void EngineShard::fill(Order& order, Qty qty, Price price, uint64_t trade_id, bool maker) {
  touch(order.view.order_id);
  order.view.filled += qty;
  order.view.status =
      order.view.filled >= order.view.qty ? OrdStatus::filled : OrdStatus::partially_filled;
  // Built in the log, which keeps it even when the gateway is down and the
  // transport would build nothing; the transport takes a copy.
  Fill& sent = reports_.add<Fill>(order.gateway);
  sent.client = order.view.client;
  sent.order_id = order.view.order_id;
  sent.clordid = order.view.clordid;
  sent.symbol = order.view.symbol;
  sent.side = order.view.side;
  sent.price = price;
  sent.qty = qty;
  sent.trade_id = trade_id;
  sent.maker = maker;
  sent.order_filled = order.view.filled;
  sent.order_qty = order.view.qty;
  emit(order.gateway, sent);
}

void EngineShard::hear_gateway(const ShardRequest& request, bool direct) {
  reports_.heard(request.gateway, gateway_boot_of(request.gateway_request_id), request.reports_seen,
                 direct, request.resend_reports,
                 [&](const Message& report) { env_.send(request.gateway, report); });
}

EngineShard::Outcome EngineShard::amend(const ShardRequest& request) {
  auto it = orders_.find(request.order_id);
  if (it == orders_.end()) return respond(false, kUnknownOrder, nullptr);
  Order& order = it->second;
  if (!live(order.view)) return respond(false, "order is final", &order);
  touch(order.view.order_id);
  if (defects_.has(Defect::amend_lost) && request.meta_version < subscriber_.version()) {
    return respond(true, "", &order);  // the defect: acknowledged, never applied
  }
  const Price price = request.price != 0 ? request.price : order.view.price;
  const Qty qty = request.qty != 0 ? request.qty : order.view.qty;
  const bool overfill_defect = defects_.has(Defect::amend_overfill);
  if (qty <= order.view.filled && !overfill_defect) {
    return respond(false, "new quantity not above the filled quantity", &order);
  }
  OrderBook& book = book_for(order.view.symbol);
  if (order.post_only && price != order.view.price && book.would_cross(order.view.side, price)) {
    return respond(false, kPostOnlyWouldCross, &order);
  }
  // The defect counts the new total as still open, forgetting what has filled.
  const Qty open = overfill_defect ? qty : qty - order.view.filled;
  const auto resting = book.open_qty(order.view.order_id);
  const bool keeps_priority = price == order.view.price && resting && open <= *resting;
  order.view.price = price;
  order.view.qty = qty;
  if (keeps_priority) {
    book.reduce(order.view.order_id, open);
  } else {
    book.remove(order.view.order_id);
    rest_or_expire(order, book, execute(order, book, price, open));
  }
  return respond(true, "", &order);
}

EngineShard::Outcome EngineShard::cancel(const ShardRequest& request) {
  auto it = orders_.find(request.order_id);
  if (it == orders_.end()) return respond(false, kUnknownOrder, nullptr);
  Order& order = it->second;
  if (!live(order.view)) return respond(false, "order is final", &order);
  book_for(order.view.symbol).remove(order.view.order_id);
  order.view.status = OrdStatus::cancelled;
  touch(order.view.order_id);
  return respond(true, "", &order);
}

EngineShard::Outcome EngineShard::mass_cancel(const ShardRequest& request) {
  uint32_t count = 0;
  // The defect: a mass-cancel of every symbol forgets whose orders it is for.
  if (request.symbol.empty() && defects_.has(Defect::kill_switch_all_clients)) {
    for (auto& list : open_by_client_.lists()) count += cancel_open(list.items, request.symbol);
  } else if (std::vector<OrderId>* open = open_by_client_.find(request.client)) {
    count = cancel_open(*open, request.symbol);
  }
  Outcome outcome = respond(true, "", nullptr);
  outcome.cancelled_count = count;
  return outcome;
}

// Cancels the live orders in `open` (a client's) of `symbol` (every symbol
// when empty), keeping in their order those that stay open and dropping
// the rest: those it cancels and those that became final since the last walk.
uint32_t EngineShard::cancel_open(std::vector<OrderId>& open, const std::string& symbol) {
  uint32_t count = 0;
  size_t kept = 0;
  for (const OrderId id : open) {
    const auto it = orders_.find(id);
    if (it == orders_.end() || !live(it->second.view)) continue;
    Order& order = it->second;
    if (!symbol.empty() && order.view.symbol != symbol) {
      open[kept++] = id;
      continue;
    }
    book_for(order.view.symbol).remove(id);
    order.view.status = OrdStatus::cancelled;
    touch(id);
    OrderUpdate& update = reports_.add<OrderUpdate>(order.gateway);
    update.order = order.view;
    update.reason = "mass-cancel";
    emit(order.gateway, update);
    ++count;
  }
  open.resize(kept);
  return count;
}

// Applies one request and, with a journal, writes what it changed before
// anything it sends leaves: an answer is never ahead of the disk.
void EngineShard::apply_durably(const ShardRequest& request) {
  if (!journal_) return apply(request);  // nothing noted (touch), nothing held
  touched_.clear();
  requeued_.clear();
  apply(request);
  persist();
  touched_.clear();
  requeued_.clear();
}

namespace {

// `message` as a journaled report, if it is one (a fill or an update).
void keep_report(NodeId gateway, const Message& message, std::vector<DurableReport>& reports) {
  if (const auto* fill = std::get_if<Fill>(&message)) {
    reports.push_back({.gateway = gateway, .is_fill = true, .fill = *fill});
  } else if (const auto* update = std::get_if<OrderUpdate>(&message)) {
    reports.push_back({.gateway = gateway, .update = *update});
  }
}

}  // namespace

void EngineShard::persist() {
  ShardEntry entry{.next_trade_id = next_trade_id_};
  for (const auto& [to, message] : outbox_) keep_report(to, message, entry.reports);
  if (!touched_.empty() || !entry.reports.empty()) {
    std::sort(touched_.begin(), touched_.end());
    touched_.erase(std::unique(touched_.begin(), touched_.end()), touched_.end());
    for (OrderId id : touched_) entry.orders.push_back(durable(orders_.at(id)));
    if (const std::string e = journal_->append(entry, [this] { return snapshot(); }); !e.empty()) {
      // A shard that cannot keep what it did must not say it did it: stop,
      // as a database stops on a failed fsync, and let the restart recover.
      fmt::print(stderr, "engine shard {}: journal write failed, stopping: {}\n", config_.shard, e);
      std::_Exit(75);
    }
  }
  std::vector<std::pair<NodeId, Message>> out;
  out.swap(outbox_);
  for (auto& [to, message] : out) env_.send(to, std::move(message));
}

DurableOrder EngineShard::durable(const Order& order) const {
  DurableOrder d{
      .view = order.view, .tif = order.tif, .post_only = order.post_only, .gateway = order.gateway};
  if (const OrderBook* b = book(order.view.symbol)) {
    d.resting_qty = b->open_qty(order.view.order_id).value_or(0);
  }
  d.requeued =
      std::find(requeued_.begin(), requeued_.end(), order.view.order_id) != requeued_.end();
  return d;
}

// Every order; resting ones last, in book order, so that adding them back in
// this order restores each level's time priority. And every report held.
ShardEntry EngineShard::snapshot() const {
  ShardEntry entry{.next_trade_id = next_trade_id_};
  reports_.for_each_held(
      [&](NodeId gateway, const Message& report) { keep_report(gateway, report, entry.reports); });
  for (const auto& [id, order] : orders_) {
    const OrderBook* b = book(order.view.symbol);
    if (b == nullptr || !b->open_qty(id)) entry.orders.push_back(durable(order));
  }
  for (const auto& [symbol, b] : books_) {
    for (Side side : {Side::buy, Side::sell}) {
      for (OrderId id : b.queue(side)) {
        DurableOrder d = durable(orders_.at(id));
        d.requeued = true;
        entry.orders.push_back(std::move(d));
      }
    }
  }
  return entry;
}

void EngineShard::restore(const ShardEntry& entry) {
  next_trade_id_ = std::max(next_trade_id_, entry.next_trade_id);
  for (const DurableReport& r : entry.reports) {
    reports_.restore(r.gateway, r.is_fill ? Message(r.fill) : Message(r.update));
  }
  for (const DurableOrder& d : entry.orders) {
    // Every live order is in its client's open list: one live before (kept
    // in memory through a restart in place) is there already, and one the
    // journal makes live (new, or final in memory ahead of the journal)
    // joins it.
    const auto [entry_it, added] = orders_.try_emplace(d.view.order_id);
    Order& order = entry_it->second;
    const bool was_live = !added && live(order.view);
    order = Order{.view = d.view, .tif = d.tif, .post_only = d.post_only, .gateway = d.gateway};
    if (!was_live && live(order.view)) {
      open_by_client_.of(d.view.client).push_back(d.view.order_id);
    }
    OrderBook& b = books_[d.view.symbol];
    const OrderId id = d.view.order_id;
    if (d.resting_qty <= 0) {
      b.remove(id);
    } else if (d.requeued || !b.open_qty(id)) {
      b.remove(id);
      b.add(id, d.view.side, d.view.price, d.resting_qty);
    } else {
      b.reduce(id, d.resting_qty);
    }
  }
}

Recovery EngineShard::attach_journal(const std::string& path, const JournalLimits& limits) {
  if (defects_.has(Defect::restart_loses_orders)) {
    return {.note = "defect restart-loses-orders: the shard keeps no journal"};
  }
  auto journal = std::make_unique<ShardJournal>();
  Recovery r = journal->open(path, limits, [this](const ShardEntry& e) { restore(e); });
  if (r.error.empty()) journal_ = std::move(journal);
  return r;
}

const OrderView* EngineShard::order(OrderId id) const {
  auto it = orders_.find(id);
  return it == orders_.end() ? nullptr : &it->second.view;
}

const OrderBook* EngineShard::book(const std::string& symbol) const {
  auto it = books_.find(symbol);
  return it == books_.end() ? nullptr : &it->second;
}

size_t EngineShard::resting_orders() const {
  size_t resting = 0;
  for (const auto& [symbol, book] : books_) resting += book.size();
  return resting;
}

}  // namespace ordeal::exchange
