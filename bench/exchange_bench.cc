// The raw reference exchange in process: orders per second through gateway
// and engine shard on the simulated network, with no framework around it.
// It is the baseline for the framework's overhead. Also the cost of a fault
// point check, disarmed (the gate) and armed (libfiu behind it).
#include <benchmark/benchmark.h>

#include <string>

#include "faults/fault_point.h"
#include "targets/exchange/fault_points.h"
#include "targets/exchange/sim_exchange.h"

namespace {

using namespace ordeal::exchange;

constexpr int kBatch = 1000;

// Clients 1 and 2 alternate buys and sells at one price: every second order
// trades, so the book stays small and every order is matched or rests.
void BM_ExchangeOrders(benchmark::State& state) {
  SimExchange exchange({.seed = 1, .clients = 2});
  exchange.run_for(500'000);
  uint64_t request_id = 0;
  std::string clordid;
  int64_t answered = 0;
  struct Count : ExchangeListener {
    int64_t* answered;
    void on_response(const ClientResponse& r) override { *answered += r.verdict == Verdict::ack; }
  } count;
  count.answered = &answered;
  exchange.set_listener(&count);
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) {
      ++request_id;
      const ClientId client = 1 + (request_id & 1);
      clordid = "o" + std::to_string(request_id);
      exchange.submit(ClientRequest{.kind = RequestKind::place,
                                    .client = client,
                                    .request_id = request_id,
                                    .clordid = clordid,
                                    .symbol = "BTC-USDT",
                                    .side = client == 1 ? Side::buy : Side::sell,
                                    .price = 50'000,
                                    .qty = 1});
    }
    exchange.run_for(50'000);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.counters["acked"] = static_cast<double>(answered);
  state.counters["sim_events"] = static_cast<double>(exchange.network().events_run());
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
