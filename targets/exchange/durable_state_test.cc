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
  // One trade on `a`, with journals in `dir`: s1 sells 5, b1 buys 3 of
  // them; two fills (maker and taker, reports 1 and 2) and nothing after.
  void trade_once(SimExchange& a, Recorder& rec, const TempDir& dir) {
    a.set_listener(&rec);
    a.run_for(testing::kSettleUs);
    attach_all(a, dir, limits());
    a.submit(place(1, 1, "s1", Side::sell, 20'000, 5));
    a.run_for(100'000);
    a.submit(place(2, 2, "b1", Side::buy, 20'000, 3));
    a.run_for(100'000);
    ASSERT_EQ(rec.fills.size(), 2u);
  }
  // Trades on `a` with journals in `dir` (trade()), then has `b` rebuild
  // from them.
  void trade_then_rebuild(SimExchange& a, Recorder& rec_a, SimExchange& b, const TempDir& dir) {
    a.set_listener(&rec_a);
    a.run_for(testing::kSettleUs);
    attach_all(a, dir, limits());
    trade(a, rec_a);
    attach_all(b, dir, limits());
  }
  std::vector<OrderId> order_ids;
};

TEST_P(DurableState, FreshExchangeRebuildsOrdersBooksAndMetadataLog) {
  TempDir dir;
  SimExchange a(testing::quiet_config(5));
  SimExchange b(testing::quiet_config(5));
  Recorder rec_a;
  trade_then_rebuild(a, rec_a, b, dir);
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

// A mass-cancel on a rebuilt exchange finds the client's orders its shards'
// journals held open (s1's last lot and s2), though its gateway knows none.
TEST_P(DurableState, AMassCancelFindsTheOpenOrdersAJournalRebuilt) {
  TempDir dir;
  SimExchange a(testing::quiet_config(5));
  SimExchange b(testing::quiet_config(5));
  Recorder rec_a;
  trade_then_rebuild(a, rec_a, b, dir);
  Recorder rec_b;
  b.set_listener(&rec_b);
  b.run_for(testing::kSettleUs);
  b.submit(about(RequestKind::mass_cancel, 1, 1, ""));
  b.run_for(200'000);
  const auto r = rec_b.response(1, 1);
  ASSERT_TRUE(r && r->verdict == Verdict::ack) << (r ? r->reason : "no answer");
  EXPECT_EQ(r->cancelled_count, 2u);
  EXPECT_EQ(b.shard(0).order(order_ids[0])->status, OrdStatus::cancelled);
  EXPECT_EQ(b.shard(0).order(order_ids[1])->status, OrdStatus::cancelled);
  EXPECT_TRUE(b.shard(0).book("BTC-USDT")->queue(Side::sell).empty());
}

// A shard killed before its gateway confirmed the fills it reported (no
// request reached the shard after the trade) holds them again from its
// journal, sends them at the gateway's first request, and numbers on: a
// fill it had not written to its link when it died still reaches the client.
TEST_P(DurableState, AFreshShardSendsTheFillsItsGatewayHadNotConfirmed) {
  TempDir dir;
  SimExchange a(testing::quiet_config(5));
  Recorder rec_a;
  trade_once(a, rec_a, dir);
  const uint64_t trade = rec_a.fills[0].trade_id;

  SimExchange b(testing::quiet_config(5));
  attach_all(b, dir, limits());
  Recorder rec_b;
  b.set_listener(&rec_b);
  b.run_for(testing::kSettleUs);
  // B's gateway numbers orders from 1 again: let it pass A's two ids on
  // the other shard, which the fills are not about.
  for (uint64_t id = 1; id <= 2; ++id) {
    b.submit(place(3, 100 + id, fmt::format("eth{}", id), Side::buy, 2'000, 10, "ETH-USDT"));
  }
  b.run_for(200'000);
  ASSERT_TRUE(rec_b.fills.empty());
  b.submit(place(2, 3, "b2", Side::buy, 20'000, 2));  // client 2's first word to B
  b.run_for(200'000);
  const auto b2 = rec_b.response(2, 3);
  ASSERT_TRUE(b2 && b2->verdict == Verdict::ack) << (b2 ? b2->reason : "no answer");
  // b1's fill again, then b2's (the makers' fills find no client B heard).
  ASSERT_EQ(rec_b.fills.size(), 2u);
  EXPECT_EQ(rec_b.fills[0].trade_id, trade);
  EXPECT_EQ(rec_b.fills[0].clordid, "b1");
  EXPECT_EQ(rec_b.fills[0].report_seq, 2u);
  EXPECT_EQ(rec_b.fills[1].clordid, "b2");
  EXPECT_EQ(rec_b.fills[1].report_seq, 4u) << "numbered on, after its maker's 3";
}

// Restarted in place with its journal (the control port's crash in live
// mode), a shard keeps what it had reported, as if read back from disk, and
// numbers on; what the gateway confirmed is not sent again. (That it sends
// what the gateway missed: ReportLog.HeldAgainInPlaceIsSentAtTheFirstRequest;
// the simulator loses no message in flight to test it here.)
TEST_P(DurableState, AShardRestartedInPlaceNumbersItsReportsOn) {
  TempDir dir;
  SimExchange a(testing::quiet_config(5));
  Recorder rec;
  trade_once(a, rec, dir);
  a.crash(a.shard(0).id(), 50'000);
  a.run_for(testing::kSettleUs);
  a.submit(place(2, 3, "b2", Side::buy, 20'000, 2));
  a.run_for(200'000);
  ASSERT_EQ(rec.fills.size(), 4u) << "b2's trade alone: nothing confirmed comes twice";
  EXPECT_EQ(rec.fills[2].report_seq, 3u);
  EXPECT_EQ(rec.fills[3].report_seq, 4u);
  EXPECT_EQ(rec.fills[3].clordid, "b2");
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
