// A scenario's [[instruments]]: read as exact decimals into the scenario's
// units, refused with the file, line and field when wrong, and traded by the
// reference exchange in sim as the venue declares them.
#include "framework/run/venue_instruments.h"

#include <gtest/gtest.h>

#include <set>

#include "framework/run/runner.h"
#include "targets/exchange/sim_exchange.h"

namespace ordeal {
namespace {

constexpr const char* kVenue = R"(
cases = 20
[workload]
clients = 3
operations_per_client = 12
[metadata]
changes_max = 0

[[instruments]]
symbol = "AAPL"
tick = "0.01"
lot = "1"
max_qty = "5000"
min_price = "100"
max_price = "200"

[[instruments]]
symbol = "BTC-PERP"
tick = "0.5"
lot = "0.001"
min_qty = "0.002"
max_qty = 25
min_price = "20000"
max_price = "120000.5"
)";

Scenario venue() {
  ScenarioLoad load = parse_scenario(kVenue, "venue.toml");
  EXPECT_EQ(load.error, "");
  return load.scenario;
}

std::string error_of(const std::string& instruments, const std::string& rest = "") {
  return parse_scenario(rest + instruments, "venue.toml").error;
}

TEST(VenueInstruments, AreHeldInUnitsFineEnoughForEveryValueAndAnOffTickPrice) {
  const Scenario s = venue();
  // Prices: the finest tick has 2 decimals, so 3; quantities: 0.001 and 0.002, so 3.
  EXPECT_EQ(s.units, (TradeUnits{.price_decimals = 3, .qty_decimals = 3}));
  ASSERT_EQ(s.instruments.size(), 2u);
  const exchange::Instrument& aapl = s.instruments[0];
  EXPECT_EQ(aapl.symbol, "AAPL");
  EXPECT_EQ(aapl.tick_size, 10);
  EXPECT_EQ(aapl.lot_size, 1000);
  EXPECT_EQ(aapl.min_qty, 1000) << "one lot when not written";
  EXPECT_EQ(aapl.max_qty, 5'000'000);
  EXPECT_EQ(aapl.min_price, 100'000);
  EXPECT_EQ(aapl.max_price, 200'000);
  const exchange::Instrument& btc = s.instruments[1];
  EXPECT_EQ(btc.tick_size, 500);
  EXPECT_EQ(btc.lot_size, 1);
  EXPECT_EQ(btc.min_qty, 2);
  EXPECT_EQ(btc.max_qty, 25'000) << "an integer is a decimal too";
  EXPECT_EQ(btc.max_price, 120'000'500);
}

TEST(VenueInstruments, AreAllTradedUnlessTheWorkloadNamesSome) {
  EXPECT_EQ(venue().symbols, (std::vector<std::string>{"AAPL", "BTC-PERP"}));
  const ScenarioLoad some =
      parse_scenario(std::string("[workload]\nsymbols = [\"BTC-PERP\"]\n") +
                         std::string(kVenue).substr(std::string(kVenue).find("[[instruments]]")),
                     "venue.toml");
  ASSERT_EQ(some.error, "");
  EXPECT_EQ(some.scenario.symbols, (std::vector<std::string>{"BTC-PERP"}));
  // Without [[instruments]], the reference exchange's, as always.
  const ScenarioLoad plain = parse_scenario("cases = 1\n", "plain.toml");
  EXPECT_EQ(plain.scenario.units, TradeUnits{});
  EXPECT_NE(scenario_metadata(plain.scenario).find("BTC-USDT"), nullptr);
}

TEST(VenueInstruments, ReplaceTheReferenceOnesSpreadOverTheShards) {
  Scenario s = venue();
  s.shards = 2;
  const exchange::MetadataState state = scenario_metadata(s);
  EXPECT_EQ(state.find("BTC-USDT"), nullptr);
  ASSERT_NE(state.find("AAPL"), nullptr);
  ASSERT_NE(state.find("BTC-PERP"), nullptr);
  EXPECT_EQ(state.find("AAPL")->shard, 0);
  EXPECT_EQ(state.find("BTC-PERP")->shard, 1);
  for (const exchange::Instrument& record : state.instruments) EXPECT_TRUE(well_formed(record));
}

TEST(VenueInstruments, ErrorsNameTheFileLineAndField) {
  const std::string head = "[[instruments]]\nsymbol = \"X\"\n";
  const std::string rest =
      "tick = \"0.01\"\nlot = \"1\"\nmax_qty = \"10\"\nmin_price = \"1\"\nmax_price = \"100\"\n";
  EXPECT_EQ(error_of(head + rest), "");
  EXPECT_EQ(error_of(head + "tick = 0.01\nlot = \"1\"\nmax_qty = \"10\"\nmin_price = \"1\"\n"
                            "max_price = \"2\"\n"),
            "venue.toml:3: instruments.tick: write it as a string (tick = \"0.01\"): a TOML "
            "float is not exact, and prices and quantities are kept exactly");
  EXPECT_EQ(error_of(head + "tick = \"0.01\"\nlot = \"1\"\nmin_price = \"1\"\nmax_price = \"2\"\n"),
            "venue.toml:1: instruments.max_qty: needs max_qty (a decimal, as a string: max_qty = "
            "\"0.01\")");
  EXPECT_EQ(error_of(head + rest + "colour = \"red\"\n").find("venue.toml:8: unknown key 'colour'"),
            0u)
      << error_of(head + rest + "colour = \"red\"\n");
  EXPECT_EQ(error_of(head + rest + head + rest),
            "venue.toml:8: instruments.symbol: 'X' is declared twice (lines 1 and 8)");
  EXPECT_EQ(error_of("[[instruments]]\nsymbol = \"NOPE-USDT\"\n" + rest),
            "venue.toml:2: instruments.symbol: NOPE-USDT is the symbol ordeal's invalid requests "
            "name as unknown");
  EXPECT_EQ(error_of("[[instruments]]\nsymbol = \"A B\"\n" + rest),
            "venue.toml:2: instruments.symbol: 'A B' must be 1 to 32 printable characters "
            "without spaces");
  EXPECT_EQ(error_of(head + "tick = \"1,5\"\n" + rest.substr(rest.find("lot"))),
            "venue.toml:3: instruments.tick: '1,5' is not a decimal number above 0 (digits and "
            "one point)");
  EXPECT_EQ(error_of(head + "tick = \"-1\"\n" + rest.substr(rest.find("lot"))),
            "venue.toml:3: instruments.tick: '-1' is not a decimal number above 0 (digits and "
            "one point)");
  EXPECT_EQ(error_of(head + "tick = \"0.000000000001\"\n" + rest.substr(rest.find("lot"))),
            "venue.toml:3: instruments.tick: '0.000000000001' has more than 11 decimals");
  EXPECT_EQ(error_of(head + "tick = \"0\"\n" + rest.substr(rest.find("lot"))),
            "venue.toml:3: instruments.tick: 0 must be above 0 and below 10^15 units of 10^-1");
  EXPECT_EQ(error_of(head + "tick = \"0.01\"\nlot = \"1\"\nmax_qty = \"10\"\nmin_price = \"3\"\n"
                            "max_price = \"2\"\n"),
            "venue.toml:7: instruments.max_price: 2 must be above min_price 3");
  EXPECT_EQ(error_of(head + "tick = \"0.01\"\nlot = \"1\"\nmin_qty = \"20\"\nmax_qty = \"10\"\n"
                            "min_price = \"1\"\nmax_price = \"2\"\n"),
            "venue.toml:6: instruments.max_qty: 10 is below min_qty 20");
  EXPECT_EQ(error_of(head + "tick = \"0.01\"\nlot = \"1\"\nmax_qty = \"10\"\nmin_price = \"1\"\n"
                            "max_price = \"10000000000000\"\n"),
            "venue.toml:7: instruments.max_price: 10000000000000 must be above 0 and below 10^15 "
            "units of 10^-3");
  EXPECT_EQ(error_of("[workload]\nsymbols = [\"Y\"]\n" + head + rest),
            "venue.toml:2: workload.symbols: unknown symbol 'Y' ([[instruments]] lists X)");
  EXPECT_EQ(error_of("target = \"cluster\"\n" + head + rest), "");
  EXPECT_EQ(error_of("instruments = 3\n"),
            "venue.toml:1: instruments: expected an array of tables ([[...]])");
}

// Every price of the workload's grid (the band's middle plus or minus
// price_steps_max steps of ten ticks) must lie in a venue instrument's
// band: one outside is refused for the metadata, and the run would test
// little else.
TEST(VenueInstruments, PriceStepsMustStayInTheirBand) {
  const auto band = [](const std::string& tick, const std::string& low, const std::string& high) {
    return "[[instruments]]\nsymbol = \"X\"\ntick = \"" + tick +
           "\"\nlot = \"1\"\nmax_qty = \"10\"\nmin_price = \"" + low + "\"\nmax_price = \"" + high +
           "\"\n";
  };
  EXPECT_EQ(error_of(band("0.01", "0.5", "0.7")),
            "venue.toml: workload.price_steps_max (default 10): must be between 0 and 1 with X "
            "(its prices are 0.6 plus or minus steps of 0.1, ten ticks: 10 steps would leave its "
            "band 0.5..0.7)");
  EXPECT_EQ(error_of(band("0.01", "0.5", "0.7"), "[workload]\nprice_steps_max = 1\n"), "");
  EXPECT_EQ(error_of(band("0.01", "0.5", "0.7"), "[workload]\nprice_steps_max = 2\n"),
            "venue.toml:2: workload.price_steps_max: must be between 0 and 1 with X (its prices "
            "are 0.6 plus or minus steps of 0.1, ten ticks: 2 steps would leave its band "
            "0.5..0.7)");
  // The band's middle rounded down (90) is below it: the grid's middle is
  // the step above, 100.
  EXPECT_EQ(error_of(band("1", "95", "104"), "[workload]\nprice_steps_max = 0\n"), "");
  EXPECT_EQ(error_of(band("1", "95", "96"), "[workload]\nprice_steps_max = 0\n"),
            "venue.toml: instruments: X's band 95..96 holds no price of ordeal's grid (multiples "
            "of ten ticks, 10): widen the band or declare a finer tick");
}

TEST(VenueInstruments, AMinimumQuantityIsAMultipleOfTheLot) {
  const std::string head =
      "[[instruments]]\nsymbol = \"X\"\ntick = \"0.01\"\nmax_qty = \"10\"\nmin_price = "
      "\"1\"\nmax_price = \"100\"\n";
  EXPECT_EQ(error_of(head + "lot = \"0.01\"\nmin_qty = \"0.015\"\n"),
            "venue.toml:8: instruments.min_qty: 0.015 is not a multiple of lot 0.01");
  EXPECT_EQ(error_of(head + "lot = \"0.01\"\nmin_qty = \"0.03\"\n"), "");
}

TEST(VenueInstruments, AFloatIsNamedAsTheStringToWriteInstead) {
  EXPECT_EQ(error_of("[[instruments]]\nsymbol = \"X\"\ntick = 0.00001\n"),
            "venue.toml:3: instruments.tick: write it as a string (tick = \"0.00001\"): a TOML "
            "float is not exact, and prices and quantities are kept exactly");
}

// The reference exchange trades the venue's instruments: orders carry its
// symbols at prices on its ticks, invalid ones are refused for its rules,
// and a planted defect is still caught on them.
TEST(VenueInstruments, TheReferenceExchangeTradesThemInSim) {
  // First a run on the reference instruments: the simulator keeps one
  // exchange per thread, which must not keep their metadata for the next.
  ASSERT_FALSE(
      run_scenario(parse_scenario("cases = 2\n", "plain.toml").scenario, {.seed = 1, .cases = 2})
          .failed());
  const Scenario s = venue();
  std::set<std::string> symbols;
  int on_tick = 0, filled = 0;
  for (uint64_t seed = 1; seed <= 10; ++seed) {  // a passing run keeps its last case's history
    const RunOutcome passing = run_scenario(s, {.seed = seed, .cases = 2});
    ASSERT_FALSE(passing.failed()) << passing.violations.front().message;
    ASSERT_EQ(passing.target_error, "");
    const History& h = passing.history;
    for (size_t i = 0; i < h.size(); ++i) {
      const Event& e = h[i];
      if (e.type == EventType::fill) ++filled;
      if (e.type != EventType::invoke || e.kind != exchange::RequestKind::place || e.flag) continue;
      const std::string symbol(h.text(e.symbol));
      symbols.insert(symbol);
      const exchange::Instrument& r = symbol == "AAPL" ? s.instruments[0] : s.instruments[1];
      if (e.price == 0) continue;  // a market order
      EXPECT_EQ(e.price % r.tick_size, 0) << symbol << " " << e.price;
      EXPECT_GE(e.price, r.min_price);
      EXPECT_LE(e.price, r.max_price);
      EXPECT_EQ(e.qty % r.lot_size, 0);
      ++on_tick;
    }
  }
  EXPECT_EQ(symbols, (std::set<std::string>{"AAPL", "BTC-PERP"}));
  EXPECT_GT(on_tick, 20);
  EXPECT_GT(filled, 0) << "orders at the venue's prices cross";

  const RunOutcome caught =
      run_scenario(s, {.seed = 3,
                       .cases = 200,
                       .defects = *exchange::DefectSet::parse("amend-overfill"),
                       .shrink = false});
  EXPECT_TRUE(caught.failed());
}

// The template a user copies to point ordeal at a venue loads, and runs
// inproc as it says to try first.
TEST(VenueInstruments, TheStagingTemplateRunsInproc) {
  const ScenarioLoad load =
      load_scenario(std::string(ORDEAL_SOURCE_DIR) + "/examples/venue/staging-venue.toml");
  ASSERT_TRUE(load) << load.error;
  EXPECT_EQ(load.scenario.symbols, (std::vector<std::string>{"AAPL", "BTC-PERP"}));
  const RunOutcome outcome = run_scenario(load.scenario, {.seed = 1, .cases = 20});
  EXPECT_FALSE(outcome.failed()) << outcome.violations.front().message;
  EXPECT_GT(outcome.operations, 100u);
}

}  // namespace
}  // namespace ordeal
