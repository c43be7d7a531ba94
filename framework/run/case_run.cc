#include "framework/run/case_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <deque>
#include <map>
#include <memory>

#include "faults/hook.h"
#include "faults/hook_lease.h"
#include "framework/base/node_pool.h"
#include "framework/run/price_grid.h"

namespace ordeal {
namespace {

using namespace exchange;

constexpr int64_t kSettleUs = 300'000;   // metadata syncs before the case starts
constexpr int64_t kQuietUs = 1'000'000;  // after the nemesis heals, before the probes and reads
constexpr int64_t kStepUs = 10'000;
constexpr int64_t kCaseUsMax = 600'000'000;  // a case never runs longer than 10 virtual minutes
constexpr uint64_t kReadBase = uint64_t{1} << 40;
// A final read refused for a reason other than the order (metadata
// unavailable while a node resyncs), or a recovery probe refused, is asked
// again this often: the exchange gets until the bound to come back.
constexpr int64_t kAskAgainUs = 100'000;
constexpr int64_t kLeaseMarginMs = 5'000;
constexpr int64_t kHookPollUs = 20'000;
constexpr size_t kEventsReservedMin = 64;  // metadata records, faults

// "PREFIX" A "-" B: a client order id. Formatted by hand: one is made per
// operation, and fmt::format cost more than the rest of sending it.
std::string order_id(std::string_view prefix, uint64_t a, uint64_t b) {
  constexpr size_t kPrefixMax = 16, kDigitsMax = 20;  // 2^64 has 20 digits
  ORDEAL_ASSERT(prefix.size() <= kPrefixMax);
  char text[kPrefixMax + 2 * kDigitsMax + 1];
  char* end = std::copy(prefix.begin(), prefix.end(), text);
  end = std::to_chars(end, end + kDigitsMax, a).ptr;
  *end = '-';
  end = std::to_chars(end + 1, end + 1 + kDigitsMax, b).ptr;
  return std::string(text, end);
}

// A symbol's price grid (price_grid.h), with its record as the case started.
struct Grid : PriceGrid {
  const Instrument* record = nullptr;
  Sym symbol = 0;  // the record's symbol in the case's history, once interned
};

// A mass-status answer's orders by client order id: a client's reads look
// each of their orders up in it, and a long case answers with thousands.
// A few are looked through, more sorted once (by id, then by place, so that
// of two views of one id the first in the answer is found).
class ViewsByClordid {
 public:
  void index(const std::vector<OrderView>& views) {
    views_ = &views;
    sorted_.clear();
    if (views.size() <= kLookedThroughMax) return;
    for (uint32_t i = 0; i < views.size(); ++i) sorted_.push_back({views[i].clordid, i});
    std::sort(sorted_.begin(), sorted_.end());
  }
  // Valid while the views given to index() are.
  const OrderView* find(std::string_view clordid) const {
    const std::vector<OrderView>& views = *views_;
    if (views.size() <= kLookedThroughMax) {
      for (const OrderView& v : views) {
        if (v.clordid == clordid) return &v;
      }
      return nullptr;
    }
    const auto it = std::lower_bound(sorted_.begin(), sorted_.end(),
                                     std::pair<std::string_view, uint32_t>{clordid, 0});
    return it == sorted_.end() || it->first != clordid ? nullptr : &views[it->second];
  }

 private:
  static constexpr size_t kLookedThroughMax = 32;
  const std::vector<OrderView>* views_ = nullptr;
  std::vector<std::pair<std::string_view, uint32_t>> sorted_;
};

class CaseRun final : public ExchangeListener {
 public:
  CaseRun(Target& target, const Scenario& s, const Case& c)
      : s_(s), c_(c), exchange_(target), clients_(c.clients.size()) {
    exchange_.set_listener(this);
    grids_.reserve(s.symbols.size());
    for (const std::string& symbol : s.symbols) grids_.push_back(grid_of(symbol));
    // At most one order id per operation: the list never moves its strings.
    for (size_t i = 0; i < clients_.size(); ++i) clients_[i].placed.reserve(c.clients[i].size());
    // About three events an operation (invocation, completion, a fill or a
    // read), so that the history seldom moves while it grows.
    h_.reserve(c.operations() * 3 + kEventsReservedMin);
    // The initial records, then at most one per metadata change: a record
    // moved while the list grows is a copy of its strings.
    h_.reserve_records(target.initial_metadata().instruments.size() + c.metadata.size());
    h_.set_units(s.units);
  }
  ~CaseRun() override { exchange_.set_listener(nullptr); }

  History run();
  // Why the case could not run as written (a hook failed), or empty.
  const std::string& error() const { return error_; }

  void on_response(const ClientResponse& r) override;
  void on_fill(const Fill& f) override;
  void on_order_update(const OrderUpdate& u) override;
  void on_metadata_result(const MetaUpdateResult& r) override;
  void on_fault_fired(std::string_view point, std::string_view where, int64_t param,
                      uint64_t check) override;

 private:
  // An order id a client created, by its Sym in the history (set once its
  // place is recorded): the requests that name it later need no hashing,
  // and its text is the history's, not a copy.
  struct Placed {
    Sym order = 0;
  };
  struct Client {
    size_t next = 0;
    uint32_t outstanding = 0;
    uint64_t invoke_index = 0;
    std::vector<Placed> placed;
    bool done = false;
  };
  struct Read {
    ClientId client;
    const Placed* order;  // the clients' lists no longer grow when reads are made
    bool answered = false;
    bool refused = false;  // the last ask got an answer that was not about the order
    // Refused for the client's own doing (a venue that takes no status
    // request, its reason named in client_reject_reasons): not asked again.
    bool declined = false;
    Sym refusal = 0;  // its reason, for the history if no answer ever comes
    int64_t asked_us = 0;
    int64_t first_asked_us = 0;
    uint32_t asks = 0;
  };
  // When an operation ends `info` ("no answer in time") if still unanswered.
  struct Deadline {
    int64_t at_us;
    uint32_t client;
    uint32_t op;
  };

  Grid grid_of(const std::string& symbol) const;
  void schedule_nemesis();
  void record_fault(const FaultSpec& spec, EventType type, std::span<const faults::Pin> pins = {});
  void run_hook(const FaultSpec& spec, bool start, int64_t lease_ms);
  void poll_hook(const std::shared_ptr<faults::HookProcess>& hook, const std::string& command,
                 int64_t deadline_us);
  void fail(const std::string& error);
  bool going() const { return error_.empty() && !exchange_.failed(); }
  void schedule_metadata();
  void schedule_next(size_t client, int64_t after_us);
  void send(size_t client);
  Sym grid_symbol(Grid& g);
  Sym intern_symbol(const Op& op, const std::string& symbol);
  Sym known_symbol(std::string_view symbol);
  bool rate_limited(size_t client);
  bool take_turn();
  ClientRequest request_for(size_t client, const Op& op, bool& invalid, Sym& order,
                            std::string_view prefix);
  void complete(size_t client, const ClientResponse* response);
  void watch(size_t client, int64_t deadline_us);
  void expire_due();
  void arm_deadline();
  void probe_recovery();
  bool refused_by_exchange(uint32_t op) const;
  // `prefix` begins the client order id of a new order ("c" for the case's).
  void send_op(size_t client, const Op& op, std::string_view prefix = "c");
  void final_reads();
  void ask_due();
  void ask(size_t read);
  // Mass-status reads (Target::mass_status_supported): one ask per client.
  void ask_due_by_client();
  void ask_client(size_t client);
  void on_mass_status(const ClientResponse& r);
  void refuse(Read& read, const ClientResponse& r);
  // Whether `read` waits for a first ask, or for another after a refusal.
  bool due(const Read& read) const;
  void record_unanswered_reads();
  void record_meta(MetaVersion version, const Instrument& record, uint8_t replica_schema = 0);
  // An event about the order `view` describes, recorded under `order`.
  Event order_event(EventType type, ClientId client, const OrderView& view, Sym order);

  const Scenario& s_;
  const Case& c_;
  Target& exchange_;
  History h_;
  std::vector<Grid> grids_;
  std::vector<Client> clients_;
  // Clients with every operation answered: counted rather than looked up,
  // the run loop asks after every step.
  size_t clients_done_ = 0;
  std::vector<Read> reads_;
  // With mass-status reads, client i's reads are reads_[read_starts_[i],
  // read_starts_[i + 1]); empty otherwise.
  std::vector<size_t> read_starts_;
  ViewsByClordid answered_;            // the mass-status answer being read
  std::vector<uint64_t> client_asks_;  // mass-status asks per client, for their ids
  std::map<uint64_t, Instrument, std::less<uint64_t>, MapNodePool<uint64_t, Instrument>>
      pending_meta_;  // nodes from the pool: every case has a few
  // Answer deadlines of the operations in the order they were sent, which
  // is deadline order (now, or the nemesis' end, plus a constant). One
  // action, set for the earliest, serves them all. Entries leave once due
  // (or answered, from the front), so it holds only deadlines still ahead:
  // bounded by the case's operations.
  std::deque<Deadline> deadlines_;
  bool deadline_armed_ = false;
  uint32_t next_op_ = 0;
  int64_t t0_us_ = 0;
  int64_t nemesis_end_us_ = 0;
  // When the history last recorded a fault's start or stop: a live target's
  // timers fire after their time, so it may be after nemesis_end_us_.
  int64_t faults_recorded_us_ = 0;
  int hooks_running_ = 0;
  // A started hook's stop command, run by a guard if ordeal does not run it.
  std::map<const FaultSpec*, std::unique_ptr<faults::HookLease>> hook_leases_;
  size_t ask_from_ = 0;       // final reads: the one the cap on the request rate stopped at
  int64_t next_send_us_ = 0;  // max_orders_per_s: the next request's earliest time
  std::string error_;         // the case could not run as written (a hook failed)
};

Grid CaseRun::grid_of(const std::string& symbol) const {
  const Instrument* r = exchange_.initial_metadata().find(symbol);
  ORDEAL_ASSERT(r != nullptr, "scenario symbol {} unknown", symbol);
  return Grid{price_grid(*r), r};
}

History CaseRun::run() {
  exchange_.run_until(exchange_.now_us() + kSettleUs);
  t0_us_ = exchange_.now_us();
  // The history starts with these, at the case's start (sent_at_ms).
  for (const Instrument& record : exchange_.initial_metadata().instruments) {
    record_meta(exchange_.initial_metadata().version, record);
  }
  schedule_nemesis();
  schedule_metadata();
  for (size_t i = 0; i < clients_.size(); ++i) schedule_next(i, 0);
  // One step per 10 ms of virtual time, hundreds per case: the clock is read
  // once a step (a virtual call), and the clients are counted once.
  const size_t clients = clients_.size();
  for (int64_t now_us = exchange_.now_us();
       clients_done_ < clients && now_us - t0_us_ < kCaseUsMax && going();
       now_us = exchange_.now_us()) {
    exchange_.run_until(now_us + kStepUs);
  }
  // Hooks still running (a rollout script) finish or time out first.
  while (hooks_running_ > 0 && going()) exchange_.run_until(exchange_.now_us() + kStepUs);
  exchange_.run_until(std::max(exchange_.now_us(), nemesis_end_us_) + kQuietUs);
  probe_recovery();
  final_reads();
  return std::move(h_);
}

// Each fault is armed once per arm (arms_of): windows that overlap merge.
void CaseRun::schedule_nemesis() {
  nemesis_end_us_ = t0_us_;
  if (!exchange_.nemesis_supported()) return;
  std::vector<Arm> arms;  // reused for every fault
  arms.reserve(c_.faults.size());
  for (size_t f = 0; f < s_.faults.size(); ++f) {
    arms_of(c_, f, arms);
    const FaultSpec& spec = s_.faults[f];
    for (const auto& [start_ms, end_ms, pins] : arms) {
      const int64_t start_us = t0_us_ + start_ms * 1000, end_us = t0_us_ + end_ms * 1000;
      nemesis_end_us_ = std::max(nemesis_end_us_, end_us);
      const uint64_t seed =
          mix64(c_.seed ^ hash_name(spec.point) ^ static_cast<uint64_t>(start_ms));
      // Leased a little beyond the window: the disarm at its end is what
      // heals it; the lease only covers a run that died on the way.
      const int64_t lease_ms = end_ms - start_ms + kLeaseMarginMs;
      if (spec.point == faults::kHookFault) {
        exchange_.at(start_us, [this, &spec, lease_ms] { run_hook(spec, true, lease_ms); });
        exchange_.at(end_us, [this, &spec] { run_hook(spec, false, 0); });
        continue;
      }
      exchange_.at(start_us, [this, &spec, seed, lease_ms, pins] {
        if (!spec.acts_on_target()) {
          exchange_.arm(
              spec.point,
              {.probability = spec.probability, .param = spec.param, .seed = seed, .pins = pins},
              lease_ms);
        } else {
          exchange_.live_fault(spec, true);
        }
        record_fault(spec, EventType::fault_start, pins);
      });
      exchange_.at(end_us, [this, &spec] {
        if (!spec.acts_on_target()) {
          exchange_.disarm(spec.point);
        } else {
          exchange_.live_fault(spec, false);
        }
        record_fault(spec, EventType::fault_stop);
      });
    }
  }
  if (!c_.upgrade) return;
  const int64_t start_us = t0_us_ + int64_t{c_.upgrade_start_ms} * 1000;
  const int64_t end_us =
      start_us + int64_t{s_.upgrade_step_ms} * s_.replicas * 1000 + s_.upgrade_down_ms * 1000;
  nemesis_end_us_ = std::max(nemesis_end_us_, end_us);
  exchange_.rolling_upgrade(start_us, s_.upgrade_step_ms * 1000, s_.upgrade_down_ms * 1000);
  for (const bool start : {true, false}) {
    exchange_.at(start ? start_us : end_us, [this, start] {
      faults_recorded_us_ = exchange_.now_us();
      h_.append({.time_us = exchange_.now_us(),
                 .number = s_.upgrade_step_ms,
                 .text = h_.intern("rolling-upgrade"),
                 .type = start ? EventType::fault_start : EventType::fault_stop});
    });
  }
}

// Runs a hook's command without blocking the clients: polled until it
// exits or its timeout kills it. A hook that fails stops the case (exit 3):
// the environment, not the target, went wrong.
void CaseRun::run_hook(const FaultSpec& spec, bool start, int64_t lease_ms) {
  record_fault(spec, start ? EventType::fault_start : EventType::fault_stop);
  const std::string dir = exchange_.log_dir();
  const std::string log = dir.empty() ? "/dev/null" : dir + "/hooks.log";
  if (!start) {
    // ordeal runs the stop itself: the lease's guard stands down.
    if (auto lease = hook_leases_.find(&spec); lease != hook_leases_.end())
      lease->second->release();
  } else if (!spec.stop_command.empty()) {
    // Leased before the start command runs: a start that hangs and is
    // killed, or an ordeal killed meanwhile, still gets its stop.
    auto& lease = hook_leases_[&spec];
    lease = std::make_unique<faults::HookLease>();
    if (auto error =
            lease->arm(spec.stop_command, log, lease_ms + spec.timeout_ms, spec.timeout_ms);
        !error.empty())
      return fail(error);
  }
  const std::string& command = start ? spec.start_command : spec.stop_command;
  if (command.empty()) return;
  auto hook = std::make_shared<faults::HookProcess>();
  const std::string error = hook->start(command, start ? "start" : "stop", log);
  if (!error.empty()) return fail(error);
  ++hooks_running_;
  poll_hook(hook, command, exchange_.now_us() + int64_t{spec.timeout_ms} * 1000);
}

void CaseRun::poll_hook(const std::shared_ptr<faults::HookProcess>& hook,
                        const std::string& command, int64_t deadline_us) {
  int exit_code = 0;
  if (hook->finished(exit_code)) {
    --hooks_running_;
    if (exit_code != 0) fail(fmt::format("hook `{}` exited with status {}", command, exit_code));
    return;
  }
  if (exchange_.now_us() > deadline_us) {
    hook->kill();
    --hooks_running_;
    return fail(fmt::format("hook `{}` did not finish within its timeout", command));
  }
  exchange_.at(exchange_.now_us() + kHookPollUs,
               [this, hook, command, deadline_us] { poll_hook(hook, command, deadline_us); });
}

void CaseRun::fail(const std::string& error) {
  if (error_.empty()) error_ = error;
}

// A process or network fault is named with where it acts:
// "process.pause:engine-1", "network.latency:gateway->engine-0".
void CaseRun::record_fault(const FaultSpec& spec, EventType type,
                           std::span<const faults::Pin> pins) {
  const std::string& where = spec.node.empty() ? spec.link : spec.node;
  // A fault point alone is interned as it is, without a copy.
  const Sym text = where.empty() ? h_.intern(spec.point) : h_.intern(spec.point + ":" + where);
  faults_recorded_us_ = exchange_.now_us();
  h_.append({.time_us = exchange_.now_us(),
             .number = spec.param,
             .order = pins.empty() ? Sym{0} : h_.intern(faults::format_pins(pins)),
             .text = text,
             .type = type});
}

void CaseRun::schedule_metadata() {
  if (!exchange_.nemesis_supported()) return;
  // The action names its change by index (request ids count from 1): with
  // `this` that fits a std::function's own storage, with no allocation.
  for (size_t i = 0; i < c_.metadata.size(); ++i) {
    exchange_.at(t0_us_ + int64_t{c_.metadata[i].at_ms} * 1000, [this, i] {
      const MetaChange& change = c_.metadata[i];
      const uint64_t id = i + 1;
      const Grid& g = grids_[change.symbol];
      const Instrument* current = exchange_.current_record(g.record->symbol);
      if (current == nullptr) return;
      Instrument record = *current;
      switch (change.kind) {
        case MetaChangeKind::tick:
          record.tick_size = g.record->tick_size * change.value;
          break;
        case MetaChangeKind::band:
          record.min_price = std::max(g.step, g.mid - change.value * g.step);
          record.max_price = g.mid + change.value * g.step;
          break;
        case MetaChangeKind::status:
          record.status = static_cast<TradingStatus>(change.value % 4);
          break;
        case MetaChangeKind::move:
          record.shard = static_cast<ShardId>((record.shard + change.value) % s_.shards);
          break;
        case MetaChangeKind::max_qty:
          record.max_qty = std::max<Qty>(g.unit * change.value, record.min_qty);
          break;
      }
      pending_meta_[id] = record;
      exchange_.update_metadata(record, id);
    });
  }
}

void CaseRun::schedule_next(size_t client, int64_t after_us) {
  Client& state = clients_[client];
  if (state.next >= c_.clients[client].size()) {
    if (!state.done) ++clients_done_;
    state.done = true;
    return;
  }
  const int64_t at_us = t0_us_ + int64_t{c_.clients[client][state.next].at_ms} * 1000;
  exchange_.at(std::max(exchange_.now_us() + after_us, at_us), [this, client] { send(client); });
}

// `order` is set to the request's order id's Sym when the history has it
// already, else to 0.
ClientRequest CaseRun::request_for(size_t client, const Op& op, bool& invalid, Sym& order,
                                   std::string_view prefix) {
  Client& state = clients_[client];
  const Grid& g = grids_[op.symbol % grids_.size()];
  const auto id = static_cast<ClientId>(client + 1);
  ClientRequest r{.kind = op.kind,
                  .client = id,
                  .request_id = next_op_,
                  .side = op.side,
                  .type = op.type,
                  .tif = op.tif,
                  .post_only = op.post_only,
                  .price = g.mid + op.price_steps * g.step,
                  .qty = op.lots * g.unit};
  invalid = op.invalid != Invalid::none;
  if (op.kind == RequestKind::place) {
    if (op.type == OrdType::market) r.price = 0;
    r.symbol = g.record->symbol;
    r.clordid = order_id(prefix, id, state.placed.size() + 1);
    switch (op.invalid) {
      case Invalid::off_tick:
        r.price = g.record->tick_size > 1 ? g.mid + g.record->tick_size / 2
                                          : g.record->max_price + g.step;
        r.type = OrdType::limit;
        break;
      case Invalid::zero_qty:
        r.qty = 0;
        break;
      case Invalid::huge_qty:
        r.qty = g.record->max_qty * 10 + g.unit;
        break;
      case Invalid::unknown_symbol:
        r.symbol = "NOPE-USDT";
        break;
      case Invalid::reused_clordid:
        invalid = !state.placed.empty();
        if (invalid) {
          const Placed& reused = state.placed[op.target % state.placed.size()];
          r.clordid = h_.text(reused.order);
          order = reused.order;
        }
        break;
      default:
        invalid = false;
        break;
    }
    const bool reused = op.invalid == Invalid::reused_clordid && invalid;
    if (!reused) state.placed.emplace_back();  // its Sym comes once the place is recorded
    return r;
  }
  if (op.kind == RequestKind::mass_cancel) {
    if (op.side != Side::buy) r.symbol = g.record->symbol;  // a buy: every symbol
    invalid = false;
    return r;
  }
  invalid = op.invalid == Invalid::unknown_order || state.placed.empty();
  if (invalid) {
    r.clordid = order_id("never-", id, next_op_);
  } else {
    const Placed& named = state.placed[op.target % state.placed.size()];
    r.clordid = h_.text(named.order);
    order = named.order;
  }
  if (op.kind == RequestKind::amend) {
    if (op.price_steps % 2 != 0) r.price = 0;  // some amends change only the quantity
  } else {
    r.price = r.qty = 0;
  }
  return r;
}

// With a cap on the order rate (live targets against staging), a request
// waits for its turn; the cap spaces requests evenly over all clients.
bool CaseRun::rate_limited(size_t client) {
  if (take_turn()) return false;
  exchange_.at(next_send_us_, [this, client] { send(client); });
  return true;
}

// Whether the scenario's order rate lets a request go now; if so, the
// request takes its turn.
bool CaseRun::take_turn() {
  if (s_.max_orders_per_s <= 0) return true;
  const int64_t now_us = exchange_.now_us();
  if (now_us < next_send_us_) return false;
  next_send_us_ = now_us + 1'000'000 / s_.max_orders_per_s;
  return true;
}

void CaseRun::send(size_t client) {
  // Clients stop at the case's time limit: what a client has left is never
  // sent, though its next operation may be scheduled and the probes' answers
  // (complete()) schedule it again.
  if (exchange_.now_us() - t0_us_ >= kCaseUsMax) return;
  if (rate_limited(client)) return;
  Client& state = clients_[client];
  send_op(client, c_.clients[client][state.next++]);
}

void CaseRun::send_op(size_t client, const Op& op, std::string_view prefix) {
  Client& state = clients_[client];
  ++next_op_;
  bool invalid = false;
  Sym order = 0;
  ClientRequest request = request_for(client, op, invalid, order, prefix);
  if (order == 0) order = h_.intern(request.clordid);
  // A new order id: later requests naming it reuse its Sym.
  if (!state.placed.empty() && state.placed.back().order == 0) state.placed.back().order = order;
  int64_t flags = 0;
  if (request.type == OrdType::market) flags |= kMarketFlag;
  if (request.tif == TimeInForce::ioc) flags |= kIocFlag;
  if (request.post_only) flags |= kPostOnlyFlag;
  state.invoke_index = h_.append({.time_us = exchange_.now_us(),
                                  .price = request.price,
                                  .qty = request.qty,
                                  .number = request.kind == RequestKind::place ? flags : 0,
                                  .op = next_op_,
                                  .client = static_cast<int32_t>(request.client),
                                  .order = order,
                                  .symbol = intern_symbol(op, request.symbol),
                                  .type = EventType::invoke,
                                  .kind = request.kind,
                                  .side = request.side,
                                  .flag = invalid});
  state.outstanding = next_op_;
  watch(client, std::max(exchange_.now_us(), nemesis_end_us_) + int64_t{s_.answer_bound_ms} * 1000);
  exchange_.submit(std::move(request));
}

// Most requests and fills name a grid's symbol: its Sym is kept rather
// than hashed again for every operation and every fill.
Sym CaseRun::grid_symbol(Grid& g) {
  if (g.symbol == 0) g.symbol = h_.intern(g.record->symbol);
  return g.symbol;
}

Sym CaseRun::intern_symbol(const Op& op, const std::string& symbol) {
  Grid& g = grids_[op.symbol % grids_.size()];
  return symbol == g.record->symbol ? grid_symbol(g) : h_.intern(symbol);
}

// A symbol the target reports (a fill's): one of the few grids', or any.
Sym CaseRun::known_symbol(std::string_view symbol) {
  for (Grid& g : grids_) {
    if (symbol == g.record->symbol) return grid_symbol(g);
  }
  return h_.intern(symbol);
}

void CaseRun::watch(size_t client, int64_t deadline_us) {
  ORDEAL_ASSERT(deadlines_.empty() || deadlines_.back().at_us <= deadline_us);
  deadlines_.push_back({deadline_us, static_cast<uint32_t>(client), next_op_});
  arm_deadline();
}

// Operations whose deadline is now end `info`, before anything else at this
// time is recorded: as when each had its own action, set when it was sent,
// so that an answer arriving exactly at the deadline is too late. Answered
// operations leave from the front on the way.
void CaseRun::expire_due() {
  const int64_t now_us = exchange_.now_us();
  while (!deadlines_.empty()) {
    const Deadline d = deadlines_.front();
    const bool open = clients_[d.client].outstanding == d.op;
    if (open && d.at_us > now_us) return;
    deadlines_.pop_front();
    if (open) complete(d.client, nullptr);
  }
}

// An action already set fires no later than the earliest open deadline;
// firing, it sets the next one.
void CaseRun::arm_deadline() {
  if (deadline_armed_ || deadlines_.empty()) return;
  deadline_armed_ = true;
  exchange_.at(deadlines_.front().at_us, [this] {
    deadline_armed_ = false;
    expire_due();
    arm_deadline();
  });
}

// Records the completion of a client's outstanding operation (null: it was
// never answered) and moves the client on.
void CaseRun::complete(size_t client, const ClientResponse* r) {
  Client& state = clients_[client];
  const uint32_t op = state.outstanding;
  // Read in place: nothing is appended before `e` is made from it.
  const Event& invoke = h_[state.invoke_index];
  ORDEAL_ASSERT(invoke.op == op && invoke.type == EventType::invoke);
  Event e{.time_us = exchange_.now_us(),
          .op = op,
          .client = invoke.client,
          .order = invoke.order,
          .type = EventType::info,
          .kind = invoke.kind,
          .side = invoke.side};
  if (r != nullptr) {
    e.type = r->verdict == Verdict::ack      ? EventType::ok
             : r->verdict == Verdict::reject ? EventType::fail
                                             : EventType::info;
    e.flag = r->verdict == Verdict::unknown;  // an explicit unknown is an answer
    e.status = r->order.status;
    e.price = r->order.price;
    e.qty = r->order.qty;
    e.filled = r->order.filled;
    e.text = h_.intern(r->reason);
    e.number = r->kind == RequestKind::mass_cancel ? r->cancelled_count : 0;
  } else {
    e.text = h_.intern("no answer in time");
  }
  h_.append(e);
  state.outstanding = 0;
  schedule_next(client, 0);
}

void CaseRun::on_response(const ClientResponse& r) {
  expire_due();
  if (r.kind == RequestKind::mass_status && !read_starts_.empty()) return on_mass_status(r);
  if (r.request_id >= kReadBase) {
    Read& read = reads_.at((r.request_id - kReadBase) % reads_.size());
    if (read.answered) return;
    // Only an answer about the order resolves a read: "unknown order" says
    // the exchange does not know it; a reject for another reason (metadata
    // unavailable after an upgrade, say), or an unknown outcome, says
    // nothing about the order: the read is asked again (final_reads()).
    // A reject for the client's own doing will not change when asked again.
    if (r.verdict == Verdict::unknown ||
        (r.verdict == Verdict::reject && r.reason != kUnknownOrder)) {
      return refuse(read, r);
    }
    read.answered = true;
    Event e = order_event(EventType::read, read.client, r.order, read.order->order);
    if (r.verdict != Verdict::ack) e.status = OrdStatus::none;
    h_.append(e);
    return;
  }
  const size_t client = r.client - 1;
  if (client < clients_.size() && clients_[client].outstanding == r.request_id)
    complete(client, &r);
}

Event CaseRun::order_event(EventType type, ClientId client, const OrderView& view, Sym order) {
  return Event{.time_us = exchange_.now_us(),
               .price = view.price,
               .qty = view.qty,
               .filled = view.filled,
               .client = static_cast<int32_t>(client),
               .order = order,
               .type = type,
               .status = view.status};
}

void CaseRun::on_fill(const Fill& f) {
  expire_due();
  h_.append({.time_us = exchange_.now_us(),
             .price = f.price,
             .qty = f.qty,
             .filled = f.order_filled,
             .number = static_cast<int64_t>(f.trade_id),
             .client = static_cast<int32_t>(f.client),
             .order = h_.intern(f.clordid),
             .symbol = known_symbol(f.symbol),
             .type = EventType::fill,
             .side = f.side,
             .flag = f.maker});
}

void CaseRun::on_order_update(const OrderUpdate& u) {
  expire_due();
  Event e = order_event(EventType::update, u.order.client, u.order, h_.intern(u.order.clordid));
  e.text = h_.intern(u.reason);
  h_.append(e);
}

// Recorded when ordeal hears of the commit, one network hop after the leader
// made it; properties allow for that (CheckLimits::metadata_notice_ms). An
// update the leader never committed (it was down) is not recorded at all.
void CaseRun::on_metadata_result(const MetaUpdateResult& r) {
  auto it = pending_meta_.find(r.request_id);
  if (it == pending_meta_.end()) return;
  // The record as the leader committed it (in its schema), when it says so.
  if (r.ok) record_meta(r.version, r.record.symbol.empty() ? it->second : r.record, r.schema);
  pending_meta_.erase(it);
}

// Named as a fault window names a process or network fault: the point, then
// where (a node, or a link).
void CaseRun::on_fault_fired(std::string_view point, std::string_view where, int64_t param,
                             uint64_t check) {
  const Sym text = where.empty() ? h_.intern(point) : h_.intern(fmt::format("{}:{}", point, where));
  h_.append({.time_us = exchange_.now_us(),
             .qty = static_cast<int64_t>(check),
             .number = param,
             .text = text,
             .type = EventType::fault_fire});
}

void CaseRun::record_meta(MetaVersion version, const Instrument& record, uint8_t replica_schema) {
  h_.append({.time_us = exchange_.now_us(),
             .qty = replica_schema,
             .number = static_cast<int64_t>(version),
             .record = h_.add_record(record),
             .type = EventType::meta});
}

// Once the faults healed and the quiet period passed, order entry must be
// back (recovers-after-faults). The first clients (one per symbol, or every
// client if there are fewer) each send a new order at a symbol's mid price,
// again every kAskAgainUs while the exchange refuses it for a reason of its
// own, until one is accepted, or refused for the client's own doing (a
// metadata rule, a halted symbol: nothing to learn; or a reason the
// scenario names in client_reject_reasons), or one went out recovery_ms_max after
// the faults' end: that one the property judges. Cases without faults have
// nothing to recover from.
void CaseRun::probe_recovery() {
  if (!s_.recovery_probes || nemesis_end_us_ == t0_us_ || !going()) return;
  // From the faults' end as the history has it, which the property reads.
  const int64_t healed_us = std::max(nemesis_end_us_, faults_recorded_us_);
  const int64_t judged_us = healed_us + s_.limits.recovery_ms_max * 1000;
  struct Probe {
    size_t client;
    uint32_t op = 0;  // the last one sent; 0: none yet
    int64_t sent_us = 0;
    bool done = false;
  };
  std::vector<Probe> probes;
  for (size_t i = 0; i < std::min(clients_.size(), grids_.size()); ++i) {
    // A client still waiting (a case cut off at its time limit) sends none.
    if (clients_[i].outstanding == 0) probes.push_back({.client = i});
  }
  // Until each probe's last answer came, or its answer bound passed (and
  // the client recorded it unknown): the last goes out up to kAskAgainUs
  // after judged_us, and a history ending before its bound would lack it.
  const int64_t bound_us = int64_t{s_.answer_bound_ms} * 1000 + kStepUs;
  int64_t until_us = judged_us + bound_us;
  for (size_t left = probes.size(); left > 0 && exchange_.now_us() < until_us && going();
       exchange_.run_until(exchange_.now_us() + kStepUs)) {
    for (Probe& p : probes) {
      if (p.done || clients_[p.client].outstanding != 0) continue;
      if (p.op != 0 && (p.sent_us >= judged_us || !refused_by_exchange(p.op))) {
        p.done = true;
        --left;
        continue;
      }
      if (p.op != 0 && exchange_.now_us() - p.sent_us < kAskAgainUs) continue;
      if (!take_turn()) continue;
      send_op(p.client, Op{.kind = RequestKind::place, .symbol = static_cast<uint8_t>(p.client)},
              kProbePrefix);
      p.op = next_op_;
      p.sent_us = exchange_.now_us();
      until_us = std::max(until_us, p.sent_us + bound_us);
    }
  }
}

// Whether operation `op`, answered, failed for a reason of the exchange's
// own (unavailable, unknown, no answer), not for the client's own doing
// (CheckLimits::clients_doing: a metadata rule, say, or a reason the
// scenario names as the venue's own), as recovers-after-faults judges.
bool CaseRun::refused_by_exchange(uint32_t op) const {
  for (size_t i = h_.size(); i-- > 0;) {
    const Event& e = h_[i];
    if (e.op != op || e.type == EventType::invoke) continue;
    if (e.type == EventType::ok) return false;
    return e.type != EventType::fail || !s_.limits.clients_doing(h_.text(e.text));
  }
  return true;
}

// The status of every order any client placed, once everything healed. A
// read refused is asked again until the answer bound; one still without an
// answer about its order then is recorded as such (recovers-after-faults).
void CaseRun::final_reads() {
  size_t orders = 0;
  for (const Client& client : clients_) orders += client.placed.size();
  reads_.reserve(orders);
  const bool by_client = exchange_.mass_status_supported();
  for (size_t client = 0; client < clients_.size(); ++client) {
    if (by_client) read_starts_.push_back(reads_.size());
    for (const Placed& order : clients_[client].placed) {
      reads_.push_back(Read{.client = static_cast<ClientId>(client + 1), .order = &order});
    }
  }
  if (by_client) {
    read_starts_.push_back(reads_.size());
    client_asks_.assign(clients_.size(), 0);
  }
  ask_due();
  // Until every read is answered or declined, each at most the answer bound
  // from its first ask (asked as the cap on the request rate lets them go).
  const int64_t bound_us = int64_t{s_.answer_bound_ms} * 1000;
  auto waiting = [&] {
    return std::any_of(reads_.begin(), reads_.end(), [&](const Read& r) {
      return !r.answered && !r.declined &&
             (r.asks == 0 || exchange_.now_us() - r.first_asked_us < bound_us);
    });
  };
  while (waiting() && going()) {
    exchange_.run_until(exchange_.now_us() + kStepUs);
    ask_due();
  }
  if (going()) record_unanswered_reads();
}

// Asks the reads not asked yet, and again those refused kAskAgainUs ago,
// as the cap on the request rate lets them go: in turn from the one the cap
// stopped at, so that a read asked again never keeps another from its first.
void CaseRun::ask_due() {
  if (!read_starts_.empty()) return ask_due_by_client();
  for (size_t n = 0; n < reads_.size(); ++n) {
    const size_t i = (ask_from_ + n) % reads_.size();
    if (!due(reads_[i])) continue;
    if (!take_turn()) {
      ask_from_ = i;
      return;
    }
    ask(i);
  }
}

// Each ask has a request id of its own (the read's place, counted on by the
// number of reads per ask), so that a target may map it to an id of its own.
void CaseRun::ask(size_t read) {
  Read& r = reads_[read];
  r.refused = false;
  r.asked_us = exchange_.now_us();
  if (r.asks == 0) r.first_asked_us = r.asked_us;
  exchange_.submit(ClientRequest{.kind = RequestKind::status,
                                 .client = r.client,
                                 .request_id = kReadBase + r.asks++ * reads_.size() + read,
                                 .clordid = std::string(h_.text(r.order->order))});
}

// An answer that says nothing about the order: the read is asked again,
// unless it was refused for the client's own doing, which asking again
// will not change.
void CaseRun::refuse(Read& read, const ClientResponse& r) {
  read.refused = true;
  read.declined = r.verdict == Verdict::reject && s_.limits.clients_doing(r.reason);
  read.refusal = h_.intern(r.reason.empty() ? "unknown outcome" : r.reason);
}

bool CaseRun::due(const Read& read) const {
  if (read.asks == 0) return true;
  return read.refused && !read.answered && !read.declined &&
         exchange_.now_us() - read.asked_us >= kAskAgainUs;
}

// As ask_due(), a client at a time: a client is asked when one of its reads
// is due, about all of them (they share each answer).
void CaseRun::ask_due_by_client() {
  const size_t clients = clients_.size();
  for (size_t n = 0; n < clients; ++n) {
    const size_t client = (ask_from_ + n) % clients;
    const auto first = reads_.begin() + static_cast<ptrdiff_t>(read_starts_[client]);
    const auto last = reads_.begin() + static_cast<ptrdiff_t>(read_starts_[client + 1]);
    if (std::none_of(first, last, [&](const Read& r) { return due(r); })) continue;
    if (!take_turn()) {
      ask_from_ = client;
      return;
    }
    ask_client(client);
  }
}

void CaseRun::ask_client(size_t client) {
  const int64_t now_us = exchange_.now_us();
  for (size_t i = read_starts_[client]; i < read_starts_[client + 1]; ++i) {
    Read& r = reads_[i];
    if (r.answered || r.declined) continue;
    r.refused = false;
    r.asked_us = now_us;
    if (r.asks++ == 0) r.first_asked_us = now_us;
  }
  exchange_.submit(ClientRequest{.kind = RequestKind::mass_status,
                                 .client = static_cast<ClientId>(client + 1),
                                 .request_id = kReadBase + client_asks_[client]++});
}

// The answer to a client's mass-status: each of its reads still open takes
// its order's view from the list; an order not in it, or one its shard did
// not know, is "unknown order" as a status request would say. A refusal
// refuses them all, as each read's own refusal would (on_response).
void CaseRun::on_mass_status(const ClientResponse& r) {
  const size_t client = r.client - 1;
  if (client >= clients_.size()) return;
  if (r.verdict == Verdict::ack) answered_.index(r.orders);
  for (size_t i = read_starts_[client]; i < read_starts_[client + 1]; ++i) {
    Read& read = reads_[i];
    if (read.answered) continue;
    if (r.verdict != Verdict::ack) {
      refuse(read, r);
      continue;
    }
    read.answered = true;
    const OrderView* found = answered_.find(h_.text(read.order->order));
    h_.append(order_event(EventType::read, read.client, found == nullptr ? OrderView{} : *found,
                          read.order->order));
  }
}

void CaseRun::record_unanswered_reads() {
  for (const Read& read : reads_) {
    if (read.answered) continue;
    h_.append(Event{.time_us = exchange_.now_us(),
                    .client = static_cast<int32_t>(read.client),
                    .order = read.order->order,
                    .text = read.refusal != 0 ? read.refusal : h_.intern("no answer in time"),
                    .type = EventType::read,
                    .flag = true});
  }
}

}  // namespace

// The case starts with the initial metadata recorded (CaseRun::run), so
// its first event is at the start; a client's invocations are its
// operations, in order.
std::vector<int32_t> sent_at_ms(const History& h, size_t client) {
  std::vector<int32_t> sent;
  if (h.size() == 0) return sent;
  const int64_t start_us = h[0].time_us;
  const auto id = static_cast<int32_t>(client + 1);
  for (const Event& e : h.events()) {
    if (e.type != EventType::invoke || e.client != id || is_probe(h, e)) continue;
    sent.push_back(static_cast<int32_t>((e.time_us - start_us + 999) / 1000));
  }
  return sent;
}

bool is_probe(const History& h, const Event& invoke) {
  return h.text(invoke.order).starts_with(kProbePrefix);
}

void arms_of(const Case& c, size_t fault, std::vector<Arm>& arms) {
  arms.clear();
  for (const FaultWindow& w : c.faults) {
    if (w.fault == fault) arms.push_back({w.start_ms, int64_t{w.start_ms} + w.duration_ms, w.pins});
  }
  std::stable_sort(arms.begin(), arms.end(),
                   [](const Arm& a, const Arm& b) { return a.start_ms < b.start_ms; });
  // Merged in place: `kept` arms so far, the last still growing.
  size_t kept = 0;
  for (size_t i = 0; i < arms.size(); ++i) {
    if (kept == 0 || arms[i].start_ms > arms[kept - 1].end_ms) {
      if (kept != i) arms[kept] = std::move(arms[i]);
      ++kept;
      continue;
    }
    Arm& into = arms[kept - 1];
    into.end_ms = std::max(into.end_ms, arms[i].end_ms);
    faults::merge_pins(into.pins, arms[i].pins);
  }
  arms.resize(kept);
}

std::pair<int64_t, int64_t> armed_span(const Case& c, size_t i) {
  const FaultWindow& w = c.faults[i];
  std::vector<Arm> arms;
  arms_of(c, w.fault, arms);
  for (const Arm& arm : arms) {
    if (arm.start_ms <= w.start_ms && w.start_ms <= arm.end_ms) return {arm.start_ms, arm.end_ms};
  }
  ORDEAL_ASSERT(false, "window {} is in no arm of its fault", i);
  return {};
}

bool armed_with_pins_of_another(const Case& c, size_t i) {
  const auto [from, to] = armed_span(c, i);
  for (size_t j = 0; j < c.faults.size(); ++j) {
    const FaultWindow& o = c.faults[j];
    if (j != i && o.fault == c.faults[i].fault && !o.pins.empty() && o.start_ms >= from &&
        o.start_ms <= to) {
      return true;
    }
  }
  return false;
}

std::vector<FireSeen> fires_in_window(const History& h, std::string_view point, const Case& c,
                                      size_t i) {
  std::vector<FireSeen> fires;
  if (h.size() == 0) return fires;
  const int64_t start_us = h[0].time_us;
  const auto [from_ms, to_ms] = armed_span(c, i);
  const int64_t from_us = from_ms * 1000, to_us = to_ms * 1000;
  for (const Event& e : h.events()) {
    if (e.type != EventType::fault_fire || e.qty <= 0) continue;
    const int64_t at_us = e.time_us - start_us;
    const std::string_view name = h.text(e.text);
    // "meta.update.drop" or "meta.update.drop:meta-0->engine-1"
    const bool of_point = name.substr(0, point.size()) == point &&
                          (name.size() == point.size() || name[point.size()] == ':');
    if (of_point && at_us >= from_us && at_us <= to_us) {
      fires.push_back({.at_us = at_us, .check = static_cast<uint32_t>(e.qty)});
    }
  }
  return fires;
}

History run_case(Target& target, const Scenario& scenario, const Case& c, std::string* error) {
  ORDEAL_ASSERT(!c.clients.empty());
  // A target of the user's own may not list what the scenario trades (its
  // [[instruments]]): the run's error, not an abort in the grid.
  for (const std::string& symbol : scenario.symbols) {
    if (error == nullptr || target.initial_metadata().find(symbol) != nullptr) continue;
    *error = fmt::format(
        "the target lists no instrument {}, which the scenario trades (initial_metadata())",
        symbol);
    return History{};
  }
  CaseRun run(target, scenario, c);
  History history = run.run();
  if (error != nullptr) *error = run.error();
  return history;
}

}  // namespace ordeal
