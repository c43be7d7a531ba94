// Final reads: which answers to a status read resolve an order. The reference
// exchange runs in process; a thin target in front of it rewrites the
// answers to status reads, as a troubled gateway would give them.
#include "framework/run/case_run.h"

#include <gtest/gtest.h>

#include "framework/run/runner.h"
#include "framework/run/sim_target.h"

namespace ordeal {
namespace {

using namespace exchange;

// Forwards everything to the in-process exchange; answers to status
// requests come back as rejects with `reason` (unless it is empty).
class RejectingReads final : public Target, private ExchangeListener {
 public:
  RejectingReads(std::unique_ptr<Target> inner, std::string reason)
      : inner_(std::move(inner)), reason_(std::move(reason)) {
    inner_->set_listener(this);
  }
  void set_listener(ExchangeListener* listener) override { listener_ = listener; }
  int64_t now_us() const override { return inner_->now_us(); }
  void at(int64_t time_us, std::function<void()> action) override {
    inner_->at(time_us, std::move(action));
  }
  void run_until(int64_t time_us) override { inner_->run_until(time_us); }
  void submit(ClientRequest request) override { inner_->submit(std::move(request)); }
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

  int reads_rewritten = 0;

 private:
  void on_response(const ClientResponse& r) override {
    if (listener_ == nullptr) return;
    if (r.kind != RequestKind::status || reason_.empty()) return listener_->on_response(r);
    ++reads_rewritten;
    ClientResponse rejected = r;
    rejected.verdict = Verdict::reject;
    rejected.reason = reason_;
    rejected.order = OrderView{};
    listener_->on_response(rejected);
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
  std::string reason_;
  ExchangeListener* listener_ = nullptr;
};

Scenario quiet_scenario() {
  const ScenarioLoad loaded = parse_scenario(R"(
name = "final-reads"
[workload]
clients = 1
symbols = ["BTC-USDT"]
)",
                                             "final-reads.toml");
  EXPECT_TRUE(loaded) << loaded.error;
  return loaded.scenario;
}

// Two resting buys, far below the mid price: both are open at the end.
Case two_resting_orders() {
  Case c{.seed = 11};
  c.clients = {{Op{.price_steps = -5, .lots = 1, .at_ms = 0},
                Op{.price_steps = -4, .lots = 2, .at_ms = 50}}};
  return c;
}

struct Reads {
  int events = 0;
  int unknown_to_exchange = 0;  // read as OrdStatus::none
  int rewritten = 0;
  std::vector<Violation> violations;
};

Reads final_reads_with(const std::string& reject_reason) {
  const Scenario s = quiet_scenario();
  const Case c = two_resting_orders();
  RejectingReads target(make_sim_target(s, c, {}), reject_reason);
  const History h = run_case(target, s, c);
  Reads reads{.rewritten = target.reads_rewritten};
  for (size_t i = 0; i < h.size(); ++i) {
    if (h[i].type != EventType::read) continue;
    ++reads.events;
    reads.unknown_to_exchange += h[i].status == OrdStatus::none;
  }
  const std::vector<std::string> property = {"no-lost-order"};
  reads.violations = check_history(h, property, s.limits);
  return reads;
}

TEST(FinalReads, AnAnswerAboutTheOrderResolvesIt) {
  const Reads reads = final_reads_with("");
  EXPECT_EQ(reads.events, 2);
  EXPECT_EQ(reads.unknown_to_exchange, 0);
  EXPECT_TRUE(reads.violations.empty());
}

TEST(FinalReads, UnknownOrderResolvesTheOrderAsUnknownToTheExchange) {
  const Reads reads = final_reads_with(std::string(kUnknownOrder));
  EXPECT_EQ(reads.rewritten, 2);
  EXPECT_EQ(reads.events, 2);
  EXPECT_EQ(reads.unknown_to_exchange, 2);
  // Two acknowledged orders the exchange says it does not know: lost.
  ASSERT_FALSE(reads.violations.empty());
  EXPECT_EQ(reads.violations.front().property, "no-lost-order");
}

TEST(FinalReads, ARejectForAnotherReasonResolvesNothing) {
  const Reads reads = final_reads_with("metadata unavailable");
  EXPECT_EQ(reads.rewritten, 2);
  EXPECT_EQ(reads.events, 0);
  EXPECT_TRUE(reads.violations.empty());
}

}  // namespace
}  // namespace ordeal
