// The sim engine's throughput on the 2023-08-14 scenario: operations per
// second per core with fault points armed, the history recorded and every
// property checked (generation, run, check; no shrinking).
#include <benchmark/benchmark.h>

#include "framework/run/runner.h"

namespace {

void BM_SimIncidentScenario(benchmark::State& state) {
  const ordeal::ScenarioLoad loaded = ordeal::load_scenario(
      std::string(ORDEAL_SOURCE_DIR) + "/examples/scenarios/okx-2023-08-14.toml");
  if (!loaded) {
    state.SkipWithError(loaded.error.c_str());
    return;
  }
  uint64_t operations = 0, events = 0, seed = 1;
  for (auto _ : state) {
    const auto outcome =
        ordeal::run_scenario(loaded.scenario, {.seed = seed++, .cases = 100, .shrink = false});
    operations += outcome.operations;
    events += outcome.events;
  }
  state.SetItemsProcessed(static_cast<int64_t>(operations));
  state.counters["events_per_s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SimIncidentScenario)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
