// Metadata replication, failover, resync and the rolling upgrade, on the
// simulated network with no faults armed.
#include <gtest/gtest.h>

#include "targets/exchange/metadata_replica.h"
#include "targets/exchange/test_support.h"

namespace ordeal::exchange {
namespace {

using testing::place;
using testing::Recorder;

class MetadataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    exchange.set_listener(&recorder);
    exchange.run_for(testing::kSettleUs);
  }
  Instrument btc() const { return *exchange_const().replica(0).state().find("BTC-USDT"); }
  SimExchange& exchange_const() const { return const_cast<SimExchange&>(exchange); }
  // Every node's view of the metadata equals the leader's.
  void expect_converged() {
    const MetadataState& leader = exchange.replica(0).state();
    EXPECT_EQ(exchange.gateway().metadata().state(), leader);
    for (int i = 0; i < exchange.shard_count(); ++i) {
      EXPECT_EQ(exchange.shard(i).metadata().state(), leader) << "shard " << i;
    }
    for (int i = 1; i < exchange.replica_count(); ++i) {
      EXPECT_EQ(exchange.replica(i).state(), leader) << "replica " << i;
    }
  }

  SimExchange exchange{testing::quiet_config(21)};
  Recorder recorder;
};

TEST_F(MetadataTest, UpdateGetsNextVersionAndReachesEveryNode) {
  Instrument updated = btc();
  updated.tick_size = 20;
  const MetaVersion before = exchange.replica(0).state().version;
  exchange.update_metadata(updated, 7);
  exchange.run_for(testing::kSettleUs);
  ASSERT_EQ(recorder.metadata_results.size(), 1u);
  EXPECT_TRUE(recorder.metadata_results[0].ok);
  EXPECT_EQ(recorder.metadata_results[0].version, before + 1);
  EXPECT_EQ(exchange.gateway().metadata().state().find("BTC-USDT")->tick_size, 20);
  expect_converged();
}

TEST_F(MetadataTest, MalformedUpdateIsRejectedAndChangesNothing) {
  Instrument bad = btc();
  bad.tick_size = 0;
  const MetadataState before = exchange.replica(0).state();
  exchange.update_metadata(bad, 1);
  exchange.run_for(testing::kSettleUs);
  ASSERT_EQ(recorder.metadata_results.size(), 1u);
  EXPECT_FALSE(recorder.metadata_results[0].ok);
  EXPECT_EQ(exchange.replica(0).state(), before);
}

TEST_F(MetadataTest, RestartedFollowerResyncsWhatItMissed) {
  exchange.network().crash(exchange.replica(2).id(), 400'000);
  Instrument updated = btc();
  updated.lot_size = 2;
  exchange.update_metadata(updated, 1);
  exchange.run_for(100'000);
  EXPECT_NE(exchange.replica(2).state(), exchange.replica(0).state());
  exchange.run_for(1'000'000);
  expect_converged();
}

TEST_F(MetadataTest, SubscriberFailsOverWhenItsReplicaIsDown) {
  // The gateway reads from replica 1; take it down for longer than the test.
  exchange.network().crash(exchange.replica(1).id(), 10'000'000);
  Instrument updated = btc();
  updated.status = TradingStatus::cancel_only;
  exchange.update_metadata(updated, 1);
  exchange.run_for(1'000'000);
  EXPECT_NE(exchange.gateway().metadata().replica(), exchange.replica(1).id());
  EXPECT_EQ(exchange.gateway().metadata().state(), exchange.replica(0).state());
}

TEST_F(MetadataTest, RollingUpgradeMigratesToSchemaTwoAndOrdersStillWork) {
  exchange.rolling_upgrade(exchange.now_us() + 10'000, 600'000, 200'000);
  exchange.run_for(3'000'000);
  for (int i = 0; i < exchange.replica_count(); ++i) {
    EXPECT_EQ(exchange.replica(i).schema(), kSchemaV2) << "replica " << i;
  }
  for (const Instrument& record : exchange.replica(0).state().instruments) {
    EXPECT_EQ(record.schema, kSchemaV2) << record.symbol;
  }
  expect_converged();
  exchange.submit(place(1, 1, "after", Side::buy, 50'000, 1));
  exchange.run_for(100'000);
  ASSERT_TRUE(recorder.response(1, 1).has_value());
  EXPECT_EQ(recorder.response(1, 1)->verdict, Verdict::ack);
}

// The leader upgraded to schema 2 (its records migrated), then rolled back
// to schema 1, then a change committed.
void upgrade_then_roll_back(SimExchange& x, Recorder& rec) {
  x.set_listener(&rec);
  x.run_for(testing::kSettleUs);
  x.replica(0).upgrade_on_restart(kSchemaV2);
  x.crash(x.replica(0).id(), 100'000);
  x.run_for(testing::kSettleUs);
  x.replica(0).upgrade_on_restart(kSchemaV1);
  x.crash(x.replica(0).id(), 100'000);
  x.run_for(testing::kSettleUs);
  Instrument btc = *x.replica(0).state().find("BTC-USDT");
  btc.tick_size = 20;
  x.update_metadata(btc, 1);
  x.run_for(testing::kSettleUs);
}

TEST(MetadataRollback, MigratesRecordsBackToSchemaOne) {
  SimExchange x(testing::quiet_config(22));
  Recorder rec;
  upgrade_then_roll_back(x, rec);
  for (const Instrument& record : x.replica(0).state().instruments) {
    EXPECT_EQ(record.schema, kSchemaV1) << record.symbol;
  }
  EXPECT_EQ(x.gateway().metadata().state(), x.replica(0).state());
  ASSERT_EQ(rec.metadata_results.size(), 1u);
  EXPECT_EQ(rec.metadata_results[0].schema, kSchemaV1);
  EXPECT_EQ(rec.metadata_results[0].record.schema, kSchemaV1);
  EXPECT_EQ(rec.metadata_results[0].record.tick_size, 20);
}

TEST(MetadataRollback, DefectKeepsServingSchemaTwo) {
  SimExchange x(testing::quiet_config(22, *DefectSet::parse("rollback-keeps-migrated")));
  Recorder rec;
  upgrade_then_roll_back(x, rec);
  EXPECT_EQ(x.replica(0).schema(), kSchemaV1);
  EXPECT_EQ(x.gateway().metadata().state().find("ETH-USDT")->schema, kSchemaV2);
  ASSERT_EQ(rec.metadata_results.size(), 1u);
  EXPECT_EQ(rec.metadata_results[0].record.schema, kSchemaV2);  // what no-newer-schema catches
}

TEST_F(MetadataTest, UpdateWhileLeaderIsDownGetsNoCommit) {
  exchange.network().crash(exchange.replica(0).id(), 300'000);
  Instrument updated = btc();
  updated.tick_size = 50;
  exchange.update_metadata(updated, 1);
  exchange.run_for(1'000'000);
  EXPECT_TRUE(recorder.metadata_results.empty());
  EXPECT_EQ(exchange.replica(0).state().find("BTC-USDT")->tick_size, 10);
  expect_converged();
}

TEST_F(MetadataTest, CutOffFromEveryReplicaTheGatewayFailsClosedUntilOneVouchesAgain) {
  for (int i = 0; i < exchange.replica_count(); ++i) {
    exchange.network().crash(exchange.replica(i).id(), 1'500'000);
  }
  exchange.run_for(200'000);
  EXPECT_TRUE(exchange.gateway().metadata().fresh()) << "within the lease";
  exchange.run_for(400'000);
  EXPECT_FALSE(exchange.gateway().metadata().fresh());
  exchange.submit(place(1, 1, "blind", Side::buy, 50'000, 1));
  exchange.run_for(50'000);
  ASSERT_TRUE(recorder.response(1, 1).has_value());
  EXPECT_EQ(recorder.response(1, 1)->reason, "metadata unavailable");
  exchange.run_for(2'000'000);
  EXPECT_TRUE(exchange.gateway().metadata().fresh());
  exchange.submit(place(1, 2, "seeing", Side::buy, 50'000, 1));
  exchange.run_for(50'000);
  EXPECT_EQ(recorder.response(1, 2)->verdict, Verdict::ack);
}

}  // namespace
}  // namespace ordeal::exchange
