// The raw reference exchange in process: orders per second through gateway
// and engine shard on the simulated network, with no framework around it.
// It is the baseline for the framework's overhead. Also the cost of a fault
// point check, disarmed (the gate) and armed (libfiu behind it).
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "faults/fault_point.h"
#include "targets/exchange/fault_points.h"
#include "targets/exchange/sim_exchange.h"

namespace {

using namespace ordeal::exchange;

constexpr int kBatch = 1000;

// Clients 1 and 2 alternate buys and sells at one price: every second order
// trades, so the book stays small and every order is matched or rests.
// The gateway remembers every order it saw, so one exchange fed for the
// whole run would measure ever larger tables (the rate fell from 250,000 to
// 130,000 orders/s between 18 and 631 iterations): a fresh exchange takes
// over every kBatchesPerExchange batches, built outside the timing, so the
// figure does not depend on how long the benchmark ran.
constexpr int kBatchesPerExchange = 10;

struct CountAcks : ExchangeListener {
  int64_t answered = 0;
  void on_response(const ClientResponse& r) override { answered += r.verdict == Verdict::ack; }
};

std::unique_ptr<SimExchange> settled_exchange(CountAcks& count) {
  auto exchange = std::make_unique<SimExchange>(ExchangeConfig{.seed = 1, .clients = 2});
  exchange->run_for(500'000);
  exchange->set_listener(&count);
  return exchange;
}

void BM_ExchangeOrders(benchmark::State& state) {
  CountAcks count;
  std::unique_ptr<SimExchange> exchange = settled_exchange(count);
  uint64_t request_id = 0, sim_events = 0;
  int batches = 0;
  std::string clordid;
  for (auto _ : state) {
    if (batches++ == kBatchesPerExchange) {
      state.PauseTiming();
      sim_events += exchange->network().events_run();
      exchange = settled_exchange(count);
      batches = 1;
      state.ResumeTiming();
    }
    for (int i = 0; i < kBatch; ++i) {
      ++request_id;
      const ClientId client = 1 + (request_id & 1);
      clordid = "o" + std::to_string(request_id);
      exchange->submit(ClientRequest{.kind = RequestKind::place,
                                     .client = client,
                                     .request_id = request_id,
                                     .clordid = clordid,
                                     .symbol = "BTC-USDT",
                                     .side = client == 1 ? Side::buy : Side::sell,
                                     .price = 50'000,
                                     .qty = 1});
    }
    exchange->run_for(50'000);
  }
  sim_events += exchange->network().events_run();
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.counters["acked"] = static_cast<double>(count.answered);
  state.counters["sim_events"] = static_cast<double>(sim_events);
}
BENCHMARK(BM_ExchangeOrders)->Unit(benchmark::kMillisecond);

void BM_FaultPointDisarmed(benchmark::State& state) {
  ordeal::faults::disarm_all();
  for (auto _ : state) benchmark::DoNotOptimize(points::engine_apply_delay.check());
}
BENCHMARK(BM_FaultPointDisarmed);

void BM_FaultPointArmedNeverFiring(benchmark::State& state) {
  ordeal::faults::ScopedArm armed("engine.apply.delay", {.probability = 0.0});
  for (auto _ : state) benchmark::DoNotOptimize(points::engine_apply_delay.check());
}
BENCHMARK(BM_FaultPointArmedNeverFiring);

}  // namespace

BENCHMARK_MAIN();
