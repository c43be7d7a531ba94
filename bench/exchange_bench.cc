// The raw reference exchange in process: orders per second through gateway
// and engine shard on the simulated network, with no framework around it.
// It is the baseline for the framework's overhead: a dense stream of
// orders, and the incident scenario's pace. Also the cost of a fault
// point check, disarmed (the gate) and armed (libfiu behind it).
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "faults/fault_point.h"
#include "framework/base/rng.h"
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

// The exchange at the incident scenario's pace, with no framework: the
// baseline the engine's own work is compared with. Per case a fresh
// exchange (4 clients, 3 replicas, 2 shards) settles for 300 ms; each
// client sends 0-20 requests (40 a case on average, as the scenario's
// cases) with think times of 0-150 ms: places around one price (60%),
// cancels of its earlier orders (30%) and status requests (10%); then the
// nemesis window's 1.5 s and the 1 s quiet period pass, and the final
// reads follow, one mass-status per client that placed an order, as the
// engine's final reads ask the simulator. What it leaves out is the framework's part
// (generation, history, properties) and the faults and metadata changes.
constexpr int kPacedCases = 100;

// The client order id of a client's index-th request.
std::string paced_clordid(ClientId client, int64_t index) {
  return fmt::format("c{}-{}", client, index);
}

ClientRequest paced_request(ordeal::Rng& rng, ClientId client, int index) {
  const int64_t roll = rng.between(0, 9);
  if (roll >= 6 && index > 0) {
    const auto kind = roll == 9 ? RequestKind::status : RequestKind::cancel;
    return {.kind = kind,
            .client = client,
            .clordid = paced_clordid(client, rng.between(0, index - 1))};
  }
  return {.kind = RequestKind::place,
          .client = client,
          .clordid = paced_clordid(client, index),
          .symbol = "BTC-USDT",
          .side = rng.between(0, 1) == 0 ? Side::buy : Side::sell,
          .price = 50'000 + 10 * rng.between(-5, 5),
          .qty = rng.between(1, 4)};
}

// Returns the client requests sent, final reads not counted.
uint64_t run_paced_case(uint64_t seed, CountAcks& count) {
  SimExchange exchange({.seed = seed, .clients = 4});
  exchange.run_for(300'000);
  exchange.set_listener(&count);
  ordeal::Rng rng(seed);
  const int64_t start_us = exchange.now_us();
  uint64_t request_id = 0, sent = 0;
  std::vector<bool> placed(5, false);  // by client
  for (ClientId client = 1; client <= 4; ++client) {
    int64_t at_us = start_us;
    const int requests = static_cast<int>(rng.between(0, 20));
    for (int i = 0; i < requests; ++i, ++sent) {
      at_us += rng.between(0, 150'000);
      ClientRequest request = paced_request(rng, client, i);
      request.request_id = ++request_id;
      if (request.kind == RequestKind::place) placed[client] = true;
      exchange.network().at(at_us, [&exchange, request] { exchange.submit(request); });
    }
  }
  exchange.run_until(start_us + 2'500'000);
  for (ClientId client = 1; client <= 4; ++client) {
    if (!placed[client]) continue;
    exchange.submit(
        {.kind = RequestKind::mass_status, .client = client, .request_id = ++request_id});
  }
  exchange.run_for(100'000);
  return sent;
}

void BM_ExchangeScenarioPace(benchmark::State& state) {
  uint64_t requests = 0, seed = 1;
  CountAcks count;
  for (auto _ : state) {
    for (int i = 0; i < kPacedCases; ++i) requests += run_paced_case(seed++, count);
  }
  state.SetItemsProcessed(static_cast<int64_t>(requests));
  // Accepted answers, final reads included: the requests did reach the book.
  state.counters["acked"] = static_cast<double>(count.answered);
}
BENCHMARK(BM_ExchangeScenarioPace)->Unit(benchmark::kMillisecond);

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
