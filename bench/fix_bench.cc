// Orders per second through the reference gateway's FIX port on loopback:
// a FIX client (one QuickFIX initiator) keeps a window of orders in flight
// to the FIX acceptor, the gateway and two engine shards, all real threads
// and sockets. Half the orders are buys and half sells at one price, so
// every second order trades and both sides get a fill report.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include "targets/fix/fix_client.h"
#include "targets/fix/reference_fix_gateway.h"

namespace {

using namespace ordeal;
using namespace ordeal::exchange;

constexpr int64_t kWaitUsMax = 30'000'000;

struct Counter final : ExchangeListener {
  uint64_t acks = 0, others = 0, fills = 0;
  void on_response(const ClientResponse& r) override {
    (r.verdict == Verdict::ack ? acks : others) += 1;
  }
  void on_fill(const Fill&) override { ++fills; }
};

// CPU seconds used by every thread of the process (both FIX engines, both
// networks): on a shared machine a steadier figure than orders per second.
double process_cpu_s() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

void BM_FixOrders(benchmark::State& state) {
  const int window = static_cast<int>(state.range(0));
  const int port = free_loopback_port();
  fix::ReferenceGateway gateway(port);
  LiveNetwork net(3);
  Counter counter;
  ExchangeListener* listener = &counter;
  fix::FixClient client(
      net, {.engine = {.port = port, .sessions = {{"FIX.4.4", "ORDEAL", "EXCHANGE"}}}}, listener);
  net.start();
  client.start();
  const int64_t deadline_us = net.now_us() + kWaitUsMax;
  while (!client.logged_on() && net.now_us() < deadline_us) net.run_for(10'000);
  net.run_for(500'000);  // the gateway's metadata
  uint64_t sent = 0;
  auto send = [&] {
    ++sent;
    client.submit({.kind = RequestKind::place,
                   .client = static_cast<ClientId>(1 + sent % 2),
                   .request_id = sent,
                   .clordid = "b" + std::to_string(sent),
                   .symbol = "BTC-USDT",
                   .side = sent % 2 == 0 ? Side::buy : Side::sell,
                   .price = 50'000,
                   .qty = 1});
  };
  const double cpu_before_s = process_cpu_s();
  for (auto _ : state) {
    const uint64_t batch = 20'000, target = sent + batch;
    const int64_t batch_deadline_us = net.now_us() + kWaitUsMax;
    while (sent < target && sent - (counter.acks + counter.others) < static_cast<uint64_t>(window))
      send();
    while (counter.acks + counter.others < target && net.now_us() < batch_deadline_us) {
      net.run_for(200);
      while (sent < target &&
             sent - (counter.acks + counter.others) < static_cast<uint64_t>(window))
        send();
    }
  }
  const double answered = static_cast<double>(counter.acks + counter.others);
  state.counters["cpu_us_per_order"] = (process_cpu_s() - cpu_before_s) * 1e6 / answered;
  state.counters["orders_per_s"] = benchmark::Counter(
      static_cast<double>(counter.acks + counter.others), benchmark::Counter::kIsRate);
  state.counters["rejected"] = static_cast<double>(counter.others);
  state.counters["fills"] = static_cast<double>(counter.fills);
}
BENCHMARK(BM_FixOrders)
    ->Arg(64)
    ->Arg(512)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
