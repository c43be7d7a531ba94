#include "targets/exchange/settled_pool.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "targets/exchange/test_support.h"

namespace ordeal::exchange {
namespace {

using testing::place;

// Everything the exchange tells its clients, with the virtual time.
struct Transcript : ExchangeListener {
  SimExchange* exchange = nullptr;
  std::vector<std::string> lines;
  void on_response(const ClientResponse& r) override {
    lines.push_back(fmt::format("{} response {} {} {} {} {} {}", exchange->now_us(), r.client,
                                r.request_id, static_cast<int>(r.verdict), r.reason,
                                r.order.order_id, r.order.filled));
  }
  void on_fill(const Fill& f) override {
    lines.push_back(fmt::format("{} fill {} {} {} {}", exchange->now_us(), f.client, f.clordid,
                                f.qty, f.trade_id));
  }
  void on_order_update(const OrderUpdate& u) override {
    lines.push_back(fmt::format("{} update {} {}", exchange->now_us(), u.order.clordid, u.reason));
  }
  void on_metadata_result(const MetaUpdateResult& r) override {
    lines.push_back(fmt::format("{} meta {} {}", exchange->now_us(), r.request_id, r.version));
  }
};

// Orders that trade and rest, a metadata change, a mass-cancel and a shard
// restart: state in every node.
std::vector<std::string> workload(SimExchange& exchange, int variant) {
  Transcript transcript;
  transcript.exchange = &exchange;
  exchange.set_listener(&transcript);
  uint64_t id = 0;
  for (int i = 0; i < 40; ++i) {
    const ClientId client = 1 + (i + variant) % 3;
    const Side side = (i + variant) % 2 == 0 ? Side::buy : Side::sell;
    exchange.submit(place(client, ++id, fmt::format("o{}", i), side, 50'000 + 10 * (i % 4), 2));
    exchange.run_for(3'000);
  }
  Instrument record = *exchange.replica(0).state().find("ETH-USDT");
  record.tick_size *= 2;
  exchange.update_metadata(record, 1);
  exchange.submit(ClientRequest{.kind = RequestKind::mass_cancel, .client = 2, .request_id = ++id});
  exchange.network().crash(exchange.shard(0).id(), 50'000);
  exchange.run_for(200'000);
  exchange.submit(place(1, ++id, "late", Side::buy, 50'000, 1));
  exchange.run_for(500'000);
  exchange.set_listener(nullptr);
  return transcript.lines;
}

ExchangeConfig config(uint64_t seed) { return ExchangeConfig{.seed = seed, .clients = 3}; }

TEST(SettledPool, StartsWhereASettleFromScratchWouldBe) {
  SimExchange scratch(config(SettledPool::kSettleSeed));
  scratch.run_until(300'000);
  scratch.reseed(77);
  const std::vector<std::string> expected = workload(scratch, 0);
  ASSERT_GT(expected.size(), 40u);

  // Dirty the pool's working exchange with another run first: the next case
  // must not notice.
  SettledPool::give_back([] {
    auto other = SettledPool::take(config(5), 300'000);
    workload(*other, 1);
    return other;
  }());
  auto pooled = SettledPool::take(config(77), 300'000);
  EXPECT_EQ(pooled->now_us(), 300'000);
  EXPECT_EQ(workload(*pooled, 0), expected);
  SettledPool::give_back(std::move(pooled));
  auto again = SettledPool::take(config(77), 300'000);
  EXPECT_EQ(workload(*again, 0), expected);
}

TEST(SettledPool, TheSeedStillDecidesTheTimings) {
  auto a = SettledPool::take(config(1), 300'000);
  auto b = SettledPool::take(config(2), 300'000);  // both out at once: two exchanges
  EXPECT_NE(a.get(), b.get());
  EXPECT_NE(workload(*a, 0), workload(*b, 0));
}

}  // namespace
}  // namespace ordeal::exchange
