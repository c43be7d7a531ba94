// The gateway and engine shards end to end on the simulated network, with no
// faults: validation, routing, matching, amends, cancels, status, mass-cancel.
#include "targets/exchange/gateway.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "targets/exchange/test_support.h"

namespace ordeal::exchange {
namespace {

using testing::about;
using testing::amend;
using testing::place;
using testing::Recorder;

class GatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    exchange.set_listener(&recorder);
    exchange.run_for(testing::kSettleUs);
  }
  ClientResponse send(ClientRequest request) {
    const ClientId client = request.client;
    const uint64_t id = request.request_id;
    exchange.submit(std::move(request));
    exchange.run_for(100'000);
    auto response = recorder.response(client, id);
    EXPECT_TRUE(response.has_value()) << "request " << id << " was not answered";
    return response.value_or(ClientResponse{});
  }

  SimExchange exchange{testing::quiet_config()};
  Recorder recorder;
};

TEST_F(GatewayTest, MetadataSyncsToEveryNode) {
  EXPECT_TRUE(exchange.gateway().metadata().synced());
  for (int i = 0; i < exchange.shard_count(); ++i) {
    EXPECT_TRUE(exchange.shard(i).metadata().synced());
    EXPECT_EQ(exchange.shard(i).metadata().version(), exchange.replica(0).state().version);
  }
}

TEST_F(GatewayTest, RejectsInvalidRequestsWithReasons) {
  EXPECT_EQ(send(place(1, 1, "a", Side::buy, 50'005, 1)).reason,
            "price not a multiple of the tick size");
  EXPECT_EQ(send(place(1, 2, "b", Side::buy, 50'000, 0)).reason, "quantity must be positive");
  EXPECT_EQ(send(place(1, 3, "c", Side::buy, 50'000, 1, "DOGE-USDT")).reason, "unknown symbol");
  EXPECT_EQ(send(about(RequestKind::cancel, 1, 4, "never-placed")).reason, "unknown order");
  EXPECT_EQ(send(place(1, 5, "d", Side::buy, 500'000, 1)).reason, "price outside the price band");
  for (const auto& r : recorder.responses) EXPECT_EQ(r.verdict, Verdict::reject);
}

TEST_F(GatewayTest, CrossingOrdersTradeAndBothSidesAreReported) {
  EXPECT_EQ(send(place(1, 1, "s1", Side::sell, 50'000, 5)).verdict, Verdict::ack);
  const ClientResponse buy = send(place(2, 1, "b1", Side::buy, 50'010, 3));
  EXPECT_EQ(buy.verdict, Verdict::ack);
  EXPECT_EQ(buy.order.status, OrdStatus::filled);
  ASSERT_EQ(recorder.fills.size(), 2u);
  EXPECT_EQ(recorder.fills[0].trade_id, recorder.fills[1].trade_id);
  EXPECT_EQ(recorder.filled_qty(1, "s1"), 3);
  EXPECT_EQ(recorder.filled_qty(2, "b1"), 3);
  for (const Fill& f : recorder.fills) EXPECT_EQ(f.price, 50'000) << "trades at the maker's price";
}

TEST_F(GatewayTest, DuplicateClientOrderIdIsRejected) {
  EXPECT_EQ(send(place(1, 1, "x", Side::buy, 50'000, 1)).verdict, Verdict::ack);
  const ClientResponse dup = send(place(1, 2, "x", Side::buy, 50'000, 1));
  EXPECT_EQ(dup.verdict, Verdict::reject);
  EXPECT_EQ(dup.reason, "duplicate client order id");
  EXPECT_EQ(send(place(2, 1, "x", Side::buy, 50'000, 1)).verdict, Verdict::ack)
      << "ids are per client";
}

TEST_F(GatewayTest, CancelRemovesOrderAndSecondCancelIsRejected) {
  send(place(1, 1, "o", Side::buy, 50'000, 2));
  const ClientResponse cancel = send(about(RequestKind::cancel, 1, 2, "o"));
  EXPECT_EQ(cancel.verdict, Verdict::ack);
  EXPECT_EQ(cancel.order.status, OrdStatus::cancelled);
  EXPECT_EQ(send(about(RequestKind::cancel, 1, 3, "o")).reason, "order is final");
  send(place(2, 1, "s", Side::sell, 50'000, 2));
  EXPECT_EQ(recorder.fills.size(), 0u) << "a cancelled order never trades";
}

TEST_F(GatewayTest, AmendPriceLosesPriorityQtyDownKeepsIt) {
  send(place(1, 1, "first", Side::buy, 50'000, 4));
  send(place(1, 2, "second", Side::buy, 50'000, 4));
  EXPECT_EQ(send(amend(1, 3, "first", 0, 2)).verdict, Verdict::ack);
  send(place(2, 1, "s1", Side::sell, 50'000, 1));
  EXPECT_EQ(recorder.filled_qty(1, "first"), 1) << "quantity down keeps priority";
  EXPECT_EQ(send(amend(1, 4, "first", 49'990, 0)).verdict, Verdict::ack);
  EXPECT_EQ(send(amend(1, 5, "first", 50'000, 0)).verdict, Verdict::ack);
  send(place(2, 2, "s2", Side::sell, 50'000, 1));
  EXPECT_EQ(recorder.filled_qty(1, "second"), 1) << "a price change loses priority";
}

TEST_F(GatewayTest, AmendBelowFilledIsRejected) {
  send(place(1, 1, "o", Side::buy, 50'000, 10));
  send(place(2, 1, "s", Side::sell, 50'000, 6));
  const ClientResponse r = send(amend(1, 2, "o", 0, 5));
  EXPECT_EQ(r.verdict, Verdict::reject);
  EXPECT_EQ(r.reason, "new quantity not above the filled quantity");
}

TEST_F(GatewayTest, IocAndMarketRemaindersExpire) {
  send(place(1, 1, "s", Side::sell, 50'000, 2));
  ClientRequest ioc = place(2, 1, "ioc", Side::buy, 50'000, 5);
  ioc.tif = TimeInForce::ioc;
  const ClientResponse r = send(ioc);
  EXPECT_EQ(r.order.status, OrdStatus::cancelled);
  EXPECT_EQ(r.order.filled, 2);
  ClientRequest market = place(2, 2, "mkt", Side::buy, 0, 1);
  market.type = OrdType::market;
  EXPECT_EQ(send(market).order.status, OrdStatus::cancelled) << "nothing left to take";
}

TEST_F(GatewayTest, PostOnlyThatWouldCrossIsRejected) {
  send(place(1, 1, "s", Side::sell, 50'000, 2));
  ClientRequest maker = place(2, 1, "po", Side::buy, 50'000, 1);
  maker.post_only = true;
  EXPECT_EQ(send(maker).reason, "post-only order would cross");
}

// Many orders in flight at once: the gateway's order table grows (and
// rehashes) while their answers are pending, and each answer still updates
// the order it is about. An amend the gateway itself rejects reports the
// gateway's record of the order, so it shows whether the answer reached it.
TEST_F(GatewayTest, AnswersUpdateEveryOrderPlacedInABurst) {
  constexpr uint64_t kOrders = 64;
  for (uint64_t i = 1; i <= kOrders; ++i) {
    exchange.submit(place(1, i, "burst-" + std::to_string(i), Side::buy, 50'000, 1));
  }
  exchange.run_for(100'000);
  for (uint64_t i = 1; i <= kOrders; ++i) {
    const ClientResponse r = send(amend(1, kOrders + i, "burst-" + std::to_string(i), 50'005, 0));
    EXPECT_EQ(r.reason, "price not a multiple of the tick size") << "order " << i;
    EXPECT_EQ(r.order.status, OrdStatus::new_order) << "order " << i;
    EXPECT_EQ(r.order.clordid, "burst-" + std::to_string(i));
  }
}

TEST_F(GatewayTest, StatusReportsTheShardsView) {
  send(place(1, 1, "o", Side::buy, 50'000, 3));
  send(place(2, 1, "s", Side::sell, 50'000, 1));
  const ClientResponse status = send(about(RequestKind::status, 1, 2, "o"));
  EXPECT_EQ(status.verdict, Verdict::ack);
  EXPECT_EQ(status.order.status, OrdStatus::partially_filled);
  EXPECT_EQ(status.order.filled, 1);
}

TEST_F(GatewayTest, MassCancelCancelsOnEveryShardAndReportsEachOrder) {
  send(place(1, 1, "btc", Side::buy, 50'000, 1));
  send(place(1, 2, "eth", Side::buy, 5'000, 10, "ETH-USDT"));
  send(place(2, 1, "other", Side::buy, 50'000, 1));
  ClientRequest mass = about(RequestKind::mass_cancel, 1, 3, "");
  const ClientResponse r = send(mass);
  EXPECT_EQ(r.verdict, Verdict::ack);
  EXPECT_EQ(r.cancelled_count, 2u);
  EXPECT_EQ(recorder.updates.size(), 2u);
  EXPECT_EQ(send(about(RequestKind::status, 2, 2, "other")).order.status, OrdStatus::new_order);
}

// A shard cancels a client's open orders in the order they came, whatever
// became of the others in between; a second mass-cancel finds none, and a
// third only what was placed since.
TEST_F(GatewayTest, MassCancelCancelsTheOpenOrdersInTheOrderTheyCame) {
  for (uint64_t id = 1; id <= 5; ++id) {
    send(place(1, id, "o" + std::to_string(id), Side::buy, 50'000 - 10 * int64_t(id), 1));
  }
  send(about(RequestKind::cancel, 1, 6, "o2"));
  send(place(2, 1, "taker", Side::sell, 49'960, 1));  // fills o1, the best bid
  send(place(2, 2, "other", Side::buy, 40'000, 1));
  recorder.updates.clear();
  EXPECT_EQ(send(about(RequestKind::mass_cancel, 1, 7, "")).cancelled_count, 3u);
  std::vector<std::string> cancelled;
  for (const OrderUpdate& u : recorder.updates) cancelled.push_back(u.order.clordid);
  EXPECT_EQ(cancelled, (std::vector<std::string>{"o3", "o4", "o5"}));
  EXPECT_EQ(send(about(RequestKind::mass_cancel, 1, 8, "")).cancelled_count, 0u);
  send(place(1, 9, "o9", Side::buy, 40'000, 1));
  EXPECT_EQ(send(about(RequestKind::mass_cancel, 1, 10, "")).cancelled_count, 1u);
  EXPECT_EQ(send(about(RequestKind::status, 2, 3, "other")).order.status, OrdStatus::new_order);
}

// The client's orders on both shards, each as a status request would
// report it; no other client's, and nothing of an order the gateway
// rejected itself (unknown to it, as a status request of it would say).
TEST_F(GatewayTest, MassStatusReportsEveryOrderOfTheClientOnEveryShard) {
  send(place(1, 1, "btc", Side::buy, 50'000, 3));
  send(place(1, 2, "eth", Side::buy, 5'000, 10, "ETH-USDT"));
  send(place(1, 3, "gone", Side::buy, 49'000, 1));
  send(about(RequestKind::cancel, 1, 4, "gone"));
  send(place(1, 5, "bad", Side::buy, 50'005, 1));  // off tick: rejected by the gateway
  send(place(2, 1, "other", Side::sell, 50'000, 1));
  const ClientResponse r = send(about(RequestKind::mass_status, 1, 6, ""));
  EXPECT_EQ(r.verdict, Verdict::ack);
  EXPECT_EQ(r.kind, RequestKind::mass_status);
  std::map<std::string, OrderView> by_id;
  for (const OrderView& v : r.orders) by_id[v.clordid] = v;
  ASSERT_EQ(by_id.size(), 3u);
  ASSERT_EQ(r.orders.size(), 3u);
  EXPECT_EQ(by_id["btc"].status, OrdStatus::partially_filled);
  EXPECT_EQ(by_id["btc"].filled, 1);
  EXPECT_EQ(by_id["btc"].qty, 3);
  EXPECT_EQ(by_id["eth"].status, OrdStatus::new_order);
  EXPECT_EQ(by_id["eth"].symbol, "ETH-USDT");
  EXPECT_EQ(by_id["gone"].status, OrdStatus::cancelled);
  for (const OrderView& v : r.orders) EXPECT_EQ(v.client, 1u);
  for (const OrderView& v : r.orders) {
    const ClientResponse one = send(about(RequestKind::status, 1, 100 + v.order_id, v.clordid));
    EXPECT_EQ(one.order.status, v.status) << v.clordid;
    EXPECT_EQ(one.order.filled, v.filled) << v.clordid;
  }
}

TEST_F(GatewayTest, MassStatusOfAClientWithoutOrdersIsAnEmptyList) {
  const ClientResponse r = send(about(RequestKind::mass_status, 3, 1, ""));
  EXPECT_EQ(r.verdict, Verdict::ack);
  EXPECT_TRUE(r.orders.empty());
}

// A shard that does not answer: the whole mass-status is unknown at the
// gateway's timeout, as a status request would be, and the gateway takes
// the next one after the shard is back.
TEST_F(GatewayTest, MassStatusWithAShardDownIsUnknownThenAnsweredOnceItIsBack) {
  send(place(1, 1, "btc", Side::buy, 50'000, 1));
  send(place(1, 2, "eth", Side::buy, 5'000, 10, "ETH-USDT"));
  exchange.crash(exchange.shard(1).id(), 1'000'000);
  exchange.submit(about(RequestKind::mass_status, 1, 3, ""));
  exchange.run_for(600'000);
  const auto lost = recorder.response(1, 3);
  ASSERT_TRUE(lost.has_value());
  EXPECT_EQ(lost->verdict, Verdict::unknown);
  EXPECT_TRUE(lost->orders.empty());
  exchange.run_for(2'000'000);  // restarted, its orders kept (simulated durability)
  const ClientResponse back = send(about(RequestKind::mass_status, 1, 4, ""));
  EXPECT_EQ(back.verdict, Verdict::ack);
  EXPECT_EQ(back.orders.size(), 2u);
}

// Under duplicate-clordid a finished order's client order id is placed
// again while a status request and a mass-status about it are on their way
// to the shard: the shard answers about the id asked, the finished order,
// and the mass-status says what the status request says, under the name.
TEST(GatewayMassStatus, SaysWhatAStatusRequestSaysOfAnOrderPlacedAgainMeanwhile) {
  SimExchange exchange(testing::quiet_config(1, *DefectSet::parse("duplicate-clordid")));
  Recorder recorder;
  exchange.set_listener(&recorder);
  exchange.run_for(testing::kSettleUs);
  exchange.submit(place(1, 1, "a", Side::buy, 50'000, 2));
  exchange.run_for(100'000);
  exchange.submit(about(RequestKind::cancel, 1, 2, "a"));
  exchange.run_for(100'000);
  ASSERT_EQ(recorder.response(1, 2)->verdict, Verdict::ack);
  exchange.submit(about(RequestKind::status, 1, 3, "a"));
  exchange.submit(about(RequestKind::mass_status, 1, 4, ""));
  exchange.submit(place(1, 5, "a", Side::buy, 49'000, 3));  // reused: a second order
  exchange.run_for(100'000);
  ASSERT_EQ(recorder.response(1, 5)->verdict, Verdict::ack);
  const auto status = recorder.response(1, 3);
  const auto mass = recorder.response(1, 4);
  ASSERT_TRUE(status.has_value());
  ASSERT_TRUE(mass.has_value());
  ASSERT_EQ(status->verdict, Verdict::ack);
  EXPECT_EQ(status->order.status, OrdStatus::cancelled);
  ASSERT_EQ(mass->orders.size(), 1u);
  EXPECT_EQ(mass->orders[0].clordid, "a");
  EXPECT_EQ(mass->orders[0].status, status->order.status);
  EXPECT_EQ(mass->orders[0].qty, status->order.qty);
  EXPECT_EQ(mass->orders[0].price, status->order.price);
}

// A client with more orders on a shard than one part may ask about: the
// shard is asked in parts, each answered on its own, and the answer is
// whole once all are in. Parts of 2 here; 10,000 by default, so that a
// live shard's answer stays within one frame.
TEST(GatewayMassStatus, AShardIsAskedInPartsAndTheAnswerIsWhole) {
  SimExchange exchange{ExchangeConfig{.seed = 1, .mass_status_part_max = 2}};
  Recorder recorder;
  exchange.set_listener(&recorder);
  exchange.run_for(testing::kSettleUs);
  for (uint64_t i = 1; i <= 5; ++i) {
    exchange.submit(place(1, i, "btc" + std::to_string(i), Side::buy, 49'000, 1));
  }
  exchange.submit(place(1, 6, "eth", Side::buy, 5'000, 10, "ETH-USDT"));
  exchange.submit(about(RequestKind::cancel, 1, 7, "btc3"));
  exchange.run_for(100'000);
  exchange.submit(about(RequestKind::mass_status, 1, 8, ""));
  exchange.run_for(100'000);
  const auto r = recorder.response(1, 8);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->verdict, Verdict::ack);
  std::map<std::string, OrdStatus> statuses;
  for (const OrderView& v : r->orders) statuses[v.clordid] = v.status;
  EXPECT_EQ(statuses.size(), 6u);
  EXPECT_EQ(r->orders.size(), 6u);
  for (const auto& [clordid, status] : statuses) {
    EXPECT_EQ(status, clordid == "btc3" ? OrdStatus::cancelled : OrdStatus::new_order) << clordid;
  }
}

TEST_F(GatewayTest, HaltedInstrumentRejectsOrdersButAllowsCancels) {
  send(place(1, 1, "o", Side::buy, 50'000, 1));
  Instrument halted = *exchange.replica(0).state().find("BTC-USDT");
  halted.status = TradingStatus::halted;
  exchange.update_metadata(halted, 1);
  exchange.run_for(testing::kSettleUs);
  ASSERT_EQ(recorder.metadata_results.size(), 1u);
  EXPECT_TRUE(recorder.metadata_results[0].ok);
  EXPECT_EQ(send(place(1, 2, "p", Side::buy, 50'000, 1)).reason, "instrument halted");
  EXPECT_EQ(send(about(RequestKind::cancel, 1, 3, "o")).verdict, Verdict::ack);
}

// An amend's notional is the order's as amended: a quantity raised at the
// price the order keeps goes over the maximum as a place of those terms would.
TEST_F(GatewayTest, AnAmendRaisingTheNotionalAboveTheMaximumIsRejected) {
  exchange.rolling_upgrade(exchange.now_us() + 10'000, 40'000, 20'000);  // to schema 2
  exchange.run_for(1'000'000);
  Instrument capped = *exchange.replica(0).state().find("BTC-USDT");
  ASSERT_EQ(capped.schema, kSchemaV2);
  capped.max_notional = 150'000;
  exchange.update_metadata(capped, 1);
  exchange.run_for(testing::kSettleUs);
  ASSERT_EQ(recorder.metadata_results.size(), 1u);
  ASSERT_TRUE(recorder.metadata_results[0].ok);
  EXPECT_EQ(send(place(1, 1, "o", Side::buy, 50'000, 2)).verdict, Verdict::ack);
  const ClientResponse over = send(amend(1, 2, "o", 0, 4));
  EXPECT_EQ(over.verdict, Verdict::reject);
  EXPECT_EQ(over.reason, "notional above the maximum");
  EXPECT_EQ(send(amend(1, 3, "o", 0, 3)).verdict, Verdict::ack);
}

TEST_F(GatewayTest, MovingASymbolRoutesNewOrdersToTheNewShardAndOldOrdersStayReachable) {
  send(place(1, 1, "old", Side::buy, 50'000, 1));
  Instrument moved = *exchange.replica(0).state().find("BTC-USDT");
  moved.shard = 1;
  exchange.update_metadata(moved, 1);
  exchange.run_for(testing::kSettleUs);
  send(place(1, 2, "new", Side::buy, 50'000, 1));
  EXPECT_EQ(exchange.shard(1).book("BTC-USDT")->size(), 1u);
  EXPECT_EQ(send(about(RequestKind::cancel, 1, 3, "old")).verdict, Verdict::ack);
}

}  // namespace
}  // namespace ordeal::exchange
