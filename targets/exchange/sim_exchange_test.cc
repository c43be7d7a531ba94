// SimExchange::reset: an exchange reset for a case must behave as one newly
// built for it, whatever ran on it before (its books and order tables then
// take the nodes that the case before freed: node_pool.h).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "targets/exchange/test_support.h"

namespace ordeal::exchange {
namespace {

using testing::about;
using testing::place;

// Everything the exchange reports, with the virtual time it came at.
struct Log final : ExchangeListener {
  explicit Log(const SimExchange& exchange) : exchange_(exchange) {}
  std::vector<std::string> lines;

  void on_response(const ClientResponse& r) override {
    add(fmt::format("response {} {} {} {} {} {} {} {}", r.client, r.request_id,
                    to_string(r.verdict), r.reason, r.order.order_id, to_string(r.order.status),
                    r.order.filled, r.meta_version));
  }
  void on_fill(const Fill& f) override {
    add(fmt::format("fill {} {} {} {} {}", f.client, f.order_id, f.price, f.qty, f.trade_id));
  }
  void on_order_update(const OrderUpdate& u) override {
    add(fmt::format("update {} {} {}", u.order.order_id, to_string(u.order.status), u.reason));
  }
  void on_metadata_result(const MetaUpdateResult& r) override {
    add(fmt::format("metadata {} {} {} {}", r.request_id, r.ok, r.version, r.reason));
  }

 private:
  void add(std::string line) { lines.push_back(fmt::format("{} {}", exchange_.now_us(), line)); }
  const SimExchange& exchange_;
};

// A short case with trades, a metadata change, crashes, an upgrade and a
// scheduled action; it ends with events still pending.
Log drive(SimExchange& exchange) {
  Log log(exchange);
  exchange.set_listener(&log);
  exchange.run_for(testing::kSettleUs);
  exchange.submit(place(1, 1, "a", Side::buy, 50'000, 5));
  exchange.submit(place(2, 1, "b", Side::sell, 49'990, 3));
  exchange.submit(place(3, 1, "c", Side::buy, 40'000, 2));
  exchange.run_for(20'000);
  Instrument btc = *exchange.replica(0).state().find("BTC-USDT");
  btc.tick_size = 20;
  exchange.update_metadata(btc, 7);
  exchange.submit(about(RequestKind::cancel, 3, 2, "c"));
  exchange.crash(exchange.shard(0).id(), 30'000);
  exchange.rolling_upgrade(exchange.now_us() + 10'000, 40'000, 20'000);
  exchange.network().at(exchange.now_us() + 60'000,
                        [&exchange] { exchange.submit(about(RequestKind::status, 1, 2, "a")); });
  exchange.run_for(100'000);
  exchange.crash(exchange.gateway().id(), 50'000);
  exchange.submit(place(2, 2, "d", Side::sell, 50'000, 1));
  exchange.run_for(400'000);
  exchange.set_listener(nullptr);
  return log;
}

// From a case with more nodes to one with fewer and back, each compared
// with the same case on an exchange of its own.
TEST(SimExchange, ResetGivesTheExchangeThatANewOneWouldBe) {
  const ExchangeConfig small{.seed = 11, .clients = 3};
  const ExchangeConfig large{.seed = 5,
                             .defects = DefectSet::parse("okx-2023-08-14").value(),
                             .shards = 3,
                             .clients = 6,
                             .metadata = default_metadata(3)};
  SimExchange fresh_small(small);
  SimExchange fresh_large(large);
  const Log expected_small = drive(fresh_small);
  const Log expected_large = drive(fresh_large);
  ASSERT_GT(expected_small.lines.size(), 5u);
  ASSERT_NE(expected_small.lines, expected_large.lines);

  SimExchange reused(large);
  EXPECT_EQ(drive(reused).lines, expected_large.lines);
  for (int round = 0; round < 2; ++round) {
    reused.reset(small);
    EXPECT_EQ(reused.now_us(), 0);
    EXPECT_EQ(reused.shard_count(), 2);
    EXPECT_EQ(drive(reused).lines, expected_small.lines) << "round " << round;
    EXPECT_EQ(reused.network().events_run(), fresh_small.network().events_run());
    reused.reset(large);
    EXPECT_EQ(drive(reused).lines, expected_large.lines) << "round " << round;
  }
}

// A reset that keeps the configuration but the seed and the clients; the
// nodes are built anew where the ones before were (sim_exchange.h).
TEST(SimExchange, ResetForAnotherSeedGivesTheExchangeThatANewOneWouldBe) {
  SimExchange fresh({.seed = 12, .clients = 4});
  const Log expected = drive(fresh);
  SimExchange reused({.seed = 11, .clients = 3});
  const Gateway* gateway = &reused.gateway();
  const EngineShard* shard = &reused.shard(1);
  const MetadataReplica* replica = &reused.replica(2);
  const Log before = drive(reused);
  ASSERT_NE(before.lines, expected.lines);
  ASSERT_EQ(reused.replica(1).schema(), kSchemaV2);  // the case upgraded them
  ASSERT_GT(reused.replica(0).state().version, 1u);  // and changed the metadata
  ASSERT_GT(reused.gateway().known_orders(), 0u);
  ASSERT_GT(reused.shard(0).resting_orders() + reused.shard(1).resting_orders(), 0u);
  reused.reset(12, 4);
  // The servers, renewed in place, are as new ones before anything runs.
  SimExchange built({.seed = 12, .clients = 4});
  EXPECT_EQ(reused.gateway().known_orders(), 0u);
  EXPECT_EQ(reused.gateway().metadata().synced(), built.gateway().metadata().synced());
  for (int i = 0; i < reused.shard_count(); ++i) {
    EXPECT_EQ(reused.shard(i).resting_orders(), 0u) << "shard " << i;
    EXPECT_EQ(reused.shard(i).book("BTC-USDT"), nullptr) << "shard " << i;
    EXPECT_EQ(reused.shard(i).metadata().state(), built.shard(i).metadata().state());
  }
  for (int i = 0; i < reused.replica_count(); ++i) {
    EXPECT_EQ(reused.replica(i).schema(), built.replica(i).schema()) << "replica " << i;
    EXPECT_EQ(reused.replica(i).state(), built.replica(i).state()) << "replica " << i;
    EXPECT_EQ(reused.replica(i).follower_resyncs(), built.replica(i).follower_resyncs());
  }
  EXPECT_EQ(drive(reused).lines, expected.lines);
  reused.reset(11, 3);
  EXPECT_EQ(drive(reused).lines, before.lines);
  EXPECT_EQ(&reused.gateway(), gateway);
  EXPECT_EQ(&reused.shard(1), shard);
  EXPECT_EQ(&reused.replica(2), replica);
}

}  // namespace
}  // namespace ordeal::exchange
