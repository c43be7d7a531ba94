// The journals of live nodes: an exchange that traded with journals attached
// leaves files from which a fresh exchange rebuilds the same orders, books,
// metadata log and schema, with or without compaction; bad journals are
// refused with the file named.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "framework/base/test_dir.h"
#include "targets/exchange/replica_journal.h"
#include "targets/exchange/test_support.h"

namespace ordeal::exchange {
namespace {

namespace fs = std::filesystem;
using testing::about;
using testing::amend;
using testing::place;
using testing::Recorder;

struct TempDir : TestDir {
  TempDir() : TestDir("durable") {}
  std::string shard_log(int i) const {
    return (path / fmt::format("engine-{}", i) / "shard.log").string();
  }
  std::string meta_log() const { return (path / "meta-0" / "meta.log").string(); }
};

void attach_all(SimExchange& exchange, const TempDir& dir, const JournalLimits& limits) {
  for (int i = 0; i < exchange.shard_count(); ++i) {
    const Recovery r = exchange.shard(i).attach_journal(dir.shard_log(i), limits);
    ASSERT_EQ(r.error, "");
  }
  ASSERT_EQ(exchange.replica(0).attach_journal(dir.meta_log(), limits).error, "");
}

auto fields_of(const OrderView& v) {
  return std::tuple(v.order_id, v.client, v.clordid, v.symbol, v.side, v.status, v.price, v.qty,
                    v.filled);
}

class DurableState : public ::testing::TestWithParam<uint64_t> {
 protected:
  JournalLimits limits() const {
    JournalLimits l{.compact_bytes = GetParam()};
    l.log.fsync = false;
    return l;
  }
  // Trades on `a`: fills, a partial fill, an amend that loses priority, a
  // cancel and two metadata commits.
  void trade(SimExchange& a, Recorder& rec) {
    a.submit(place(1, 1, "s1", Side::sell, 20'000, 5));
    a.submit(place(1, 2, "s2", Side::sell, 20'000, 3));
    a.submit(place(1, 3, "s3", Side::sell, 20'010, 2));
    a.run_for(100'000);
    a.submit(place(2, 4, "b1", Side::buy, 20'000, 4));
    a.run_for(100'000);
    a.submit(amend(1, 5, "s2", 20'000, 6));
    a.submit(about(RequestKind::cancel, 1, 6, "s3"));
    Instrument eth = *a.replica(0).state().find("ETH-USDT");
    eth.max_qty = 5'000;
    a.update_metadata(eth, 1);
    eth.tick_size = 10;
    a.update_metadata(eth, 2);
    a.run_for(testing::kSettleUs);
    for (uint64_t id = 1; id <= 6; ++id) {
      const auto r = rec.response(id <= 3 || id >= 5 ? 1 : 2, id);
      ASSERT_TRUE(r && r->verdict == Verdict::ack) << "request " << id;
      order_ids.push_back(r->order.order_id);
    }
  }
  std::vector<OrderId> order_ids;
};

TEST_P(DurableState, FreshExchangeRebuildsOrdersBooksAndMetadataLog) {
  TempDir dir;
  SimExchange a(testing::quiet_config(5));
  Recorder rec_a;
  a.set_listener(&rec_a);
  a.run_for(testing::kSettleUs);
  attach_all(a, dir, limits());
  trade(a, rec_a);

  SimExchange b(testing::quiet_config(5));
  attach_all(b, dir, limits());
  EXPECT_EQ(b.replica(0).state(), a.replica(0).state());
  EXPECT_GT(a.replica(0).state().version, 1u);
  for (int s = 0; s < a.shard_count(); ++s) {
    for (OrderId id : order_ids) {
      const OrderView* was = a.shard(s).order(id);
      const OrderView* now = b.shard(s).order(id);
      ASSERT_EQ(was == nullptr, now == nullptr) << "order " << id << " shard " << s;
      if (was != nullptr) {
        EXPECT_EQ(fields_of(*now), fields_of(*was)) << "order " << id;
      }
    }
  }
  const OrderBook* book_a = a.shard(0).book("BTC-USDT");
  const OrderBook* book_b = b.shard(0).book("BTC-USDT");
  ASSERT_TRUE(book_a && book_b);
  EXPECT_EQ(book_b->queue(Side::sell), book_a->queue(Side::sell));
  EXPECT_EQ(book_b->queue(Side::sell).size(), 2u);  // s1's rest, then s2 (requeued)

  // The rebuilt book trades in the same time priority: s1's last lot first.
  Recorder rec_b;
  b.set_listener(&rec_b);
  b.run_for(testing::kSettleUs);
  // B's gateway numbers orders from 1 again (a gateway keeps nothing): let
  // it pass the ids that A used, with orders on the other shard.
  for (uint64_t id = 1; id <= order_ids.size(); ++id) {
    b.submit(place(4, 100 + id, fmt::format("eth{}", id), Side::buy, 2'000, 10, "ETH-USDT"));
  }
  b.run_for(200'000);
  b.submit(place(3, 9, "b2", Side::buy, 20'000, 2));
  b.run_for(200'000);
  const auto b2 = rec_b.response(3, 9);
  ASSERT_TRUE(b2 && b2->verdict == Verdict::ack) << (b2 ? b2->reason : "no answer");
  // s1's last lot went first, then one of s2's six (B's gateway knows
  // nothing of the makers, so only the taker's fills reach a client).
  EXPECT_EQ(rec_b.filled_qty(3, "b2"), 2);
  EXPECT_EQ(b.shard(0).order(order_ids[0])->status, OrdStatus::filled);
  EXPECT_EQ(book_b->queue(Side::sell), std::vector<OrderId>{order_ids[1]});
  EXPECT_EQ(book_b->open_qty(order_ids[1]), 5);
}

INSTANTIATE_TEST_SUITE_P(Compaction, DurableState, ::testing::Values(uint64_t{1} << 20, 0u),
                         [](const auto& param_info) {
                           return param_info.param == 0 ? "every_write" : "never";
                         });

TEST(ReplicaJournal, SchemaSurvivesAndCompactionKeepsIt) {
  TempDir dir;
  const JournalLimits limits{.log = {.fsync = false}, .compact_bytes = 0};
  MetadataState state = default_metadata(2);
  {
    ReplicaJournal journal;
    uint8_t schema = kSchemaV1;
    ASSERT_EQ(journal.open(dir.meta_log(), limits, state, schema).error, "");
    ASSERT_EQ(journal.schema(kSchemaV2, state), "");
    Instrument btc = *state.find("BTC-USDT");
    btc.tick_size = 20;
    state.version += 1;
    state.put(btc);
    ASSERT_EQ(journal.commit(btc, state.version, state), "");  // compacts: schema + snapshot
  }
  MetadataState restored = default_metadata(2);
  uint8_t schema = kSchemaV1;
  ReplicaJournal journal;
  const Recovery r = journal.open(dir.meta_log(), limits, restored, schema);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(schema, kSchemaV2);
  EXPECT_EQ(restored, state);
}

TEST(ReplicaJournal, GapInCommitsIsRefused) {
  TempDir dir;
  const JournalLimits limits{.log = {.fsync = false}};
  MetadataState state = default_metadata(2);
  uint8_t schema = kSchemaV1;
  {
    ReplicaJournal journal;
    ASSERT_EQ(journal.open(dir.meta_log(), limits, state, schema).error, "");
    const Instrument btc = *state.find("BTC-USDT");
    ASSERT_EQ(journal.commit(btc, state.version + 1, state), "");
    ASSERT_EQ(journal.commit(btc, state.version + 3, state), "");
  }
  MetadataState restored = default_metadata(2);
  ReplicaJournal journal;
  const Recovery r = journal.open(dir.meta_log(), limits, restored, schema);
  EXPECT_NE(r.error.find(dir.meta_log()), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("record 2"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("gap"), std::string::npos) << r.error;
  EXPECT_EQ(restored, default_metadata(2));  // nothing half-applied
}

TEST(ShardJournal, RecordThatIsNotAnEntryIsRefused) {
  TempDir dir;
  fs::create_directories(fs::path(dir.shard_log(0)).parent_path());
  std::ofstream(dir.shard_log(0), std::ios::binary) << frame_record("not an entry");
  ShardJournal journal;
  const Recovery r = journal.open(dir.shard_log(0), {}, [](const ShardEntry&) {});
  EXPECT_NE(r.error.find("record 1 is not a shard journal entry"), std::string::npos) << r.error;
}

}  // namespace
}  // namespace ordeal::exchange
