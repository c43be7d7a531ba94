// The gateway across restarts: with its journal (live) or its on_crash()
// (simulator) a restarted gateway still knows the orders placed before and
// never hands out an order id twice; without (defect gateway-forgets-orders,
// or no journal) the same situations go wrong. Clients see requests in
// flight at the crash end unknown, and requests sent while it is down
// rejected unsent.
#include <gtest/gtest.h>

#include <set>

#include "framework/base/test_dir.h"
#include "targets/exchange/test_support.h"

namespace ordeal::exchange {
namespace {

using testing::about;
using testing::amend;
using testing::place;
using testing::Recorder;

struct Files : TestDir {
  Files() : TestDir("gateway-durable") {}
  std::string log(const std::string& node, const std::string& file) const {
    return (path / node / file).string();
  }
};

const JournalLimits kLimits{.log = {.fsync = false}};

// Journals on every shard and, when asked, on the gateway.
void attach(SimExchange& exchange, const Files& files, bool gateway_journal) {
  for (int i = 0; i < exchange.shard_count(); ++i) {
    const std::string node = "engine-" + std::to_string(i);
    ASSERT_EQ(exchange.shard(i).attach_journal(files.log(node, "shard.log"), kLimits).error, "");
  }
  if (!gateway_journal) return;
  ASSERT_EQ(exchange.gateway().attach_journal(files.log("gateway", "gateway.log"), kLimits).error,
            "");
}

Verdict verdict_of(const Recorder& rec, ClientId client, uint64_t request_id) {
  const auto r = rec.response(client, request_id);
  return r ? r->verdict : Verdict::unknown;
}

// Trades on a first cluster with journals, then starts a second one from the
// same files, as exchange-node does after a SIGKILL: what does its gateway know?
class GatewayRestart : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    SimExchange a(testing::quiet_config(3));
    Recorder rec_a;
    a.set_listener(&rec_a);
    a.run_for(testing::kSettleUs);
    attach(a, files_, true);
    a.submit(place(1, 1, "o1", Side::buy, 20'000, 2));
    a.submit(place(1, 2, "o2", Side::sell, 30'000, 3));
    a.run_for(testing::kSettleUs);
    for (uint64_t id : {1, 2}) {
      ASSERT_EQ(verdict_of(rec_a, 1, id), Verdict::ack) << id;
      ids_before_.insert(rec_a.response(1, id)->order.order_id);
    }
  }
  Files files_;
  std::set<OrderId> ids_before_;
};

TEST_P(GatewayRestart, KnowsOrdersPlacedBeforeOnlyWithItsJournal) {
  const bool journal = GetParam();
  SimExchange b(testing::quiet_config(3));
  Recorder rec;
  b.set_listener(&rec);
  b.run_for(testing::kSettleUs);
  attach(b, files_, journal);
  b.submit(about(RequestKind::status, 1, 3, "o1"));
  b.submit(amend(1, 4, "o2", 31'000, 0));
  b.submit(about(RequestKind::cancel, 1, 5, "o1"));
  b.submit(place(1, 6, "o3", Side::buy, 21'000, 1));
  b.submit(place(1, 7, "o1", Side::buy, 21'000, 1));  // a reused client order id
  b.run_for(testing::kSettleUs);
  const auto status = rec.response(1, 3), o3 = rec.response(1, 6);
  ASSERT_TRUE(status && o3);
  if (journal) {
    EXPECT_EQ(status->verdict, Verdict::ack);
    EXPECT_EQ(status->order.status, OrdStatus::new_order);
    EXPECT_EQ(verdict_of(rec, 1, 4), Verdict::ack);
    EXPECT_EQ(verdict_of(rec, 1, 5), Verdict::ack);
    EXPECT_EQ(o3->verdict, Verdict::ack) << o3->reason;
    EXPECT_FALSE(ids_before_.contains(o3->order.order_id)) << "order id handed out twice";
    EXPECT_EQ(rec.response(1, 7)->reason, "duplicate client order id");
  } else {
    // Without a journal the gateway has forgotten o1 and o2, and numbers
    // from the start again: the shard refuses the id it already holds.
    EXPECT_EQ(status->reason, kUnknownOrder);
    EXPECT_EQ(rec.response(1, 5)->reason, kUnknownOrder);
    EXPECT_EQ(o3->verdict, Verdict::reject);
    EXPECT_EQ(o3->reason, "duplicate order id");
  }
}

INSTANTIATE_TEST_SUITE_P(Journal, GatewayRestart, ::testing::Bool(),
                         [](const auto& p) { return p.param ? "kept" : "none"; });

// Only with a journal: without one the gateway has forgotten the order.
class GatewayRestartWithJournal : public GatewayRestart {};

// A client that has sent nothing since the restart still hears of its
// order's fill: the journal says where the order came from.
TEST_P(GatewayRestartWithJournal, FillsReachAClientNotHeardFromSinceTheRestart) {
  SimExchange b(testing::quiet_config(3));
  Recorder rec;
  b.set_listener(&rec);
  b.run_for(testing::kSettleUs);
  attach(b, files_, true);
  b.submit(place(2, 1, "x1", Side::sell, 20'000, 2));  // crosses client 1's o1
  b.run_for(testing::kSettleUs);
  ASSERT_EQ(verdict_of(rec, 2, 1), Verdict::ack);
  EXPECT_EQ(rec.filled_qty(2, "x1"), 2);
  EXPECT_EQ(rec.filled_qty(1, "o1"), 2) << "client 1's fill was dropped";
}

INSTANTIATE_TEST_SUITE_P(Journal, GatewayRestartWithJournal, ::testing::Values(true),
                         [](const auto&) { return "kept"; });

// In the simulator a gateway restart keeps what the journal would hold.
void restart_in_sim(const DefectSet& defects, Recorder& rec) {
  SimExchange x(testing::quiet_config(4, defects));
  x.set_listener(&rec);
  x.run_for(testing::kSettleUs);
  x.submit(place(1, 1, "o1", Side::buy, 20'000, 2));
  x.run_for(testing::kSettleUs);
  x.submit(place(2, 2, "o2", Side::buy, 20'000, 2));
  x.run_for(20);  // o2 is on its way to the gateway
  x.crash(x.gateway().id(), 100'000);
  x.submit(about(RequestKind::status, 1, 3, "o1"));  // sent while the gateway is down
  x.run_for(testing::kSettleUs);
  x.submit(about(RequestKind::cancel, 1, 4, "o1"));
  x.submit(place(3, 5, "o3", Side::sell, 30'000, 1));
  x.run_for(testing::kSettleUs);
}

TEST(GatewayRestartInSim, KeepsOrdersAndEndsRequestsInFlight) {
  Recorder rec;
  restart_in_sim({}, rec);
  EXPECT_EQ(rec.response(2, 2)->verdict, Verdict::unknown);
  EXPECT_EQ(rec.response(2, 2)->reason, "disconnected before an answer");
  EXPECT_EQ(rec.response(1, 3)->verdict, Verdict::reject);
  EXPECT_EQ(verdict_of(rec, 1, 4), Verdict::ack) << rec.response(1, 4)->reason;
  EXPECT_EQ(verdict_of(rec, 3, 5), Verdict::ack) << rec.response(3, 5)->reason;
  EXPECT_NE(rec.response(3, 5)->order.order_id, rec.response(1, 1)->order.order_id);
  size_t answers_to_o2 = 0;
  for (const ClientResponse& r : rec.responses) answers_to_o2 += r.client == 2;
  EXPECT_EQ(answers_to_o2, 1u);  // one completion, even if the shard's answer comes later
}

// Client 1's order rests, the gateway restarts, and client 2's order
// crosses it.
void fill_after_restart(const DefectSet& defects, Recorder& rec) {
  SimExchange x(testing::quiet_config(4, defects));
  x.set_listener(&rec);
  x.run_for(testing::kSettleUs);
  x.submit(place(1, 1, "o1", Side::buy, 20'000, 2));
  x.run_for(testing::kSettleUs);
  ASSERT_EQ(verdict_of(rec, 1, 1), Verdict::ack);
  x.crash(x.gateway().id(), 100'000);
  x.run_for(testing::kSettleUs);
  x.submit(place(2, 2, "x1", Side::sell, 20'000, 2));
  x.run_for(testing::kSettleUs);
  ASSERT_EQ(verdict_of(rec, 2, 2), Verdict::ack) << rec.response(2, 2)->reason;
  EXPECT_EQ(rec.filled_qty(2, "x1"), 2);
}

// A fill after a restart reaches a client before its next request, as it
// reaches a FIX client when it logs on again.
TEST(GatewayRestartInSim, FillsReachAClientNotHeardFromSinceTheRestart) {
  Recorder rec;
  fill_after_restart({}, rec);
  EXPECT_EQ(rec.filled_qty(1, "o1"), 2) << "client 1's fill was dropped";
}

// The defect restart-drops-fills: the same fill is dropped, since client 1
// has sent nothing since the restart.
TEST(GatewayRestartInSim, DefectDropsFillsOfClientsNotHeardFrom) {
  Recorder rec;
  fill_after_restart(*DefectSet::parse("restart-drops-fills"), rec);
  EXPECT_EQ(rec.filled_qty(1, "o1"), 0);
}

// Fills a shard made while the gateway was down (here: of the request it
// forwarded just before its crash) reach both clients once it is back,
// sent again by the shard when the new gateway first asks it something.
TEST(GatewayRestartInSim, FillsMadeWhileItWasDownReachTheirClientsAfter) {
  for (const bool replayed : {true, false}) {
    ExchangeConfig config = testing::quiet_config(4);
    config.network = {.latency_min_us = 100, .latency_max_us = 100};  // every hop 100 us
    SimExchange x(config);
    Recorder rec;
    x.set_listener(&rec);
    x.run_for(testing::kSettleUs);
    x.submit(place(1, 1, "o1", Side::buy, 20'000, 2));
    x.run_for(testing::kSettleUs);
    x.submit(place(2, 2, "x1", Side::sell, 20'000, 2));
    x.run_for(250);  // at the gateway at 100 us, at the shard at 200, fills back at 300
    x.crash(x.gateway().id(), 100'000);
    x.run_for(testing::kSettleUs);
    ASSERT_EQ(rec.filled_qty(1, "o1") + rec.filled_qty(2, "x1"), 0);
    if (replayed) x.submit(place(3, 3, "y1", Side::buy, 10'000, 1));  // asks the shard something
    x.run_for(testing::kSettleUs);
    EXPECT_EQ(rec.filled_qty(1, "o1"), replayed ? 2 : 0);
    EXPECT_EQ(rec.filled_qty(2, "x1"), replayed ? 2 : 0);
  }
}

TEST(GatewayRestartInSim, DefectForgetsOrders) {
  Recorder rec;
  restart_in_sim(*DefectSet::parse("gateway-forgets-orders"), rec);
  EXPECT_EQ(rec.response(1, 4)->reason, kUnknownOrder);
  EXPECT_EQ(rec.response(3, 5)->reason, "duplicate order id");
}

}  // namespace
}  // namespace ordeal::exchange
