// The toy venue (a made-up venue with a line-based text protocol, see
// custom_target.h) and the Target adapter that lets ordeal drive it. The
// adapter is the part a test author writes for a real system: encode
// ordeal's requests in the system's protocol, decode its answers, and give
// ordeal a clock to run on.
#include "custom_target.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <functional>

#include "custom_fault.h"
#include "framework/base/rng.h"
#include "framework/run/target_registry.h"

namespace toy {

using namespace ordeal::exchange;

// ---- the protocol's words -------------------------------------------------

namespace {

constexpr std::array<std::pair<RequestKind, std::string_view>, 5> kKindWords = {
    {{RequestKind::place, "NEW"},
     {RequestKind::amend, "AMEND"},
     {RequestKind::cancel, "CANCEL"},
     {RequestKind::mass_cancel, "MASSCANCEL"},
     {RequestKind::status, "STATUS"}}};
constexpr std::array<std::pair<OrdStatus, std::string_view>, 6> kStateWords = {
    {{OrdStatus::none, "NONE"},
     {OrdStatus::new_order, "NEW"},
     {OrdStatus::partially_filled, "PARTIAL"},
     {OrdStatus::filled, "FILLED"},
     {OrdStatus::cancelled, "CANCELED"},
     {OrdStatus::rejected, "REJECTED"}}};

template <typename Enum, size_t N>
std::string_view word_of(const std::array<std::pair<Enum, std::string_view>, N>& words, Enum e) {
  for (const auto& [value, word] : words) {
    if (value == e) return word;
  }
  return "?";
}

template <typename Enum, size_t N>
std::optional<Enum> value_of(const std::array<std::pair<Enum, std::string_view>, N>& words,
                             std::string_view word) {
  for (const auto& [value, known] : words) {
    if (known == word) return value;
  }
  return std::nullopt;
}

// Splits on single spaces into at most `fields_max` fields; the last field
// keeps the rest of the line (a reason may contain spaces).
std::vector<std::string_view> split(std::string_view line, size_t fields_max) {
  std::vector<std::string_view> fields;
  while (!line.empty() && fields.size() + 1 < fields_max) {
    const size_t space = line.find(' ');
    fields.push_back(line.substr(0, space));
    if (space == std::string_view::npos) return fields;
    line.remove_prefix(space + 1);
  }
  if (!line.empty()) fields.push_back(line);
  return fields;
}

template <typename Int>
bool parse_number(std::string_view text, Int& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

std::string_view side_word(Side side) { return side == Side::buy ? "BUY" : "SELL"; }

}  // namespace

// ---- the venue ----------------------------------------------------------

// A request line, parsed.
struct ToyVenue::Request {
  RequestKind kind = RequestKind::place;
  std::string_view kind_word;
  uint64_t req = 0;
  uint32_t client = 0;
  std::string_view clordid;  // MASSCANCEL: the symbol or *
  std::string_view symbol;
  Side side = Side::buy;
  bool market = false;
  bool ioc = false;
  bool post_only = false;
  int64_t price = 0;
  int64_t qty = 0;
};

std::optional<ToyVenue::Request> ToyVenue::parse(std::string_view line) {
  const std::vector<std::string_view> f = split(line, 12);
  Request r;
  if (f.size() < 4) return std::nullopt;
  const auto kind = value_of(kKindWords, f[0]);
  if (!kind || !parse_number(f[1], r.req) || !parse_number(f[2], r.client)) return std::nullopt;
  r.kind = *kind;
  r.kind_word = f[0];
  r.clordid = f[3];
  const size_t expected = r.kind == RequestKind::place ? 11 : r.kind == RequestKind::amend ? 6 : 4;
  if (f.size() != expected) return std::nullopt;
  if (r.kind == RequestKind::amend) {
    return parse_number(f[4], r.price) && parse_number(f[5], r.qty) ? std::optional(r)
                                                                    : std::nullopt;
  }
  if (r.kind != RequestKind::place) return r;
  r.symbol = f[4];
  r.side = f[5] == "SELL" ? Side::sell : Side::buy;
  r.market = f[6] == "MARKET";
  r.ioc = f[7] == "IOC" || r.market;  // what a market order does not take expires
  r.post_only = f[8] == "PO";
  if (!parse_number(f[9], r.price) || !parse_number(f[10], r.qty)) return std::nullopt;
  return r;
}

namespace {

std::string reject(std::string_view kind, uint64_t req, uint32_t client, std::string_view clordid,
                   std::string_view reason) {
  return fmt::format("REJECT {} {} {} {} {}", kind, req, client, clordid.empty() ? "-" : clordid,
                     reason);
}

}  // namespace

ToyVenue::ToyVenue(MetadataState metadata, bool ack_cancel_of_filled)
    : metadata_(std::move(metadata)), ack_cancel_of_filled_(ack_cancel_of_filled) {}

uint64_t ToyVenue::set_instrument(const Instrument& record) {
  metadata_.put(record);
  return ++metadata_.version;
}

std::vector<std::string> ToyVenue::handle(std::string_view line) {
  const std::optional<Request> r = parse(line);
  if (!r) return {reject("?", 0, 0, "-", "malformed request")};
  if (auto refusal = session_refusal(line)) {
    return {reject(r->kind_word, r->req, r->client, r->clordid, *refusal)};
  }
  switch (r->kind) {
    case RequestKind::place:
      return place(*r);
    case RequestKind::amend:
      return amend(*r);
    case RequestKind::cancel:
      return cancel(*r);
    case RequestKind::mass_cancel:
      return mass_cancel(*r);
    case RequestKind::status:
    case RequestKind::mass_status:  // never parsed: this venue reads one order at a time
      break;
  }
  const Order* order = find(*r);
  if (order == nullptr)
    return {reject(r->kind_word, r->req, r->client, r->clordid, "unknown order")};
  return {fmt::format("ACK STATUS {} {} {} {} {} {} {} 0", r->req, r->client, r->clordid,
                      word_of(kStateWords, order->state), order->price, order->qty, order->filled)};
}

ToyVenue::Order* ToyVenue::find(const Request& r) {
  auto id = ids_.find(Key{r.client, std::string(r.clordid)});
  return id == ids_.end() ? nullptr : &orders_.at(id->second);
}

namespace {

std::string ack(std::string_view kind, uint64_t req, const auto& order, uint32_t cancelled = 0) {
  return fmt::format("ACK {} {} {} {} {} {} {} {} {}", kind, req, order.client, order.clordid,
                     word_of(kStateWords, order.state), order.price, order.qty, order.filled,
                     cancelled);
}

bool live(OrdStatus state) {
  return state == OrdStatus::new_order || state == OrdStatus::partially_filled;
}

}  // namespace

std::vector<std::string> ToyVenue::place(const Request& r) {
  auto refuse = [&](std::string_view reason) {
    return std::vector{reject(r.kind_word, r.req, r.client, r.clordid, reason)};
  };
  if (ids_.contains(Key{r.client, std::string(r.clordid)})) {
    return refuse("duplicate client order id");
  }
  const Instrument* record = metadata_.find(r.symbol);
  if (record == nullptr) return refuse("unknown symbol");
  const OrderTerms terms{.kind = RequestKind::place,
                         .side = r.side,
                         .type = r.market ? OrdType::market : OrdType::limit,
                         .post_only = r.post_only,
                         .price = r.price,
                         .qty = r.qty};
  // The venue keeps the same rules as the reference exchange (and says so in
  // the same words), so metadata-conformance can judge it.
  if (auto reason = nonconformance(*record, terms)) return refuse(*reason);
  OrderBook& book = books_[record->symbol];
  if (r.post_only && book.would_cross(r.side, r.price)) {
    return refuse("post-only order would cross");
  }
  if (orders_.size() >= kOrdersMax) return refuse("venue order table full");
  const uint64_t id = next_order_id_++;
  Order& order = orders_[id];
  order = Order{.id = id,
                .client = r.client,
                .clordid = std::string(r.clordid),
                .symbol = record->symbol,
                .side = r.side,
                .ioc = r.ioc,
                .post_only = r.post_only,
                .price = r.market ? 0 : r.price,
                .qty = r.qty};
  ids_[Key{r.client, order.clordid}] = id;
  std::vector<std::string> out = {""};  // the ACK goes first, once the state is known
  trade(order, out);
  out[0] = ack("NEW", r.req, order);
  return out;
}

// Matches `taker` against the book, then rests what is left or expires it.
void ToyVenue::trade(Order& taker, std::vector<std::string>& out) {
  OrderBook& book = books_[taker.symbol];
  const auto limit = taker.price > 0 ? std::optional<int64_t>(taker.price) : std::nullopt;
  for (const Match& match : book.match(taker.side, limit, taker.qty - taker.filled)) {
    const uint64_t trade_id = next_trade_id_++;
    for (Order* side : {&orders_.at(match.maker), &taker}) {
      side->filled += match.qty;
      side->state = side->filled >= side->qty ? OrdStatus::filled : OrdStatus::partially_filled;
      out.push_back(fmt::format("FILL {} {} {} {} {} {} {} {} {} {}", side->client, side->clordid,
                                side->symbol, side_word(side->side), match.price, match.qty,
                                trade_id, side->filled, side->qty,
                                side == &taker ? "TAKER" : "MAKER"));
    }
  }
  if (!live(taker.state)) return;
  if (taker.ioc) {
    taker.state = OrdStatus::cancelled;
  } else {
    book.add(taker.id, taker.side, taker.price, taker.qty - taker.filled);
  }
}

std::vector<std::string> ToyVenue::amend(const Request& r) {
  auto refuse = [&](std::string_view reason) {
    return std::vector{reject(r.kind_word, r.req, r.client, r.clordid, reason)};
  };
  Order* order = find(r);
  if (order == nullptr) return refuse("unknown order");
  if (!live(order->state)) return refuse("order is final");
  const Instrument* record = metadata_.find(order->symbol);
  const OrderTerms terms{
      .kind = RequestKind::amend, .side = order->side, .price = r.price, .qty = r.qty};
  if (auto reason = nonconformance(*record, terms)) return refuse(*reason);
  const int64_t price = r.price != 0 ? r.price : order->price;
  const int64_t qty = r.qty != 0 ? r.qty : order->qty;
  if (qty <= order->filled) return refuse("new quantity not above the filled quantity");
  OrderBook& book = books_[order->symbol];
  // A toy simplification: an amend that would trade is refused, so an
  // amended order only ever rests.
  if (price != order->price && book.would_cross(order->side, price)) {
    return refuse("amend would cross");
  }
  const bool keeps_priority = price == order->price && qty <= order->qty;
  if (keeps_priority) {
    book.reduce(order->id, qty - order->filled);
  } else {
    book.remove(order->id);
    book.add(order->id, order->side, price, qty - order->filled);
  }
  order->price = price;
  order->qty = qty;
  return {ack("AMEND", r.req, *order)};
}

std::vector<std::string> ToyVenue::cancel(const Request& r) {
  Order* order = find(r);
  if (order == nullptr) return {reject(r.kind_word, r.req, r.client, r.clordid, "unknown order")};
  if (!live(order->state)) {
    if (ack_cancel_of_filled_ && order->state == OrdStatus::filled) {
      // The planted bug: it says "cancelled" about an order that filled.
      Order told = *order;
      told.state = OrdStatus::cancelled;
      return {ack("CANCEL", r.req, told)};
    }
    return {reject(r.kind_word, r.req, r.client, r.clordid, "order is final")};
  }
  books_[order->symbol].remove(order->id);
  order->state = OrdStatus::cancelled;
  return {ack("CANCEL", r.req, *order)};
}

std::vector<std::string> ToyVenue::mass_cancel(const Request& r) {
  std::vector<std::string> out = {""};
  uint32_t cancelled = 0;
  for (auto& [id, order] : orders_) {
    if (order.client != r.client || !live(order.state)) continue;
    if (r.clordid != "*" && order.symbol != r.clordid) continue;
    books_[order.symbol].remove(id);
    order.state = OrdStatus::cancelled;
    out.push_back(fmt::format("UPDATE {} {} CANCELED {} {} {} mass-cancel", order.client,
                              order.clordid, order.price, order.qty, order.filled));
    ++cancelled;
  }
  out[0] = fmt::format("ACK MASSCANCEL {} {} - NONE 0 0 0 {}", r.req, r.client, cancelled);
  return out;
}

// ---- the adapter ----------------------------------------------------------

namespace {

std::string request_line(const ClientRequest& r) {
  const std::string_view kind = word_of(kKindWords, r.kind);
  const std::string_view clordid = r.clordid.empty() ? "-" : std::string_view(r.clordid);
  switch (r.kind) {
    case RequestKind::place:
      return fmt::format(
          "NEW {} {} {} {} {} {} {} {} {} {}", r.request_id, r.client, clordid, r.symbol,
          side_word(r.side), r.type == OrdType::market ? "MARKET" : "LIMIT",
          r.tif == TimeInForce::ioc ? "IOC" : "GTC", r.post_only ? "PO" : "-", r.price, r.qty);
    case RequestKind::amend:
      return fmt::format("AMEND {} {} {} {} {}", r.request_id, r.client, clordid, r.price, r.qty);
    case RequestKind::mass_cancel:
      return fmt::format("MASSCANCEL {} {} {}", r.request_id, r.client,
                         r.symbol.empty() ? "*" : r.symbol);
    default:
      return fmt::format("{} {} {} {}", kind, r.request_id, r.client, clordid);
  }
}

// Decodes the order fields shared by ACK and UPDATE: state price qty filled.
bool parse_view(const std::vector<std::string_view>& f, size_t at, OrderView& view) {
  const auto state = value_of(kStateWords, f[at]);
  if (!state) return false;
  view.status = *state;
  return parse_number(f[at + 1], view.price) && parse_number(f[at + 2], view.qty) &&
         parse_number(f[at + 3], view.filled);
}

class ToyTarget final : public ordeal::Target {
 public:
  ToyTarget(const ordeal::Case& c, const ToyOptions& options)
      : options_(options),
        venue_(default_metadata(1), options.ack_cancel_of_filled),
        initial_(venue_.metadata()),
        rng_(ordeal::mix64(c.seed ^ ordeal::hash_name("toy-venue"))) {}
  ~ToyTarget() override { ordeal::faults::disarm_all(); }

  void set_listener(ExchangeListener* listener) override { listener_ = listener; }
  int64_t now_us() const override { return now_us_; }
  void at(int64_t time_us, std::function<void()> action) override;
  void run_until(int64_t time_us) override;

  // A client's lines travel in order, as over one TCP connection each way.
  void submit(ClientRequest&& request) override {
    const uint32_t client = request.client;
    send(to_venue_[client], [this, line = request_line(request)] { deliver(line); });
  }
  const MetadataState& initial_metadata() const override { return initial_; }
  const Instrument* current_record(std::string_view symbol) override {
    return venue_.metadata().find(symbol);
  }
  // Through the venue's admin interface, not the trading protocol.
  void update_metadata(const Instrument& record, uint64_t request_id) override {
    at(now_us_ + latency_us(), [this, record, request_id] {
      const uint64_t version = venue_.set_instrument(record);
      at(now_us_ + latency_us(), [this, request_id, version] {
        if (listener_ != nullptr)
          listener_->on_metadata_result({.request_id = request_id, .ok = true, .version = version});
      });
    });
  }
  // The venue runs in this process: its fault points are armed directly.
  void arm(const std::string& point, const ordeal::faults::ArmSpec& spec, int64_t) override {
    ordeal::faults::arm(point, spec);
  }
  void disarm(const std::string& point) override { ordeal::faults::disarm(point); }
  void rolling_upgrade(int64_t, int64_t, int64_t) override {
    error_ = "the toy venue has no metadata service to upgrade";
  }
  void live_fault(const ordeal::FaultSpec& spec, bool) override {
    error_ = spec.point + ": the toy venue runs in process, it has no processes or links";
  }
  std::string error() const override { return error_; }

  static constexpr size_t kQueueMax = 1'000'000;

 private:
  int64_t latency_us() { return rng_.between(options_.latency_us_min, options_.latency_us_max); }
  void send(int64_t& stream_us, std::function<void()> action) {
    stream_us = std::max(stream_us, now_us_ + latency_us());
    at(stream_us, std::move(action));
  }
  void deliver(const std::string& line);
  void receive(const std::string& line);
  bool receive_answer(const std::vector<std::string_view>& f, bool ack);
  bool receive_fill(const std::vector<std::string_view>& f);
  bool receive_update(const std::vector<std::string_view>& f);

  ToyOptions options_;
  ToyVenue venue_;
  MetadataState initial_;
  ordeal::Rng rng_;
  ExchangeListener* listener_ = nullptr;
  int64_t now_us_ = 0;
  uint64_t next_seq_ = 0;
  // Actions by time, then by the order they were scheduled: deterministic.
  std::map<std::pair<int64_t, uint64_t>, std::function<void()>> queue_;
  std::map<uint32_t, int64_t> to_venue_, from_venue_;  // each stream's last delivery
  std::string error_;
};

void ToyTarget::at(int64_t time_us, std::function<void()> action) {
  if (queue_.size() >= kQueueMax) {
    error_ = fmt::format("the toy target's event queue reached its bound of {}", kQueueMax);
    return;
  }
  queue_.emplace(std::pair{std::max(time_us, now_us_), next_seq_++}, std::move(action));
}

void ToyTarget::run_until(int64_t time_us) {
  while (!queue_.empty() && queue_.begin()->first.first <= time_us) {
    auto next = queue_.extract(queue_.begin());
    now_us_ = next.key().first;
    next.mapped()();
  }
  now_us_ = std::max(now_us_, time_us);
}

// The venue answers; each reply line travels back to the client it is for.
void ToyTarget::deliver(const std::string& line) {
  for (std::string& reply : venue_.handle(line)) {
    const std::vector<std::string_view> f = split(reply, 5);
    uint32_t client = 0;
    const size_t client_field = f.size() > 0 && (f[0] == "ACK" || f[0] == "REJECT") ? 3 : 1;
    if (f.size() <= client_field || !parse_number(f[client_field], client)) {
      error_ = fmt::format("toy venue: malformed reply '{}'", reply);
      return;
    }
    send(from_venue_[client], [this, reply = std::move(reply)] { receive(reply); });
  }
}

void ToyTarget::receive(const std::string& line) {
  const std::vector<std::string_view> f = split(line, 11);
  bool ok = false;
  if (!f.empty() && (f[0] == "ACK" || f[0] == "REJECT")) {
    ok = receive_answer(f, f[0] == "ACK");
  } else if (!f.empty() && f[0] == "FILL") {
    ok = receive_fill(f);
  } else if (!f.empty() && f[0] == "UPDATE") {
    ok = receive_update(f);
  }
  if (!ok) error_ = fmt::format("toy venue: malformed reply '{}'", line);
}

bool ToyTarget::receive_answer(const std::vector<std::string_view>& f, bool ack) {
  ClientResponse r{.verdict = ack ? Verdict::ack : Verdict::reject};
  const auto kind = value_of(kKindWords, f.size() > 1 ? f[1] : "");
  if (f.size() < 6 || !kind || !parse_number(f[2], r.request_id) || !parse_number(f[3], r.client)) {
    return false;
  }
  r.kind = *kind;
  r.order.client = r.client;
  r.order.clordid = f[4] == "-" ? "" : std::string(f[4]);
  if (!ack) {
    r.reason = std::string(f[5]);
    for (size_t i = 6; i < f.size(); ++i) r.reason += " " + std::string(f[i]);
  } else if (f.size() != 10 || !parse_view(f, 5, r.order) ||
             !parse_number(f[9], r.cancelled_count)) {
    return false;
  }
  if (listener_ != nullptr) listener_->on_response(r);
  return true;
}

bool ToyTarget::receive_fill(const std::vector<std::string_view>& f) {
  Fill fill;
  if (f.size() != 11 || !parse_number(f[1], fill.client) || !parse_number(f[5], fill.price) ||
      !parse_number(f[6], fill.qty) || !parse_number(f[7], fill.trade_id) ||
      !parse_number(f[8], fill.order_filled) || !parse_number(f[9], fill.order_qty)) {
    return false;
  }
  fill.clordid = std::string(f[2]);
  fill.symbol = std::string(f[3]);
  fill.side = f[4] == "SELL" ? Side::sell : Side::buy;
  fill.maker = f[10] == "MAKER";
  if (listener_ != nullptr) listener_->on_fill(fill);
  return true;
}

bool ToyTarget::receive_update(const std::vector<std::string_view>& f) {
  OrderUpdate update;
  if (f.size() < 8 || !parse_number(f[1], update.order.client) || !parse_view(f, 3, update.order)) {
    return false;
  }
  update.order.clordid = std::string(f[2]);
  update.reason = std::string(f[7]);
  for (size_t i = 8; i < f.size(); ++i) update.reason += " " + std::string(f[i]);
  if (listener_ != nullptr) listener_->on_order_update(update);
  return true;
}

}  // namespace

std::unique_ptr<ordeal::Target> make_toy_target(const ordeal::Case& c, const ToyOptions& options) {
  return std::make_unique<ToyTarget>(c, options);
}

ordeal::TargetFactory target_factory(ToyOptions options) {
  return [options](const ordeal::Case& c, std::string& /*error*/) {
    return make_toy_target(c, options);
  };
}

// The toy venue by name: `--target toy` in a program that links this file
// and runs ordeal's command line (toy_ordeal.cc), `.target = "toy"` in a
// test, and a repro that names it. Its one defect is the planted bug.
ORDEAL_REGISTER_TARGET(
    toy, {.name = "toy",
          .description = "the toy venue of examples/extending, in process, on a virtual clock "
                         "(defect: ack-cancel-of-filled)",
          .factory = [](const ordeal::Scenario& /*scenario*/, const std::string& defect,
                        std::string& /*error*/) -> ordeal::TargetFactory {
            return target_factory({.ack_cancel_of_filled = defect == "ack-cancel-of-filled"});
          },
          .deterministic = true,
          .defects = {{"ack-cancel-of-filled",
                       "a cancel of an order that already filled is answered ACK CANCELED"}}});

}  // namespace toy
