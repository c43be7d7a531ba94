// `ordeal demo`: the reference exchange on its own, through the situation of
// the 2023-08-14 incident: a rolling upgrade of the metadata service and a
// stream of metadata updates (some delayed) while clients place, amend and
// cancel. Afterwards it reads the status of every order whose cancel was
// acknowledged and reports any that was not honoured. A direct look at the
// exchange, before the full engine (scenarios, properties, shrinking) runs it.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <map>
#include <string>
#include <vector>

#include "faults/fault_point.h"
#include "framework/base/rng.h"
#include "framework/cli/commands.h"
#include "targets/exchange/sim_exchange.h"

namespace ordeal::cli {
namespace {

using namespace ordeal::exchange;

struct DemoOptions {
  uint64_t seed = 1;
  std::string defect = "none";
  int clients = 4;
  int64_t seconds = 3;
};

struct Tally : ExchangeListener {
  std::map<Verdict, int> verdicts;
  std::map<std::pair<ClientId, uint64_t>, ClientResponse> responses;
  int fills = 0;
  void on_response(const ClientResponse& r) override {
    ++verdicts[r.verdict];
    responses[{r.client, r.request_id}] = r;
  }
  void on_fill(const Fill&) override { ++fills; }
};

struct ClientState {
  uint64_t next_request = 1;
  std::vector<std::string> orders;
};

// One random request of one client: mostly places near the mid price, then
// cancels and amends of its own earlier orders.
ClientRequest next_request(Rng& rng, ClientId client, ClientState& state) {
  const uint64_t id = state.next_request++;
  const int64_t roll = rng.between(0, 99);
  if (state.orders.empty() || roll < 50) {
    state.orders.push_back(fmt::format("c{}-{}", client, id));
    return ClientRequest{.kind = RequestKind::place, .client = client, .request_id = id,
                         .clordid = state.orders.back(), .symbol = rng.chance(0.5) ? "BTC-USDT" : "ETH-USDT",
                         .side = rng.chance(0.5) ? Side::buy : Side::sell,
                         .price = 0, .qty = rng.between(1, 5)};
  }
  const std::string& target = state.orders[rng.between(0, static_cast<int64_t>(state.orders.size()) - 1)];
  ClientRequest request{.kind = roll < 85 ? RequestKind::cancel : RequestKind::amend,
                        .client = client, .request_id = id, .clordid = target};
  if (request.kind == RequestKind::amend) request.qty = rng.between(1, 5);
  return request;
}

// Prices and quantities on the instrument's grid, within its band.
void fit_to_instrument(ClientRequest& request, const Instrument& instrument, Rng& rng) {
  if (request.kind != RequestKind::place) {
    request.qty *= instrument.lot_size * (instrument.min_qty / instrument.lot_size);
    return;
  }
  const Price mid = (instrument.min_price + instrument.max_price) / 2 / instrument.tick_size *
                    instrument.tick_size;
  request.price = mid + rng.between(-5, 5) * instrument.tick_size;
  request.qty = request.qty * instrument.min_qty;
}

int run_demo(const DemoOptions& options) {
  const auto defects = DefectSet::parse(options.defect);
  if (!defects) {
    fmt::print(stderr, "ordeal demo: unknown defect '{}' (see `ordeal list defects`)\n",
               options.defect);
    return kExitUsage;
  }
  SimExchange exchange({.seed = options.seed, .defects = *defects, .clients = options.clients});
  Tally tally;
  exchange.set_listener(&tally);
  faults::ScopedArm delayed("meta.update.delay", {.probability = 0.3, .param = 150,
                                                  .seed = options.seed});
  Rng rng(mix64(options.seed));
  exchange.run_for(300'000);
  const int64_t start_us = exchange.now_us();
  const int64_t end_us = start_us + options.seconds * 1'000'000;
  exchange.rolling_upgrade(start_us + 200'000, 700'000, 300'000);
  std::vector<ClientState> clients(options.clients);
  uint64_t metadata_request = 0;
  for (int64_t t = start_us; t < end_us; t += 2'000) {
    exchange.run_until(t);
    if ((t - start_us) % 150'000 == 0) {  // a stream of innocent metadata updates
      Instrument record = *exchange.replica(0).state().find("ETH-USDT");
      record.max_qty = record.max_qty == 10'000 ? 9'000 : 10'000;
      exchange.update_metadata(record, ++metadata_request);
    }
    const auto client = static_cast<ClientId>(rng.between(1, options.clients));
    ClientRequest request = next_request(rng, client, clients[client - 1]);
    const std::string symbol = request.symbol.empty() ? "BTC-USDT" : request.symbol;
    fit_to_instrument(request, *exchange.config().metadata.find(symbol), rng);
    exchange.submit(std::move(request));
  }
  exchange.run_for(2'000'000);  // faults heal, everything settles

  // Final reads: the status of every order whose cancel was acknowledged.
  std::vector<std::pair<ClientId, std::string>> cancelled;
  for (const auto& [key, response] : tally.responses) {
    if (response.kind == RequestKind::cancel && response.verdict == Verdict::ack) {
      cancelled.emplace_back(key.first, response.order.clordid);
    }
  }
  const uint64_t read_base = 1'000'000;
  for (size_t i = 0; i < cancelled.size(); ++i) {
    exchange.submit(ClientRequest{.kind = RequestKind::status, .client = cancelled[i].first,
                                  .request_id = read_base + i, .clordid = cancelled[i].second});
  }
  exchange.run_for(1'000'000);
  int lost = 0;
  std::string first_lost;
  for (size_t i = 0; i < cancelled.size(); ++i) {
    auto it = tally.responses.find({cancelled[i].first, read_base + i});
    if (it == tally.responses.end() || it->second.order.status == OrdStatus::cancelled) continue;
    if (++lost == 1) {
      const bool known = it->second.verdict == Verdict::ack;
      first_lost = fmt::format("client {} order {}: cancel acknowledged, {} at the end",
                               cancelled[i].first, cancelled[i].second,
                               known ? fmt::format("order {}", to_string(it->second.order.status))
                                     : std::string("the exchange does not know the order"));
    }
  }
  fmt::print("ordeal demo: reference exchange, defect {}, seed {}\n", options.defect, options.seed);
  fmt::print("  {} metadata replicas (rolling upgrade to schema 2), {} engine shards, {} clients\n",
             exchange.replica_count(), exchange.shard_count(), options.clients);
  fmt::print("  requests answered: {} ack, {} reject, {} unknown; {} fills; metadata version {}\n",
             tally.verdicts[Verdict::ack], tally.verdicts[Verdict::reject],
             tally.verdicts[Verdict::unknown], tally.fills, exchange.replica(0).state().version);
  fmt::print("  cancels acknowledged: {}, not honoured: {}\n", cancelled.size(), lost);
  if (lost > 0) {
    fmt::print("  first: {}\nverdict: FAIL (an acknowledged cancel was lost)\n", first_lost);
    return kExitViolation;
  }
  fmt::print("verdict: PASS (every acknowledged cancel was honoured)\n");
  return kExitOk;
}

}  // namespace

void add_demo_command(CLI::App& app, int& exit_code) {
  auto* demo = app.add_subcommand(
      "demo", "Run the reference exchange through a metadata rolling upgrade and check cancels");
  static DemoOptions options;
  demo->add_option("--seed", options.seed, "seed for every random choice")->envname("ORDEAL_SEED");
  demo->add_option("--defect", options.defect, "planted defect to switch on (default none)");
  demo->add_option("--clients", options.clients, "number of clients")->check(CLI::Range(1, 32));
  demo->add_option("--seconds", options.seconds, "virtual seconds of trading")
      ->check(CLI::Range(1, 600));
  demo->callback([&exit_code] { exit_code = run_demo(options); });
}

}  // namespace ordeal::cli
