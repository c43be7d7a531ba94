#include "targets/exchange/instrument.h"

#include <gtest/gtest.h>

#include "framework/base/rng.h"
#include "targets/exchange/sim_exchange.h"

namespace ordeal::exchange {
namespace {

Instrument btc() {
  return Instrument{.symbol = "BTC-USDT",
                    .tick_size = 10,
                    .lot_size = 2,
                    .min_qty = 2,
                    .max_qty = 100,
                    .min_price = 1000,
                    .max_price = 2000};
}

OrderTerms limit_buy(Price price, Qty qty) {
  return OrderTerms{.kind = RequestKind::place, .price = price, .qty = qty};
}

TEST(Validation, ConformingOrderPasses) {
  EXPECT_EQ(nonconformance(btc(), limit_buy(1500, 10)), std::nullopt);
}

TEST(Validation, EachRuleRejectsWithItsReason) {
  EXPECT_EQ(nonconformance(btc(), limit_buy(1505, 10)), "price not a multiple of the tick size");
  EXPECT_EQ(nonconformance(btc(), limit_buy(2010, 10)), "price outside the price band");
  EXPECT_EQ(nonconformance(btc(), limit_buy(1500, 11)), "quantity not a multiple of the lot size");
  EXPECT_EQ(nonconformance(btc(), limit_buy(1500, 0)), "quantity must be positive");
  EXPECT_EQ(nonconformance(btc(), limit_buy(1500, 102)), "quantity above the maximum");
}

TEST(Validation, TradingStatusGovernsWhatIsAllowed) {
  Instrument halted = btc();
  halted.status = TradingStatus::halted;
  EXPECT_EQ(nonconformance(halted, limit_buy(1500, 10)), "instrument halted");
  EXPECT_EQ(nonconformance(halted, OrderTerms{.kind = RequestKind::cancel}), std::nullopt);
  Instrument post_only = btc();
  post_only.status = TradingStatus::post_only;
  EXPECT_TRUE(nonconformance(post_only, limit_buy(1500, 10)).has_value());
  OrderTerms maker = limit_buy(1500, 10);
  maker.post_only = true;
  EXPECT_EQ(nonconformance(post_only, maker), std::nullopt);
}

TEST(Validation, AmendChecksOnlyWhatChanges) {
  EXPECT_EQ(nonconformance(btc(), OrderTerms{.kind = RequestKind::amend, .qty = 4}), std::nullopt);
  EXPECT_TRUE(nonconformance(btc(), OrderTerms{.kind = RequestKind::amend, .price = 1501}));
}

TEST(Validation, SchemaTwoEnforcesMaxNotional) {
  Instrument v2 = migrate_to_v2(btc());
  v2.max_notional = 10'000;
  EXPECT_EQ(nonconformance(v2, limit_buy(1500, 10)), "notional above the maximum");
  EXPECT_EQ(nonconformance(v2, limit_buy(1500, 6)), std::nullopt);
}

// An amend's notional is the order's as amended: a quantity raised at the
// price it keeps, or a price raised at the quantity it keeps. Unknown kept
// terms (0) judge no notional.
TEST(Validation, AnAmendsNotionalIsTheAmendedOrders) {
  Instrument v2 = migrate_to_v2(btc());
  v2.max_notional = 10'000;
  const OrderTerms more{.kind = RequestKind::amend, .qty = 8, .kept_price = 1500, .kept_qty = 6};
  EXPECT_EQ(nonconformance(v2, more), "notional above the maximum");
  const OrderTerms dearer{
      .kind = RequestKind::amend, .price = 1800, .kept_price = 1500, .kept_qty = 6};
  EXPECT_EQ(nonconformance(v2, dearer), "notional above the maximum");
  const OrderTerms within{.kind = RequestKind::amend, .qty = 6, .kept_price = 1500, .kept_qty = 4};
  EXPECT_EQ(nonconformance(v2, within), std::nullopt);
  EXPECT_EQ(nonconformance(v2, OrderTerms{.kind = RequestKind::amend, .qty = 8}), std::nullopt);
}

TEST(Checksum, ChangesWithAnyFieldOrVersion) {
  const uint64_t base = checksum(btc(), 5);
  Instrument changed = btc();
  changed.tick_size = 11;
  EXPECT_NE(checksum(changed, 5), base);
  changed = btc();
  changed.shard = 1;
  EXPECT_NE(checksum(changed, 5), base);
  EXPECT_NE(checksum(btc(), 6), base);
  EXPECT_EQ(checksum(btc(), 5), base);
}

// checksum(MetadataState) remembers the last state it folded: whatever was
// checksummed before, the value is the fold of the records' checksums, and a
// state differing from the last in one field or the version alone is folded anew.
TEST(Checksum, StateIsTheFoldOfItsRecordsWhateverCameBefore) {
  MetadataState state{.version = 7};
  state.put(btc());
  state.put(Instrument{.symbol = "ETH-USDT"});
  const uint64_t folded = mix64(mix64(mix64(7) ^ checksum(state.instruments[0], 7)) ^
                                checksum(state.instruments[1], 7));
  EXPECT_EQ(checksum(state), folded);
  EXPECT_EQ(checksum(state), folded);  // the same state again

  MetadataState other_field = state;
  other_field.instruments[1].lot_size = 3;
  EXPECT_NE(checksum(other_field), folded);
  MetadataState other_version = state;
  other_version.version = 8;
  EXPECT_NE(checksum(other_version), checksum(other_field));
  EXPECT_NE(checksum(other_version), folded);
  EXPECT_EQ(checksum(state), folded);  // after others
  EXPECT_EQ(checksum(MetadataState{}), mix64(0));
}

TEST(MetadataState, PutKeepsSymbolsSortedAndReplaces) {
  MetadataState state;
  state.put(Instrument{.symbol = "ZZZ"});
  state.put(btc());
  Instrument updated = btc();
  updated.tick_size = 20;
  state.put(updated);
  ASSERT_EQ(state.instruments.size(), 2u);
  EXPECT_EQ(state.instruments[0].symbol, "BTC-USDT");
  EXPECT_EQ(state.find("BTC-USDT")->tick_size, 20);
  EXPECT_EQ(state.find("NOPE"), nullptr);
}

// A node process gets the scenario's instruments on its command line: the
// word gives back the record, whatever the symbol holds.
TEST(InstrumentArg, RoundTripsARecordWithAnySymbol) {
  Instrument r{.symbol = "BTC,PERP 1",
               .tick_size = 500,
               .lot_size = 1,
               .min_qty = 2,
               .max_qty = 25'000,
               .min_price = 20'000'000,
               .max_price = 120'000'500};
  EXPECT_EQ(instrument_arg(r), "500,1,2,25000,20000000,120000500,BTC,PERP 1");
  std::string error;
  const std::optional<Instrument> back = parse_instrument_arg(instrument_arg(r), error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(*back, r);
}

TEST(InstrumentArg, RefusesWhatIsNoRecord) {
  std::string error;
  EXPECT_FALSE(parse_instrument_arg("10,1,1,1000,10000", error));
  EXPECT_EQ(error,
            "expected TICK,LOT,MIN_QTY,MAX_QTY,MIN_PRICE,MAX_PRICE,SYMBOL (whole numbers), got "
            "'10,1,1,1000,10000'");
  EXPECT_FALSE(parse_instrument_arg("10,1,1,1000,10000,x,AAPL", error));
  EXPECT_FALSE(parse_instrument_arg("10,1,1,1000,20000,10000,AAPL", error));
  EXPECT_EQ(error,
            "10,1,1,1000,20000,10000,AAPL: sizes or price band that make no sense (each above 0, "
            "minimum at most maximum) or no symbol");
  EXPECT_FALSE(parse_instrument_arg("10,1,1,1000,10000,20000,", error));
}

TEST(MetadataOf, SpreadsRecordsOverTheShardsInOrder) {
  std::vector<Instrument> records(3);
  records[0].symbol = "C";
  records[1].symbol = "A";
  records[2].symbol = "B";
  const MetadataState state = metadata_of(records, 2);
  EXPECT_EQ(state.version, 1u);
  EXPECT_EQ(state.find("C")->shard, 0);
  EXPECT_EQ(state.find("A")->shard, 1);
  EXPECT_EQ(state.find("B")->shard, 0);
  EXPECT_EQ(metadata_of({}, 2), default_metadata(2));
}

}  // namespace
}  // namespace ordeal::exchange
