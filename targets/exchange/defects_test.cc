// Every planted defect: a targeted situation that shows its wrong behaviour
// with the defect on, and the same situation handled correctly with `none`.
#include "targets/exchange/defects.h"

#include <gtest/gtest.h>

#include <set>

#include "targets/exchange/fault_points.h"
#include "targets/exchange/test_support.h"

namespace ordeal::exchange {
namespace {

using faults::ScopedArm;
using testing::about;
using testing::amend;
using testing::place;
using testing::Recorder;

DefectSet with(Defect defect) { return DefectSet{}.add(defect); }

// One exchange, settled, with a recorder; the situations below drive it.
struct Situation {
  explicit Situation(DefectSet defects, uint64_t seed = 3)
      : exchange(testing::quiet_config(seed, defects)) {
    faults::disarm_all();
    exchange.set_listener(&recorder);
    exchange.run_for(testing::kSettleUs);
  }
  ~Situation() { faults::disarm_all(); }

  std::optional<ClientResponse> send(ClientRequest request, int64_t run_us = 100'000) {
    const ClientId client = request.client;
    const uint64_t id = request.request_id;
    exchange.submit(std::move(request));
    exchange.run_for(run_us);
    return recorder.response(client, id);
  }
  Instrument record(const std::string& symbol) { return *exchange.replica(0).state().find(symbol); }
  void update(Instrument record) { exchange.update_metadata(record, ++metadata_requests); }
  void update_eth_tick(Price tick) {
    Instrument eth = record("ETH-USDT");
    eth.tick_size = tick;
    update(eth);
  }
  OrdStatus status_of(ClientId client, const std::string& clordid, uint64_t request_id) {
    auto r = send(about(RequestKind::status, client, request_id, clordid));
    return r && r->verdict == Verdict::ack ? r->order.status : OrdStatus::none;
  }

  SimExchange exchange;
  Recorder recorder;
  uint64_t metadata_requests = 0;
};

TEST(Defects, CatalogueHasAtLeastTenNamedDefectsAndParses) {
  EXPECT_GE(all_defects().size(), 10u);
  std::set<std::string_view> names;
  for (const DefectInfo& d : all_defects()) {
    EXPECT_TRUE(names.insert(d.name).second) << d.name;
    EXPECT_FALSE(d.description.empty());
    EXPECT_TRUE(DefectSet::parse(d.name)->has(d.defect));
  }
  EXPECT_TRUE(DefectSet::parse("none")->empty());
  EXPECT_TRUE(DefectSet::parse("okx-2023-08-14,amend-lost")->has(Defect::amend_lost));
  EXPECT_FALSE(DefectSet::parse("no-such-defect").has_value());
  // An error can name the one name of a list that is wrong.
  EXPECT_EQ(DefectSet::first_unknown("okx,amend-lost"), "okx");
  EXPECT_EQ(DefectSet::first_unknown("amend-lost,none,,amend-lots"), "amend-lots");
  EXPECT_EQ(DefectSet::first_unknown("okx-2023-08-14,amend-lost"), "");
  EXPECT_EQ(DefectSet::first_unknown(""), "");
}

// The shard behind the order lags the gateway's metadata: its replica is down.
// A cancel then arrives under a version the shard has not seen.
OrdStatus cancel_during_metadata_lag(DefectSet defects, Verdict* cancel_verdict) {
  Situation s(defects);
  s.send(place(1, 1, "o", Side::buy, 50'000, 1));
  s.exchange.network().crash(s.exchange.replica(2).id(), 5'000'000);  // shard 0's home
  s.update_eth_tick(10);
  s.exchange.run_for(20'000);
  auto cancel = s.send(about(RequestKind::cancel, 1, 2, "o"), 30'000);
  *cancel_verdict = cancel ? cancel->verdict : Verdict::unknown;
  s.exchange.run_for(2'000'000);
  return s.status_of(1, "o", 3);
}

TEST(Defects, Okx20230814AcknowledgedCancelIsLostDuringMetadataUpdate) {
  Verdict verdict{};
  EXPECT_EQ(cancel_during_metadata_lag(with(Defect::okx_2023_08_14), &verdict),
            OrdStatus::new_order);
  EXPECT_EQ(verdict, Verdict::ack) << "acknowledged, yet the order is still open";
  EXPECT_EQ(cancel_during_metadata_lag({}, &verdict), OrdStatus::cancelled);
  EXPECT_EQ(verdict, Verdict::ack);
}

OrdStatus status_after_shard_restart(DefectSet defects) {
  Situation s(defects);
  s.send(place(1, 1, "o", Side::buy, 50'000, 1));
  s.exchange.network().crash(s.exchange.shard(0).id(), 100'000);
  s.exchange.run_for(1'000'000);
  return s.status_of(1, "o", 2);
}

TEST(Defects, RestartLosesOrders) {
  EXPECT_EQ(status_after_shard_restart(with(Defect::restart_loses_orders)), OrdStatus::none);
  EXPECT_EQ(status_after_shard_restart({}), OrdStatus::new_order);
}

// The books go with the orders, and the next order rests in a new book
// that the shard knows (not in one it remembered from before the restart).
TEST(Defects, RestartLosesOrdersAndTheNextOneRestsInANewBook) {
  Situation s(with(Defect::restart_loses_orders));
  s.send(place(1, 1, "o", Side::buy, 50'000, 1));
  s.exchange.network().crash(s.exchange.shard(0).id(), 100'000);
  s.exchange.run_for(1'000'000);
  ASSERT_EQ(s.exchange.shard(0).resting_orders(), 0u);
  s.send(place(1, 2, "again", Side::buy, 50'000, 1));
  EXPECT_EQ(s.status_of(1, "again", 3), OrdStatus::new_order);
  EXPECT_EQ(s.exchange.shard(0).resting_orders(), 1u);
}

Price gateway_tick_after_corrupt_update(DefectSet defects) {
  Situation s(defects);
  ScopedArm corrupt("meta.update.corrupt", {.param = 1});
  Instrument btc = s.record("BTC-USDT");
  btc.max_qty = 500;  // an innocent change; the corruption damages the tick size
  s.update(btc);
  s.exchange.run_for(1'000'000);
  return s.exchange.gateway().metadata().state().find("BTC-USDT")->tick_size;
}

TEST(Defects, UnverifiedMetadataAppliesACorruptedUpdate) {
  EXPECT_NE(gateway_tick_after_corrupt_update(with(Defect::unverified_metadata)), 10);
  EXPECT_EQ(gateway_tick_after_corrupt_update({}), 10);
}

struct CancelOutcome {
  Verdict cancel = Verdict::unknown;
  Qty filled_after = 0;
};

CancelOutcome cancel_racing_a_fill(DefectSet defects) {
  Situation s(defects);
  s.send(place(1, 1, "o", Side::buy, 50'000, 1));
  ScopedArm stall("engine.apply.delay", {.max_fires = 1, .param = 50});
  s.exchange.submit(place(2, 1, "s", Side::sell, 50'000, 1));
  s.exchange.run_for(2'000);
  s.exchange.submit(about(RequestKind::cancel, 1, 2, "o"));
  s.exchange.run_for(500'000);
  auto cancel = s.recorder.response(1, 2);
  return {cancel ? cancel->verdict : Verdict::unknown, s.recorder.filled_qty(1, "o")};
}

TEST(Defects, CancelAckBeforeApplyLetsTheOrderFillAfterTheAck) {
  const CancelOutcome bad = cancel_racing_a_fill(with(Defect::cancel_ack_before_apply));
  EXPECT_EQ(bad.cancel, Verdict::ack);
  EXPECT_EQ(bad.filled_after, 1);
  const CancelOutcome good = cancel_racing_a_fill({});
  EXPECT_EQ(good.cancel, Verdict::reject) << "the fill came first: the cancel must fail";
  EXPECT_EQ(good.filled_after, 1);
}

Qty filled_after_amend_down(DefectSet defects) {
  Situation s(defects);
  s.send(place(1, 1, "o", Side::buy, 50'000, 10));
  s.send(place(2, 1, "s1", Side::sell, 50'000, 6));
  s.send(amend(1, 2, "o", 0, 8));
  s.send(place(2, 2, "s2", Side::sell, 50'000, 20));
  return s.recorder.filled_qty(1, "o");
}

TEST(Defects, AmendOverfillFillsBeyondTheAmendedQuantity) {
  EXPECT_GT(filled_after_amend_down(with(Defect::amend_overfill)), 8);
  EXPECT_EQ(filled_after_amend_down({}), 8);
}

// The gateway's replica is down, so the gateway validates an amend against
// an older version than the shard already has.
Price price_after_amend_under_changed_metadata(DefectSet defects, Verdict* amend_verdict) {
  Situation s(defects);
  s.send(place(1, 1, "o", Side::buy, 50'000, 1));
  s.exchange.network().crash(s.exchange.replica(1).id(), 5'000'000);  // the gateway's home
  s.update_eth_tick(10);
  s.exchange.run_for(50'000);
  auto r = s.send(amend(1, 2, "o", 49'000, 0));
  *amend_verdict = r ? r->verdict : Verdict::unknown;
  auto status = s.send(about(RequestKind::status, 1, 3, "o"));
  return status ? status->order.price : 0;
}

TEST(Defects, AmendLostIsAcknowledgedButNotApplied) {
  Verdict verdict{};
  EXPECT_EQ(price_after_amend_under_changed_metadata(with(Defect::amend_lost), &verdict), 50'000);
  EXPECT_EQ(verdict, Verdict::ack);
  EXPECT_EQ(price_after_amend_under_changed_metadata({}, &verdict), 49'000);
  EXPECT_EQ(verdict, Verdict::ack);
}

Verdict reuse_of_finished_clordid(DefectSet defects) {
  Situation s(defects);
  s.send(place(1, 1, "x", Side::buy, 50'000, 1));
  s.send(place(2, 1, "s", Side::sell, 50'000, 1));
  auto again = s.send(place(1, 2, "x", Side::buy, 50'000, 1));
  return again ? again->verdict : Verdict::unknown;
}

TEST(Defects, DuplicateClordidCreatesASecondOrder) {
  EXPECT_EQ(reuse_of_finished_clordid(with(Defect::duplicate_clordid)), Verdict::ack);
  EXPECT_EQ(reuse_of_finished_clordid({}), Verdict::reject);
}

bool unknown_symbol_answered(DefectSet defects) {
  Situation s(defects);
  return s.send(place(1, 1, "x", Side::buy, 50'000, 1, "NOPE-USDT"), 2'000'000).has_value();
}

TEST(Defects, DropOnCacheMissLeavesTheRequestUnanswered) {
  EXPECT_FALSE(unknown_symbol_answered(with(Defect::drop_on_cache_miss)));
  EXPECT_TRUE(unknown_symbol_answered({}));
}

// BTC's tick size goes from 10 to 20 while every update is corrupted in
// flight; then an order priced on the old tick (50'010) arrives.
Verdict order_on_old_tick_after_corrupt_update(DefectSet defects) {
  Situation s(defects);
  {
    ScopedArm corrupt("meta.update.corrupt", {.param = 2});
    Instrument btc = s.record("BTC-USDT");
    btc.tick_size = 20;
    s.update(btc);
    s.exchange.run_for(1'000'000);
  }
  auto r = s.send(place(1, 1, "o", Side::buy, 50'010, 1));
  return r ? r->verdict : Verdict::unknown;
}

TEST(Defects, StaleTickAfterCorruptAcceptsOrdersOnTheOldTick) {
  EXPECT_EQ(order_on_old_tick_after_corrupt_update(with(Defect::stale_tick_after_corrupt)),
            Verdict::ack);
  EXPECT_EQ(order_on_old_tick_after_corrupt_update({}), Verdict::reject);
}

std::pair<OrdStatus, OrdStatus> status_before_and_after_resync(DefectSet defects) {
  Situation s(defects);
  s.send(place(1, 1, "o", Side::buy, 50'000, 3));
  s.send(place(2, 1, "s", Side::sell, 50'000, 1));
  const OrdStatus before = s.status_of(1, "o", 2);
  s.exchange.network().crash(s.exchange.replica(1).id(), 5'000'000);  // forces a failover resync
  s.exchange.run_for(1'000'000);
  return {before, s.status_of(1, "o", 3)};
}

TEST(Defects, StateRegressAfterResyncReportsAnOlderState) {
  auto [before, after] = status_before_and_after_resync(with(Defect::state_regress_after_resync));
  EXPECT_EQ(before, OrdStatus::partially_filled);
  EXPECT_EQ(after, OrdStatus::new_order);
  auto [good_before, good_after] = status_before_and_after_resync({});
  EXPECT_EQ(good_before, OrdStatus::partially_filled);
  EXPECT_EQ(good_after, OrdStatus::partially_filled);
}

Verdict mass_cancel_with_a_crashing_shard(DefectSet defects) {
  Situation s(defects);
  s.send(place(1, 1, "btc", Side::buy, 50'000, 1));
  s.send(place(1, 2, "eth", Side::buy, 5'000, 10, "ETH-USDT"));
  ScopedArm crash("engine.shard.crash", {.max_fires = 1, .param = 50});
  auto r = s.send(about(RequestKind::mass_cancel, 1, 3, ""), 1'000'000);
  return r ? r->verdict : Verdict::reject;
}

TEST(Defects, MassCancelPartialAcknowledgesAnUnconfirmedMassCancel) {
  EXPECT_EQ(mass_cancel_with_a_crashing_shard(with(Defect::mass_cancel_partial)), Verdict::ack);
  EXPECT_EQ(mass_cancel_with_a_crashing_shard({}), Verdict::unknown);
}

// Client 2 pulls every order of its own with a mass-cancel of every symbol;
// what becomes of client 1's resting order, and of one of client 2's own?
std::pair<OrdStatus, OrdStatus> after_a_kill_switch(DefectSet defects) {
  Situation s(defects);
  s.send(place(1, 1, "other", Side::buy, 50'000, 1));
  s.send(place(2, 1, "own", Side::buy, 50'000, 1));
  s.send(about(RequestKind::mass_cancel, 2, 2, ""));
  return {s.status_of(1, "other", 3), s.status_of(2, "own", 3)};
}

TEST(Defects, KillSwitchAllClientsCancelsOtherClientsOrders) {
  EXPECT_EQ(after_a_kill_switch(with(Defect::kill_switch_all_clients)),
            std::pair(OrdStatus::cancelled, OrdStatus::cancelled));
  EXPECT_EQ(after_a_kill_switch({}), std::pair(OrdStatus::new_order, OrdStatus::cancelled));
}

// A corrupted update sends every node to resync, and every resync fails
// while the faults last; once they are long gone, is a new order accepted?
Verdict place_after_a_failed_resync(DefectSet defects) {
  Situation s(defects);
  {
    ScopedArm corrupt("meta.update.corrupt", {.param = 1});
    ScopedArm fail("meta.subscriber.resync-fail", {});
    Instrument btc = s.record("BTC-USDT");
    btc.max_qty = 500;
    s.update(btc);
    s.exchange.run_for(500'000);
  }
  s.exchange.run_for(2'000'000);
  auto r = s.send(place(1, 1, "after", Side::buy, 50'000, 1));
  return r ? r->verdict : Verdict::unknown;
}

TEST(Defects, ResyncGivesUpLeavesOrderEntryDownAfterTheFaults) {
  EXPECT_EQ(place_after_a_failed_resync(with(Defect::resync_gives_up)), Verdict::reject);
  EXPECT_EQ(place_after_a_failed_resync({}), Verdict::ack);
}

// One update is overtaken by the next; afterwards, does every node's copy of
// BTC-USDT match the leader's?
bool every_copy_converges(DefectSet defects) {
  Situation s(defects);
  ScopedArm reorder("meta.update.reorder", {.max_fires = 1, .param = 30});
  Instrument btc = s.record("BTC-USDT");
  btc.tick_size = 20;
  s.update(btc);
  s.exchange.run_for(1'000);
  btc.tick_size = 50;
  s.update(btc);
  s.exchange.run_for(2'000'000);
  const Instrument leader = s.record("BTC-USDT");
  std::vector<const MetadataState*> copies = {
      &s.exchange.gateway().metadata().state(), &s.exchange.shard(0).metadata().state(),
      &s.exchange.shard(1).metadata().state(), &s.exchange.replica(1).state(),
      &s.exchange.replica(2).state()};
  for (const MetadataState* copy : copies) {
    if (!(*copy->find("BTC-USDT") == leader)) return false;
  }
  return true;
}

TEST(Defects, ReorderAppliesOlderLeavesAnOlderRecordInForce) {
  EXPECT_FALSE(every_copy_converges(with(Defect::reorder_applies_older)));
  EXPECT_TRUE(every_copy_converges({}));
}

}  // namespace
}  // namespace ordeal::exchange
