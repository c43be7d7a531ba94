// Final reads: which answers to a status read resolve an order. The reference
// exchange runs in process; a thin target in front of it rewrites the
// answers to status reads, as a troubled gateway would give them.
#include "framework/run/case_run.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <climits>
#include <map>
#include <set>

#include "framework/run/generate.h"
#include "framework/run/runner.h"
#include "framework/run/shipped_scenarios.h"
#include "framework/run/sim_target.h"
#include "targets/exchange/defects.h"

namespace ordeal {
namespace {

using namespace exchange;

// Forwards everything to the in-process exchange; a test target overrides
// what it changes.
class Forwarding : public Target, protected ExchangeListener {
 public:
  explicit Forwarding(std::unique_ptr<Target> inner) : inner_(std::move(inner)) {
    inner_->set_listener(this);
  }
  void set_listener(ExchangeListener* listener) override { listener_ = listener; }
  int64_t now_us() const override { return inner_->now_us(); }
  void at(int64_t time_us, std::function<void()> action) override {
    inner_->at(time_us, std::move(action));
  }
  void run_until(int64_t time_us) override { inner_->run_until(time_us); }
  void submit(ClientRequest&& request) override { inner_->submit(std::move(request)); }
  const MetadataState& initial_metadata() const override { return inner_->initial_metadata(); }
  const Instrument* current_record(std::string_view symbol) override {
    return inner_->current_record(symbol);
  }
  void update_metadata(const Instrument& record, uint64_t request_id) override {
    inner_->update_metadata(record, request_id);
  }
  void arm(const std::string& point, const faults::ArmSpec& spec, int64_t lease_ms) override {
    inner_->arm(point, spec, lease_ms);
  }
  void disarm(const std::string& point) override { inner_->disarm(point); }
  void rolling_upgrade(int64_t start_us, int64_t step_us, int64_t down_us) override {
    inner_->rolling_upgrade(start_us, step_us, down_us);
  }
  void live_fault(const FaultSpec& spec, bool start) override { inner_->live_fault(spec, start); }
  // Off by default: most tests here read order by order, as a venue
  // without mass-status is read.
  bool mass_status_supported() const override { return mass_status; }

  bool mass_status = false;

 protected:
  void on_response(const ClientResponse& r) override {
    if (listener_ != nullptr) listener_->on_response(r);
  }
  void on_fill(const Fill& f) override {
    if (listener_ != nullptr) listener_->on_fill(f);
  }
  void on_order_update(const OrderUpdate& u) override {
    if (listener_ != nullptr) listener_->on_order_update(u);
  }
  void on_metadata_result(const MetaUpdateResult& r) override {
    if (listener_ != nullptr) listener_->on_metadata_result(r);
  }

  std::unique_ptr<Target> inner_;
  ExchangeListener* listener_ = nullptr;
};

// Answers to status requests (and mass-statuses) come back as rejects with
// `reason` (unless it is empty), as a troubled gateway would give them; "unknown
// order" to a mass-status is a list without the client's orders.
class RejectingReads final : public Forwarding {
 public:
  // Rewrites the first `rewrites_max` answers to reads, then lets them by.
  RejectingReads(std::unique_ptr<Target> inner, std::string reason, int rewrites_max)
      : Forwarding(std::move(inner)), reason_(std::move(reason)), rewrites_max_(rewrites_max) {}

  int reads_rewritten = 0;

 private:
  void on_response(const ClientResponse& r) override {
    const bool read = r.kind == RequestKind::status || r.kind == RequestKind::mass_status;
    if (!read || reason_.empty() || reads_rewritten == rewrites_max_) {
      return Forwarding::on_response(r);
    }
    ++reads_rewritten;
    ClientResponse rejected = r;
    rejected.orders.clear();
    if (r.kind != RequestKind::mass_status || reason_ != kUnknownOrder) {
      rejected.verdict = Verdict::reject;
      rejected.reason = reason_;
    }
    rejected.order = OrderView{};
    Forwarding::on_response(rejected);
  }

  std::string reason_;
  int rewrites_max_;
};

// Knows which answers answer a recovery probe, for targets that change them.
class WatchingProbes : public Forwarding {
 public:
  using Forwarding::Forwarding;
  void submit(ClientRequest&& request) override {
    if (request.kind == RequestKind::place && request.clordid.starts_with(kProbePrefix)) {
      probes_.insert(request.request_id);
    }
    Forwarding::submit(std::move(request));
  }

 protected:
  bool answers_probe(const ClientResponse& r) const { return probes_.contains(r.request_id); }

 private:
  std::set<uint64_t> probes_;
};

// Its timers fire late (as a live target's may: a poll, a proxy call to
// heal a fault), so the history records the faults' stop after its
// scheduled time; and it refuses every recovery probe with `reason`, as an
// exchange whose order entry never came back (or a venue with a rule of
// its own the probes break).
class LateTimersNoRecovery final : public WatchingProbes {
 public:
  LateTimersNoRecovery(std::unique_ptr<Target> inner, int64_t late_us,
                       std::string reason = "metadata unavailable")
      : WatchingProbes(std::move(inner)), late_us_(late_us), reason_(std::move(reason)) {}
  void at(int64_t time_us, std::function<void()> action) override {
    Forwarding::at(time_us + late_us_, std::move(action));
  }

 private:
  void on_response(const ClientResponse& r) override {
    if (!answers_probe(r)) return Forwarding::on_response(r);
    ClientResponse refused = r;
    refused.verdict = Verdict::reject;
    refused.reason = reason_;
    Forwarding::on_response(refused);
  }

  int64_t late_us_;
  std::string reason_;
};

// Never answers a recovery probe: each one's answer is lost.
class SilentProbes final : public WatchingProbes {
 public:
  using WatchingProbes::WatchingProbes;

 private:
  void on_response(const ClientResponse& r) override {
    if (!answers_probe(r)) Forwarding::on_response(r);
  }
};

Scenario parsed(const char* toml, const char* file) {
  const ScenarioLoad loaded = parse_scenario(toml, file);
  EXPECT_TRUE(loaded) << loaded.error;
  return loaded.scenario;
}

Scenario quiet_scenario() {
  return parsed(R"(
name = "final-reads"
[workload]
clients = 1
symbols = ["BTC-USDT"]
)",
                "final-reads.toml");
}

// Two resting buys, far below the mid price: both are open at the end.
Case two_resting_orders() {
  Case c{.seed = 11};
  c.clients = {{Op{.price_steps = -5, .lots = 1, .at_ms = 0},
                Op{.price_steps = -4, .lots = 2, .at_ms = 50}}};
  return c;
}

// An operation that waits for the answer to the one before goes later than
// its own time; sent_at_ms says when it went (the shrinker keeps that time
// when it drops the one before).
TEST(CaseRun, SentAtSaysWhenEachOperationWentAfterWaitingForThePrevious) {
  const Scenario s = quiet_scenario();
  Case c{.seed = 11};
  c.clients = {
      {Op{.price_steps = -5, .at_ms = 100}, Op{.kind = RequestKind::status, .at_ms = 100}}};
  auto target = make_sim_target(s, c, {});
  const std::vector<int32_t> sent = sent_at_ms(run_case(*target, s, c), 0);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0], 100);
  EXPECT_GT(sent[1], 100);  // after the place's answer, a network round trip or two later
  EXPECT_LT(sent[1], 110);
  EXPECT_TRUE(sent_at_ms(run_case(*make_sim_target(s, c, {}), s, c), 1).empty());  // no client 2
}

// A target that lists other instruments than the scenario trades (one of
// the user's own, built for the reference ones) ends the case with an
// error that names the symbol, rather than aborting the run.
TEST(CaseRun, ATargetWithoutTheScenariosInstrumentIsAnError) {
  Scenario venue = quiet_scenario();
  venue.instruments = {{.symbol = "AAPL",
                        .tick_size = 10,
                        .lot_size = 1,
                        .max_qty = 100,
                        .min_price = 100'000,
                        .max_price = 200'000}};
  venue.symbols = {"AAPL"};
  Scenario reference = quiet_scenario();
  Case c{.seed = 11};
  c.clients = {{Op{.at_ms = 100}}};
  auto target = make_sim_target(reference, c, {});  // lists BTC-USDT, ETH-USDT, SOL-USDT
  std::string error;
  const History h = run_case(*target, venue, c, &error);
  EXPECT_EQ(error,
            "the target lists no instrument AAPL, which the scenario trades (initial_metadata())");
  EXPECT_EQ(h.size(), 0u);
  error.clear();
  run_case(*make_sim_target(venue, c, {}), venue, c, &error);
  EXPECT_EQ(error, "");
}

struct Reads {
  int events = 0;
  int unknown_to_exchange = 0;  // read as OrdStatus::none
  int unanswered = 0;
  int rewritten = 0;
  std::vector<Violation> violations;  // of no-lost-order
  std::vector<Violation> recovery;    // of recovers-after-faults
};

// The final reads of two_resting_orders(), asked order by order or (with
// `by_client`) by one mass-status.
Reads final_reads_with(const std::string& reject_reason, int rewrites_max = INT32_MAX,
                       std::vector<std::string> client_reject_reasons = {},
                       bool by_client = false) {
  Scenario s = quiet_scenario();
  s.limits.client_reject_reasons = std::move(client_reject_reasons);
  const Case c = two_resting_orders();
  RejectingReads target(make_sim_target(s, c, {}), reject_reason, rewrites_max);
  target.mass_status = by_client;
  const History h = run_case(target, s, c);
  Reads reads{.rewritten = target.reads_rewritten};
  for (size_t i = 0; i < h.size(); ++i) {
    if (h[i].type != EventType::read) continue;
    ++reads.events;
    reads.unanswered += h[i].flag;
    reads.unknown_to_exchange += h[i].status == OrdStatus::none && !h[i].flag;
  }
  const std::vector<std::string> property = {"no-lost-order"};
  reads.violations = check_history(h, property, s.limits);
  const std::vector<std::string> recovery = {"recovers-after-faults"};
  reads.recovery = check_history(h, recovery, s.limits);
  return reads;
}

TEST(FinalReads, AnAnswerAboutTheOrderResolvesIt) {
  for (const bool by_client : {false, true}) {
    const Reads reads = final_reads_with("", INT32_MAX, {}, by_client);
    EXPECT_EQ(reads.events, 2);
    EXPECT_EQ(reads.unknown_to_exchange, 0);
    EXPECT_EQ(reads.unanswered, 0);
    EXPECT_TRUE(reads.violations.empty());
  }
}

// Order by order, each read answered "unknown order"; by mass-status, the
// one list without them.
TEST(FinalReads, UnknownOrderResolvesTheOrderAsUnknownToTheExchange) {
  for (const bool by_client : {false, true}) {
    const Reads reads = final_reads_with(std::string(kUnknownOrder), INT32_MAX, {}, by_client);
    EXPECT_EQ(reads.rewritten, by_client ? 1 : 2);
    EXPECT_EQ(reads.events, 2);
    EXPECT_EQ(reads.unknown_to_exchange, 2);
    // Two acknowledged orders the exchange says it does not know: lost.
    ASSERT_FALSE(reads.violations.empty());
    EXPECT_EQ(reads.violations.front().property, "no-lost-order");
  }
}

// A reject for another reason says nothing of the order: the read is asked
// again every 100 ms until the answer bound (3 s), then recorded as
// unanswered, which recovers-after-faults judges and no other property
// takes for a final read. By mass-status each refusal is both reads', so
// half the asks.
TEST(FinalReads, ARejectForAnotherReasonIsAskedAgainThenRecordedUnanswered) {
  for (const bool by_client : {false, true}) {
    const Reads reads = final_reads_with("metadata unavailable", INT32_MAX, {}, by_client);
    EXPECT_EQ(reads.rewritten, by_client ? 30 : 60);  // 30 asks a read, or a client
    EXPECT_EQ(reads.events, 2);
    EXPECT_EQ(reads.unanswered, 2);
    EXPECT_TRUE(reads.violations.empty());
    ASSERT_EQ(reads.recovery.size(), 1u);
    EXPECT_NE(reads.recovery[0].message.find("2 of 2 final reads"), std::string::npos)
        << reads.recovery[0].message;
  }
}

// The exchange comes back within the bound: the reads asked again resolve.
TEST(FinalReads, AReadRefusedForAWhileIsAnsweredWhenAskedAgain) {
  for (const bool by_client : {false, true}) {
    const Reads reads = final_reads_with("metadata unavailable", 5, {}, by_client);
    EXPECT_EQ(reads.rewritten, 5);
    EXPECT_EQ(reads.events, 2);
    EXPECT_EQ(reads.unanswered, 0);
    EXPECT_TRUE(reads.recovery.empty());
  }
}

// A venue that takes no status request refuses every read the same way:
// once the scenario names its reason as the client's doing, each read is
// asked once and recorded unanswered with it, and recovers-after-faults
// does not count it (the venue's being up is not in question).
TEST(FinalReads, ARejectTheScenarioNamesIsNotAskedAgain) {
  for (const bool by_client : {false, true}) {
    const Reads reads = final_reads_with("BusinessRejectReason 3", INT32_MAX,
                                         {"BusinessRejectReason 3"}, by_client);
    EXPECT_EQ(reads.rewritten, by_client ? 1 : 2);
    EXPECT_EQ(reads.unanswered, 2);
    EXPECT_TRUE(reads.recovery.empty());
    const Reads unnamed = final_reads_with("BusinessRejectReason 3", INT32_MAX, {}, by_client);
    EXPECT_EQ(unnamed.rewritten, by_client ? 30 : 60);
    EXPECT_EQ(unnamed.recovery.size(), 1u);
  }
}

// What the final reads of a history said, by order: status, price,
// quantity, filled, and whether it went unanswered.
using ReadOutcomes = std::map<std::string, std::tuple<OrdStatus, Price, Qty, Qty, bool>>;
ReadOutcomes read_outcomes(const History& h) {
  ReadOutcomes outcomes;
  for (const Event& e : h.events()) {
    if (e.type != EventType::read) continue;
    outcomes[std::string(h.text(e.order))] = {e.status, e.price, e.qty, e.filled, e.flag};
  }
  return outcomes;
}

// A case's final reads, read order by order (first) and by mass-status, on
// two exchanges run alike.
std::pair<ReadOutcomes, ReadOutcomes> reads_both_ways(const Scenario& s, const Case& c,
                                                      const DefectSet& defects) {
  Forwarding by_order(make_sim_target(s, c, defects));
  Forwarding by_client(make_sim_target(s, c, defects));
  by_client.mass_status = true;
  return {read_outcomes(run_case(by_order, s, c)), read_outcomes(run_case(by_client, s, c))};
}

// Both ways for the generated cases of seeds 1 to `seeds`, which must read
// alike; how many orders each case read.
std::vector<size_t> reads_agree(const Scenario& s, const DefectSet& defects, uint64_t seeds,
                                int size) {
  const rc::Gen<Case> gen = case_generator(s);
  std::vector<size_t> reads;
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    const auto [by_order, by_client] =
        reads_both_ways(s, gen(rc::Random(seed), size).value(), defects);
    EXPECT_EQ(by_client, by_order) << "seed " << seed;
    reads.push_back(by_order.size());
  }
  return reads;
}

// Reading by mass-status must say what reading order by order says, for
// every order: over generated cases of several clients, symbols and
// metadata changes (a symbol moved to the other shard among them), both
// ways, with the planted defect that answers reads from the gateway's
// cache as well.
TEST(FinalReadsByClient, SayWhatReadsOrderByOrderSay) {
  const Scenario s = parsed(R"(
name = "reads-both-ways"
[workload]
clients = 3
operations_per_client = 12
symbols = ["BTC-USDT", "ETH-USDT"]
[metadata]
changes_max = 3
kinds = ["move", "tick"]
)",
                            "reads-both-ways.toml");
  size_t reads = 0;
  for (const DefectSet& defects :
       {DefectSet(), DefectSet().add(Defect::state_regress_after_resync)}) {
    for (const size_t read : reads_agree(s, defects, 30, 50)) reads += read;
  }
  EXPECT_GT(reads, 300u);  // the cases placed orders to read
}

// The same for clients of many orders, whose answers are looked up sorted
// rather than looked through (more than 32 orders).
TEST(FinalReadsByClient, SayWhatReadsOrderByOrderSayOfManyOrders) {
  const Scenario s = parsed(R"(
name = "many-reads-both-ways"
[workload]
clients = 2
operations_per_client = 120
symbols = ["BTC-USDT", "ETH-USDT"]
[workload.mix]
place = 80
cancel = 10
amend = 10
[metadata]
changes_max = 2
kinds = ["move"]
)",
                            "many-reads-both-ways.toml");
  const std::vector<size_t> reads = reads_agree(s, DefectSet(), 5, 100);
  EXPECT_GT(*std::max_element(reads.begin(), reads.end()), 2 * 32u);  // a client read > 32
}

// The same under the shipped simulator scenarios' faults (shards and the
// gateway crashed and restarted, metadata resyncs, delayed applies and
// answers) and every planted defect: what a defect does to a status read
// it does alike to the mass-status's view of that order. Under
// gateway-forgets-orders a restarted gateway reuses an order id, and a
// shard reports the earlier order, with its names, for the later one: its
// view, too, answers the order it was asked for.
TEST(FinalReadsByClient, SayWhatReadsOrderByOrderSayUnderFaultsAndDefects) {
  size_t reads = 0;
  for (const char* name :
       {"okx-2023-08-14", "engine-restart", "metadata-corruption", "restart-rollback"}) {
    const Scenario s = shipped(name);
    const rc::Gen<Case> gen = case_generator(s);
    std::vector<std::pair<std::string_view, DefectSet>> defect_sets = {{"none", DefectSet()}};
    for (const DefectInfo& d : all_defects())
      defect_sets.emplace_back(d.name, DefectSet().add(d.defect));
    for (const auto& [defect, defects] : defect_sets) {
      for (uint64_t seed = 1; seed <= 25; ++seed) {
        const auto [by_order, by_client] =
            reads_both_ways(s, gen(rc::Random(seed), 50).value(), defects);
        ASSERT_EQ(by_client, by_order) << name << ", defect " << defect << ", seed " << seed;
        reads += by_order.size();
      }
    }
  }
  EXPECT_GT(reads, 10'000u);
}

// Holds back every answer to one client's operations (not final reads):
// delivered `offset_us` from the operation's answer deadline, or never.
class HeldAnswers final : public Forwarding {
 public:
  static constexpr int64_t kNever = INT64_MAX;
  HeldAnswers(std::unique_ptr<Target> inner, ClientId client, int64_t bound_us, int64_t offset_us)
      : Forwarding(std::move(inner)), client_(client), bound_us_(bound_us), offset_us_(offset_us) {}

  void submit(ClientRequest&& request) override {
    if (request.client == client_) sent_us_[request.request_id] = now_us();
    Forwarding::submit(std::move(request));
  }

 private:
  void on_response(const ClientResponse& r) override {
    const auto sent = sent_us_.find(r.request_id);
    if (r.client != client_ || sent == sent_us_.end()) return Forwarding::on_response(r);
    if (offset_us_ == kNever) return;
    at(sent->second + bound_us_ + offset_us_, [this, r] { Forwarding::on_response(r); });
  }

  ClientId client_;
  int64_t bound_us_;
  int64_t offset_us_;
  std::map<uint64_t, int64_t> sent_us_;
};

constexpr int64_t kBoundUs = 3'000'000;  // the scenario's answer_bound_ms

Scenario two_client_scenario() {
  return parsed(R"(
name = "deadlines"
[workload]
clients = 2
symbols = ["BTC-USDT"]
[properties]
answer_bound_ms = 3000
)",
                "deadlines.toml");
}

// Client 1 sends one order at once; client 2 two, from 5 ms on, each
// after the last completed.
Case three_orders() {
  Case c{.seed = 12};
  c.clients = {{Op{.price_steps = -5, .lots = 1, .at_ms = 0}},
               {Op{.price_steps = -4, .lots = 1, .at_ms = 5},
                Op{.price_steps = -3, .lots = 1, .at_ms = 10}}};
  return c;
}

struct Completion {
  int64_t invoked_us = 0;
  int64_t completed_us = 0;
  EventType type = EventType::invoke;
  std::string reason;
};

// The completions of `client`'s operations, in order.
std::vector<Completion> completions_of(const History& h, int32_t client) {
  std::map<uint32_t, int64_t> invoked_us;
  std::vector<Completion> out;
  for (size_t i = 0; i < h.size(); ++i) {
    const Event& e = h[i];
    if (e.client != client || e.op == 0) continue;
    if (e.type == EventType::invoke) {
      invoked_us[e.op] = e.time_us;
      continue;
    }
    out.push_back({invoked_us.at(e.op), e.time_us, e.type, std::string(h.text(e.text))});
  }
  return out;
}

std::vector<Completion> run_held(ClientId client, int64_t offset_us) {
  const Scenario s = two_client_scenario();
  const Case c = three_orders();
  HeldAnswers target(make_sim_target(s, c, {}), client, kBoundUs, offset_us);
  return completions_of(run_case(target, s, c), static_cast<int32_t>(client));
}

// Every operation of a client whose answers never come ends `info` exactly
// at its deadline, the second one too (the deadline is set again).
void expect_both_ended_at_their_deadlines(const std::vector<Completion>& done) {
  ASSERT_EQ(done.size(), 2u);
  for (const Completion& c : done) {
    EXPECT_EQ(c.type, EventType::info);
    EXPECT_EQ(c.reason, "no answer in time");
    EXPECT_EQ(c.completed_us, c.invoked_us + kBoundUs);
  }
}

TEST(AnswerDeadlines, UnansweredOperationsEndExactlyAtTheirDeadlines) {
  expect_both_ended_at_their_deadlines(run_held(2, HeldAnswers::kNever));
}

TEST(AnswerDeadlines, AnAnswerJustBeforeTheDeadlineCounts) {
  const std::vector<Completion> done = run_held(2, -1);
  ASSERT_EQ(done.size(), 2u);
  for (const Completion& c : done) {
    EXPECT_EQ(c.type, EventType::ok);
    EXPECT_EQ(c.completed_us, c.invoked_us + kBoundUs - 1);
  }
}

// At the deadline itself the deadline wins, even when the answer was
// scheduled before the deadline's turn came (client 1's deadline came first).
TEST(AnswerDeadlines, AnAnswerAtTheDeadlineIsTooLate) {
  expect_both_ended_at_their_deadlines(run_held(2, 0));
}

// The client whose answers come at once is not held up by the other's.
TEST(AnswerDeadlines, PromptAnswersAreNotDelayed) {
  const Scenario s = two_client_scenario();
  const Case c = three_orders();
  HeldAnswers target(make_sim_target(s, c, {}), 2, kBoundUs, HeldAnswers::kNever);
  const std::vector<Completion> prompt = completions_of(run_case(target, s, c), 1);
  ASSERT_EQ(prompt.size(), 1u);
  EXPECT_EQ(prompt[0].type, EventType::ok);
  EXPECT_LT(prompt[0].completed_us, prompt[0].invoked_us + 10'000);
}

// A nemesis span may be an hour (window_ms up to 3,600,000): times past
// 2,147,483 ms are still scheduled when they are, not wrapped around 32 bits
// into the past.
TEST(LongNemesisSpan, LateChangesFaultsAndUpgradesHappenAtTheirTimes) {
  const Scenario s = parsed(R"(
name = "long-span"
[workload]
clients = 1
[nemesis]
window_ms = 3600000
[[nemesis.fault]]
point = "meta.update.delay"
)",
                            "long-span.toml");
  Case c = two_resting_orders();
  c.metadata = {MetaChange{.at_ms = 2'500'000, .kind = MetaChangeKind::band, .value = 3}};
  c.faults = {FaultWindow{.fault = 0, .start_ms = 2'700'000, .duration_ms = 1000}};
  c.upgrade = true;
  c.upgrade_start_ms = 2'600'000;
  const auto target = make_sim_target(s, c, {});
  const History h = run_case(*target, s, c);
  int64_t meta_last_us = 0, upgrade_us = 0, fault_us = 0;
  for (size_t i = 0; i < h.size(); ++i) {
    const Event& e = h[i];
    if (e.type == EventType::meta) meta_last_us = e.time_us;
    if (e.type != EventType::fault_start) continue;
    (h.text(e.text) == "rolling-upgrade" ? upgrade_us : fault_us) = e.time_us;
  }
  EXPECT_GE(meta_last_us, int64_t{2'500'000'000});
  EXPECT_GE(upgrade_us, int64_t{2'600'000'000});
  EXPECT_GE(fault_us, int64_t{2'700'000'000});
}

// One client, one symbol, one fault: the recovery probes' setting.
Scenario one_fault_scenario(int window_ms = 1000) {
  const std::string toml = fmt::format(R"(
name = "one-fault"
[workload]
clients = 1
symbols = ["BTC-USDT"]
[nemesis]
window_ms = {}
[[nemesis.fault]]
point = "meta.update.delay"
)",
                                       window_ms);
  return parsed(toml.c_str(), "one-fault.toml");
}

// Its fault from 0.1 to 0.6 s.
Case one_fault_case() {
  Case c = two_resting_orders();
  c.faults = {FaultWindow{.fault = 0, .start_ms = 100, .duration_ms = 500}};
  return c;
}

// The probes are judged from when the history says the faults stopped, as
// recovers-after-faults reads it: with the stop recorded 200 ms after its
// scheduled time, the last probe went out before the property's bound and
// nothing was judged, though no probe was ever accepted.
TEST(RecoveryProbes, TheLastOneGoesOutWhenTheHistorySaysTheBoundIsReached) {
  const Scenario s = one_fault_scenario();
  const Case c = one_fault_case();
  LateTimersNoRecovery target(make_sim_target(s, c, {}), 200'000);
  const History h = run_case(target, s, c);
  int64_t stop_us = 0, last_probe_us = 0;
  for (const Event& e : h.events()) {
    if (e.type == EventType::fault_stop) stop_us = e.time_us;
    if (e.type == EventType::invoke && is_probe(h, e)) last_probe_us = e.time_us;
  }
  EXPECT_GE(last_probe_us, stop_us + s.limits.recovery_ms_max * 1000);
  const std::vector<std::string> recovery = {"recovers-after-faults"};
  const std::vector<Violation> v = check_history(h, recovery, s.limits);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NE(v[0].message.find("1 of 1 new orders"), std::string::npos) << v[0].message;
}

// A venue that refuses the probes for a rule of its own (self-trade
// prevention) has order entry up: once the scenario names the reason, the
// first refusal ends the probing and recovers-after-faults passes; until
// then they are refusals like any other, sent again to the bound.
TEST(RecoveryProbes, ARejectTheScenarioNamesAsTheClientsDoingEndsThem) {
  const Case c = one_fault_case();
  const std::vector<std::string> recovery = {"recovers-after-faults"};
  for (bool named : {false, true}) {
    Scenario s = one_fault_scenario();
    if (named) s.limits.client_reject_reasons = {"self-trade"};
    LateTimersNoRecovery target(make_sim_target(s, c, {}), 0, "35=8 STP: self-trade prevented");
    const History h = run_case(target, s, c);
    int probes = 0;
    for (const Event& e : h.events()) probes += e.type == EventType::invoke && is_probe(h, e);
    if (named) {
      EXPECT_EQ(probes, 1);
      EXPECT_TRUE(check_history(h, recovery, s.limits).empty());
    } else {
      EXPECT_GT(probes, 10) << "sent again every 100 ms for 3 s";
      EXPECT_EQ(check_history(h, recovery, s.limits).size(), 1u);
    }
  }
}

// Every probe the case sent has its outcome in the history, the last one
// too: with no answer, an `info` at its answer bound. The probing used to
// stop at the bound of a probe sent at the judged time, while the last one
// goes out up to 100 ms later; the history then ended without its info.
TEST(RecoveryProbes, TheLastOneIsWaitedForToItsAnswerBound) {
  const Scenario s = one_fault_scenario();
  const Case c = one_fault_case();
  SilentProbes target(make_sim_target(s, c, {}));
  const History h = run_case(target, s, c);
  std::set<uint32_t> sent, outcomes;
  for (const Event& e : h.events()) {
    if (e.type == EventType::invoke && is_probe(h, e)) sent.insert(e.op);
    if (e.type == EventType::info && sent.contains(e.op)) outcomes.insert(e.op);
  }
  ASSERT_GT(sent.size(), 1u) << "sent again while unanswered";
  EXPECT_EQ(outcomes, sent);
}

// A case cut off at its 10-minute limit while its client thinks, its next
// operation already scheduled (at 601.5 s), and faults up to the limit:
// the client stops there (scenarios.md), and the probes it sends, refused
// until the bound, do not send its operations again (each answer moved the
// client on to its next operation, scheduled once more each time).
TEST(RecoveryProbes, AClientCutOffAtTheTimeLimitSendsNothingMoreOfItsCase) {
  const Scenario s = one_fault_scenario(600'000);
  Case c{.seed = 11};
  c.clients = {{Op{.price_steps = -5, .at_ms = 0}, Op{.price_steps = -4, .at_ms = 601'500}}};
  c.faults = {FaultWindow{.fault = 0, .start_ms = 599'000, .duration_ms = 1'000}};
  LateTimersNoRecovery target(make_sim_target(s, c, {}), 0);
  const History h = run_case(target, s, c);
  const int64_t limit_us = h[0].time_us + 600'000'000;
  int case_sent = 0, probes = 0;
  std::map<uint32_t, int> completions;
  for (const Event& e : h.events()) {
    if (is_completion(e.type)) ++completions[e.op];
    if (e.type != EventType::invoke) continue;
    completions.try_emplace(e.op, 0);
    if (is_probe(h, e)) {
      ++probes;
      continue;
    }
    ++case_sent;
    EXPECT_LT(e.time_us, limit_us) << "a case operation sent after the limit";
  }
  EXPECT_EQ(case_sent, 1);
  EXPECT_GT(probes, 1);
  for (const auto& [op, count] : completions) EXPECT_EQ(count, 1) << "op " << op;
}

// Counts the status requests it is sent, by the second they go in.
class CountingStatuses final : public Forwarding {
 public:
  using Forwarding::Forwarding;
  void submit(ClientRequest&& request) override {
    const bool read =
        request.kind == RequestKind::status || request.kind == RequestKind::mass_status;
    if (read) ++per_second[now_us() / 1'000'000];
    Forwarding::submit(std::move(request));
  }
  std::map<int64_t, int> per_second;
};

// The cap on the request rate (live targets against staging) holds for the
// final reads too, asked again while refused: 3 reads asked again every
// 100 ms were 30 status requests a second against a cap of 10. Each read
// still gets the answer bound from its first ask, so none is cut short.
// By mass-status one request asks for all three; a cap of 5 holds it to
// every 200 ms.
TEST(FinalReads, AskedAgainWithinTheRequestRateCap) {
  for (const bool by_client : {false, true}) {
    Scenario s = quiet_scenario();
    s.max_orders_per_s = by_client ? 5 : 10;
    Case c = two_resting_orders();
    c.clients[0].push_back(Op{.price_steps = -3, .lots = 1, .at_ms = 100});
    auto counting = std::make_unique<CountingStatuses>(make_sim_target(s, c, {}));
    CountingStatuses& counted = *counting;
    RejectingReads target(std::move(counting), "metadata unavailable", INT32_MAX);
    target.mass_status = by_client;
    const History h = run_case(target, s, c);
    int total = 0;
    for (const auto& [second, count] : counted.per_second) {
      EXPECT_LE(count, s.max_orders_per_s) << "second " << second;
      total += count;
    }
    // Order by order, each read asked for its 3 s at a third of the cap;
    // by client, one request at the cap for 3 s, less the edges of a step.
    EXPECT_GE(total, by_client ? 3 * 5 - 1 : 3 * 3 * 10 / 3) << by_client;
    int unanswered = 0;
    for (const Event& e : h.events()) unanswered += e.type == EventType::read && e.flag;
    EXPECT_EQ(unanswered, 3);
  }
}

}  // namespace
}  // namespace ordeal
