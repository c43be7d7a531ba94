// Every fault point of the exchange: armed, it has its effect; disarmed, none.
#include "targets/exchange/fault_points.h"

#include <gtest/gtest.h>

#include "targets/exchange/test_support.h"

namespace ordeal::exchange {
namespace {

using faults::ArmSpec;
using faults::ScopedArm;
using testing::about;
using testing::place;
using testing::Recorder;

class FaultPointsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    faults::disarm_all();
    exchange.set_listener(&recorder);
    exchange.run_for(testing::kSettleUs);
  }
  void TearDown() override { faults::disarm_all(); }

  Instrument btc() { return *exchange.replica(0).state().find("BTC-USDT"); }
  void update_btc_tick(Price tick) {
    Instrument record = btc();
    record.tick_size = tick;
    exchange.update_metadata(record, ++metadata_requests);
  }
  bool answered(ClientId client, uint64_t id) { return recorder.response(client, id).has_value(); }
  uint64_t all_resyncs() {
    uint64_t total = exchange.gateway().metadata().resyncs();
    for (int i = 0; i < exchange.shard_count(); ++i)
      total += exchange.shard(i).metadata().resyncs();
    for (int i = 1; i < exchange.replica_count(); ++i)
      total += exchange.replica(i).follower_resyncs();
    return total;
  }

  SimExchange exchange{testing::quiet_config(5)};
  Recorder recorder;
  uint64_t metadata_requests = 0;
};

TEST(ExchangeFaultPoints, CatalogueHasEveryPointWithADescription) {
  EXPECT_GE(points::all().size(), 11u);
  for (const faults::FaultPoint* point : points::all()) {
    EXPECT_EQ(faults::find_point(point->name()), point);
    EXPECT_FALSE(point->description().empty()) << point->name();
  }
}

TEST_F(FaultPointsTest, DisarmedPointsChangeNothing) {
  update_btc_tick(20);
  exchange.submit(place(1, 1, "o", Side::buy, 50'000, 1));
  exchange.run_for(20'000);
  EXPECT_TRUE(answered(1, 1));
  EXPECT_EQ(exchange.gateway().metadata().version(), exchange.replica(0).state().version);
  EXPECT_EQ(all_resyncs(), 0u);
  for (const faults::FaultPoint* point : points::all()) EXPECT_EQ(point->fired_count(), 0u);
}

TEST_F(FaultPointsTest, MetaUpdateDelayHoldsUpdatesBack) {
  ScopedArm armed("meta.update.delay", {.param = 300});
  update_btc_tick(20);
  exchange.run_for(200'000);
  EXPECT_EQ(exchange.gateway().metadata().state().find("BTC-USDT")->tick_size, 10);
  exchange.run_for(1'000'000);
  EXPECT_EQ(exchange.gateway().metadata().state().find("BTC-USDT")->tick_size, 20);
}

TEST_F(FaultPointsTest, MetaUpdateDropForcesAResync) {
  ScopedArm armed("meta.update.drop", {});
  update_btc_tick(20);
  exchange.run_for(1'000'000);
  EXPECT_GT(all_resyncs(), 0u);
  EXPECT_EQ(exchange.gateway().metadata().state(), exchange.replica(0).state());
}

TEST_F(FaultPointsTest, MetaUpdateCorruptIsDetectedNeverApplied) {
  ScopedArm armed("meta.update.corrupt", {.param = 1});
  update_btc_tick(20);
  exchange.run_for(1'000'000);
  EXPECT_GT(points::meta_update_corrupt.fired_count(), 0u);
  EXPECT_GT(all_resyncs(), 0u);
  EXPECT_EQ(exchange.gateway().metadata().state().find("BTC-USDT")->tick_size, 20);
}

TEST_F(FaultPointsTest, MetaUpdateReorderLetsALaterUpdateOvertake) {
  ScopedArm armed("meta.update.reorder", {.max_fires = 1, .param = 100});
  update_btc_tick(20);
  exchange.run_for(1'000);
  update_btc_tick(50);
  exchange.run_for(1'000'000);
  EXPECT_EQ(points::meta_update_reorder.fired_count(), 1u);
  EXPECT_GT(all_resyncs(), 0u) << "the overtaken update left a gap";
  EXPECT_EQ(exchange.gateway().metadata().state().find("BTC-USDT")->tick_size, 50);
}

// A probe that asks a replica for a snapshot and keeps what it gets.
class SnapshotProbe final : public Node {
 public:
  using Node::Node;
  void ask(NodeId replica) { env_.send(replica, MetaSubscribe{}); }
  void on_message(NodeId, const Message& message) override {
    if (const auto* s = std::get_if<MetaSnapshot>(&message)) versions.push_back(s->state.version);
  }
  void on_timer(uint64_t) override {}
  std::vector<MetaVersion> versions;
};

TEST_F(FaultPointsTest, MetaReplicaStaleReadServesAnOlderSnapshot) {
  update_btc_tick(20);
  exchange.run_for(testing::kSettleUs);
  const NodeId probe_id = exchange.network().reserve("probe");
  SnapshotProbe probe(exchange.network().env(probe_id), probe_id);
  exchange.network().attach(probe_id, probe);
  probe.ask(exchange.replica(0).id());
  exchange.run_for(10'000);
  {
    ScopedArm armed("meta.replica.stale-read", {});
    probe.ask(exchange.replica(0).id());
    exchange.run_for(10'000);
  }
  ASSERT_EQ(probe.versions.size(), 2u);
  EXPECT_EQ(probe.versions[0], exchange.replica(0).state().version);
  EXPECT_LT(probe.versions[1], probe.versions[0]);
}

TEST_F(FaultPointsTest, MetaReplicaRestartTakesAReplicaDown) {
  ScopedArm armed("meta.replica.restart", {.max_fires = 1, .param = 500});
  exchange.run_for(60'000);
  int down = 0;
  for (int i = 0; i < exchange.replica_count(); ++i)
    down += !exchange.network().up(exchange.replica(i).id());
  EXPECT_EQ(down, 1);
  exchange.run_for(2'000'000);
  for (int i = 0; i < exchange.replica_count(); ++i)
    EXPECT_TRUE(exchange.network().up(exchange.replica(i).id()));
}

TEST_F(FaultPointsTest, MetaSubscriberResyncFailIsRetriedUntilItWorks) {
  ScopedArm dropped("meta.update.drop", {});
  ScopedArm failing("meta.subscriber.resync-fail", {.max_fires = 3});
  update_btc_tick(20);
  exchange.run_for(2'000'000);
  EXPECT_EQ(points::meta_subscriber_resync_fail.fired_count(), 3u);
  EXPECT_TRUE(exchange.gateway().metadata().synced());
  EXPECT_EQ(exchange.gateway().metadata().state(), exchange.replica(0).state());
}

TEST_F(FaultPointsTest, GatewayRouteStaleSendsToThePreviousShard) {
  Instrument moved = btc();
  moved.shard = 1;
  exchange.update_metadata(moved, 1);
  exchange.run_for(testing::kSettleUs);
  {
    ScopedArm armed("gateway.route.stale", {});
    exchange.submit(place(1, 1, "stale", Side::buy, 50'000, 1));
    exchange.run_for(100'000);
  }
  exchange.submit(place(1, 2, "fresh", Side::buy, 50'000, 1));
  exchange.run_for(100'000);
  EXPECT_EQ(recorder.response(1, 1)->reason, "symbol not matched on this shard");
  EXPECT_EQ(recorder.response(1, 2)->verdict, Verdict::ack);
}

TEST_F(FaultPointsTest, GatewayAckDelayHoldsAnswersBack) {
  ScopedArm armed("gateway.ack.delay", {.param = 300});
  exchange.submit(place(1, 1, "o", Side::buy, 50'000, 1));
  exchange.run_for(200'000);
  EXPECT_FALSE(answered(1, 1));
  exchange.run_for(200'000);
  EXPECT_TRUE(answered(1, 1));
}

TEST_F(FaultPointsTest, EngineApplyDelayStallsTheShardInOrder) {
  ScopedArm armed("engine.apply.delay", {.max_fires = 1, .param = 200});
  exchange.submit(place(1, 1, "o", Side::buy, 50'000, 1));
  exchange.submit(about(RequestKind::cancel, 1, 2, "o"));
  exchange.run_for(100'000);
  EXPECT_FALSE(answered(1, 1));
  exchange.run_for(300'000);
  ASSERT_TRUE(answered(1, 2));
  EXPECT_EQ(recorder.response(1, 2)->verdict, Verdict::ack) << "the cancel still follows the place";
}

TEST_F(FaultPointsTest, EngineShardCrashLosesTheRequestAndTheAnswerIsUnknown) {
  ScopedArm armed("engine.shard.crash", {.max_fires = 1, .param = 100});
  exchange.submit(place(1, 1, "o", Side::buy, 50'000, 1));
  exchange.run_for(50'000);
  EXPECT_FALSE(exchange.network().up(exchange.shard(0).id()));
  exchange.run_for(1'000'000);
  ASSERT_TRUE(answered(1, 1));
  EXPECT_EQ(recorder.response(1, 1)->verdict, Verdict::unknown);
  EXPECT_TRUE(exchange.network().up(exchange.shard(0).id()));
}

}  // namespace
}  // namespace ordeal::exchange
